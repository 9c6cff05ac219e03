"""Plotly figures for the projector, built from aggregated results only.

Designed to be read from the back of a room: large type, high contrast, the
Okabe-Ito colour-blind-safe palette, no mode bar. Participant words are
escaped before they reach Plotly, whose labels would otherwise interpret
tags such as <b> or <a>.
"""

from __future__ import annotations

import html
import random

import plotly.graph_objects as go

from workshop.aggregate import StepResults
from workshop.models import QuestionType

OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
INK = "#1f2933"
GRID = "#d9dee3"
FONT = dict(family="Inter, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif", size=24, color=INK)
FIGURE_CONFIG = {"displayModeBar": False, "responsive": True}
MAX_WORDS_SHOWN = 40


def plain(text: str) -> str:
    """Make participant text literal inside Plotly labels."""
    return html.escape(text, quote=False)


def _layout(fig: go.Figure, height: int) -> go.Figure:
    fig.update_layout(
        font=FONT, height=height, margin=dict(l=40, r=40, t=30, b=60),
        paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
        showlegend=False, dragmode=False, hovermode=False,
    )
    fig.update_xaxes(gridcolor=GRID, zeroline=False, fixedrange=True)
    fig.update_yaxes(gridcolor=GRID, zeroline=False, fixedrange=True)
    return fig


def summary_line(results: StepResults) -> str:
    """Counts in words, shown under every chart."""
    parts = [f"{results.responses} answer{'s' if results.responses != 1 else ''}",
             f"{results.passes} pass{'es' if results.passes != 1 else ''}"]
    if results.mean is not None and results.exercise.type is QuestionType.SCALE:
        parts.append(f"mean {results.mean:.1f}")
        parts.append(f"median {results.median:g}")
    elif results.median is not None:
        parts.append(f"median position {results.median:.0f} / 100")
    if results.held:
        parts.append(f"{results.held} not shown")
    return " · ".join(parts)


def scale_figure(results: StepResults, height: int = 520) -> go.Figure:
    settings = results.exercise.settings
    labels = [label for label, _ in results.counts]
    counts = [count for _, count in results.counts]
    fig = go.Figure(go.Bar(x=labels, y=counts, marker_color=OKABE_ITO[0], text=counts,
                           textposition="outside", textfont=dict(size=24), cliponaxis=False))
    if results.mean is not None:
        fig.add_vline(x=results.mean - settings["min"], line_width=4, line_dash="dash",
                      line_color=OKABE_ITO[5],
                      annotation_text=f"mean {results.mean:.1f}", annotation_font_size=22)
    low, high = settings.get("min_label"), settings.get("max_label")
    title = f"{settings['min']} = {low}   ·   {settings['max']} = {high}" if low and high else ""
    fig.update_xaxes(type="category", title_text=title)
    fig.update_yaxes(title_text="people", rangemode="tozero", dtick=max(1, max(counts, default=1) // 5))
    return _layout(fig, height)


def choice_figure(results: StepResults, height: int = 520) -> go.Figure:
    options = [plain(o) for o, _ in results.counts][::-1]
    counts = [c for _, c in results.counts][::-1]
    total = max(results.responses, 1)
    text = [f"{c}  ({100 * c / total:.0f}%)" for c in counts]
    colours = [OKABE_ITO[i % len(OKABE_ITO)] for i in range(len(counts))][::-1]
    fig = go.Figure(go.Bar(x=counts, y=options, orientation="h", marker_color=colours, text=text,
                           textposition="outside", textfont=dict(size=24), cliponaxis=False))
    fig.update_xaxes(title_text="people", rangemode="tozero",
                     range=[0, max(counts, default=1) * 1.3 + 0.5])
    fig.update_yaxes(automargin=True)
    return _layout(fig, height)


def word_figure(results: StepResults, height: int = 520) -> go.Figure:
    """A treemap reads like a word cloud but keeps sizes honest."""
    shown = results.counts[:MAX_WORDS_SHOWN]
    labels = [plain(word) for word, _ in shown]
    fig = go.Figure(go.Treemap(
        labels=labels, parents=[""] * len(labels), values=[count for _, count in shown],
        texttemplate="%{label}<br>%{value}", textfont=dict(size=30), tiling=dict(pad=4),
        marker=dict(colors=[OKABE_ITO[i % 6] for i in range(len(labels))]),
        hoverinfo="skip", sort=True,
    ))
    fig = _layout(fig, height)
    fig.update_layout(margin=dict(l=10, r=10, t=10, b=10))
    return fig


def spectrum_figure(results: StepResults, height: int = 420) -> go.Figure:
    settings = results.exercise.settings
    rng = random.Random(len(results.values))  # steady jitter: no flicker between refreshes
    jitter = [rng.uniform(-0.35, 0.35) for _ in results.values]
    fig = go.Figure()
    fig.add_shape(type="line", x0=0, x1=100, y0=0, y1=0, line=dict(color=GRID, width=10))
    fig.add_trace(go.Scatter(x=list(results.values), y=jitter, mode="markers",
                             marker=dict(size=26, color=OKABE_ITO[0], opacity=0.6,
                                         line=dict(width=1, color="white"))))
    if results.median is not None:
        fig.add_vline(x=results.median, line_width=4, line_dash="dash", line_color=OKABE_ITO[5],
                      annotation_text="median", annotation_font_size=22)
    # Poles as annotations: long tick labels at the very ends get dropped by Plotly.
    poles = [(0, settings["left"], "left"), (100, settings["right"], "right")]
    if settings.get("middle"):
        poles.append((50, settings["middle"], "center"))
    for x, name, anchor in poles:
        fig.add_annotation(x=x, y=-0.85, text=plain(name), showarrow=False, xanchor=anchor,
                           font=dict(size=28, color=INK))
    fig.update_xaxes(range=[-4, 104], visible=False)
    fig.update_yaxes(range=[-1, 1], visible=False)
    return _layout(fig, height)


def position2d_figure(results: StepResults, height: int = 620) -> go.Figure:
    settings = results.exercise.settings
    fig = go.Figure(go.Scatter(
        x=[p[0] for p in results.points], y=[p[1] for p in results.points], mode="markers",
        marker=dict(size=26, color=OKABE_ITO[0], opacity=0.55, line=dict(width=1, color="white"))))
    fig.add_hline(y=50, line_color=GRID, line_width=2)
    fig.add_vline(x=50, line_color=GRID, line_width=2)
    fig.update_xaxes(range=[0, 100], tickvals=[3, 97], showgrid=False,
                     ticktext=[f"← {plain(settings['x_left'])}", f"{plain(settings['x_right'])} →"])
    fig.update_yaxes(range=[0, 100], tickvals=[3, 97], showgrid=False,
                     ticktext=[f"↓ {plain(settings['y_bottom'])}", f"{plain(settings['y_top'])} ↑"],
                     automargin=True)
    return _layout(fig, height)


def results_figure(results: StepResults) -> go.Figure | None:
    """The chart for a step, or None for short text, which is shown as a wall."""
    builders = {
        QuestionType.SCALE: scale_figure,
        QuestionType.SINGLE_CHOICE: choice_figure,
        QuestionType.MULTIPLE_CHOICE: choice_figure,
        QuestionType.WORD: word_figure,
        QuestionType.SPECTRUM: spectrum_figure,
        QuestionType.POSITION2D: position2d_figure,
    }
    builder = builders.get(results.exercise.type)
    return builder(results) if builder else None


def text_wall_html(texts: tuple[str, ...], limit: int = 60) -> str:
    """Short texts as cards; each text is escaped, so markup shows literally."""
    cards = "".join(f'<div class="wall-card">{html.escape(text)}</div>' for text in texts[-limit:][::-1])
    more = f'<div class="wall-more">and {len(texts) - limit} more</div>' if len(texts) > limit else ""
    return f'<div class="text-wall">{cards}{more}</div>'
