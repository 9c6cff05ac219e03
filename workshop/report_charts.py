"""The report's own charts: the pre/post change, the domain profile and the trend across
sessions, built from the report's aggregated data (workshop/report_data.py) in the projector's
style (workshop/charts.py). Split from `charts`, which draws one step for the room."""

from __future__ import annotations

import plotly.graph_objects as go

from workshop.charts import GRID, INK, OKABE_ITO, plain, room_layout
from workshop.report_data import DomainProfile, PrePost, Trend, signed


def pre_post_figure(change: PrePost, height: int = 520) -> go.Figure:
    """A slope chart: one line per (before, after) pair of values, thicker for more phones."""
    settings = change.exercise.settings
    groups: dict[tuple[str, int], tuple[list, list]] = {}
    for before, after, phones in change.pairs:
        colour = OKABE_ITO[2] if after > before else OKABE_ITO[5] if after < before else "#9aa5b1"
        xs, ys = groups.setdefault((colour, phones), ([], []))
        xs.extend([0, 1, None])
        ys.extend([before, after, None])
    fig = go.Figure()
    for (colour, phones), (xs, ys) in sorted(groups.items(), key=lambda item: item[0][1]):
        fig.add_trace(go.Scatter(x=xs, y=ys, mode="lines+markers", opacity=0.55,
                                 line=dict(color=colour, width=min(2 + 1.5 * phones, 18)),
                                 marker=dict(size=8 + min(phones, 12), color=colour)))
    if change.median_before is not None:
        fig.add_trace(go.Scatter(x=[0, 1], y=[change.median_before, change.median_after],
                                 mode="lines+markers", line=dict(color=INK, width=6, dash="dash"),
                                 marker=dict(size=18, color=INK)))
        fig.add_annotation(x=1, y=change.median_after, xanchor="left", xshift=16, showarrow=False,
                           text=f"group median {change.median_after:g}", font=dict(size=20, color=INK))
        fig.add_annotation(x=0, y=change.median_before, xanchor="right", xshift=-16, showarrow=False,
                           text=f"{change.median_before:g}", font=dict(size=20, color=INK))
        fig.add_annotation(x=0.5, y=1.0, xref="x", yref="paper", yanchor="bottom", showarrow=False,
                           text=f"median change per phone: {signed(change.median_change)} "
                                f"({change.paired} phones)", font=dict(size=22, color=INK))
    low, high = settings["min"], settings["max"]
    ticks = list(range(low, high + 1)) if high - low <= 10 else [low, (low + high) // 2, high]
    labels = [str(v) for v in ticks]
    labels[0] = f"{low} {plain(settings.get('min_label', ''))}".strip()
    labels[-1] = f"{high} {plain(settings.get('max_label', ''))}".strip()
    fig.update_xaxes(range=[-0.1, 1.45], tickvals=[0, 1],
                     ticktext=[f"step {change.before_step + 1}", f"step {change.after_step + 1}"])
    fig.update_yaxes(range=[low - 0.5, high + 0.5], tickvals=ticks, ticktext=labels, automargin=True)
    fig = room_layout(fig, height)
    fig.update_layout(font=dict(size=18), margin=dict(t=50))
    return fig


def domain_profile_figure(profile: DomainProfile, height: int = 560) -> go.Figure:
    """A radar of the group's median per domain (0-10); domains without scale answers stay empty."""
    labels = [p.label for p in profile.points]
    values = [p.median for p in profile.points]
    complete = all(v is not None for v in values)
    fig = go.Figure(go.Scatterpolar(
        r=values + values[:1], theta=labels + labels[:1], mode="lines+markers", connectgaps=False,
        fill="toself" if complete else "none", line=dict(color=OKABE_ITO[0], width=4),
        marker=dict(size=14, color=OKABE_ITO[0])))
    fig = room_layout(fig, height)
    fig.update_layout(font=dict(size=16), margin=dict(l=120, r=120, t=40, b=40), polar=dict(
        bgcolor="rgba(0,0,0,0)",
        radialaxis=dict(range=[0, 10], dtick=2, gridcolor=GRID, angle=30),  # between two domains
        angularaxis=dict(type="category", categoryarray=labels, gridcolor=GRID, direction="clockwise")))
    return fig


def trend_figure(trend: Trend, height: int = 480) -> go.Figure:
    """Each scale step's median, one point per session of the same agenda, oldest first."""
    sessions = [f"{created:%Y-%m-%d} · {code}" for code, created in trend.sessions]
    fig = go.Figure()
    for number, series in enumerate(trend.series):
        fig.add_trace(go.Scatter(x=sessions, y=list(series.medians), name=plain(series.label),
                                 mode="lines+markers", connectgaps=True,
                                 line=dict(color=OKABE_ITO[number % len(OKABE_ITO)], width=4),
                                 marker=dict(size=14)))
    fig = room_layout(fig, height)
    fig.update_layout(showlegend=True, font=dict(size=16),
                      legend=dict(orientation="h", yanchor="bottom", y=1.02, x=0))
    fig.update_xaxes(type="category", title_text="session")
    fig.update_yaxes(title_text="median answer", rangemode="tozero")
    return fig
