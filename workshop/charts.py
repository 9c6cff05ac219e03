"""Plotly figures for the projector, built from aggregated results only.

Designed to be read from the back of a room: large type, high contrast, the
Okabe-Ito colour-blind-safe palette, no mode bar. Participant words are
escaped before they reach Plotly, whose labels would otherwise interpret
tags such as <b> or <a>.
"""

from __future__ import annotations

import html
import random
import textwrap

import plotly.graph_objects as go

from workshop.results import StepResults
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


def room_layout(fig: go.Figure, height: int) -> go.Figure:
    """The room's look on any figure (report charts too): the type, no background, no legend,
    nothing to drag or hover, axes that do not zoom."""
    fig.update_layout(
        # Streamlit's own webfont first, so chart labels match the text around them.
        font=dict(FONT, family=f"'Source Sans', 'Source Sans 3', {FONT['family']}"),
        height=height, margin=dict(l=40, r=40, t=30, b=60),
        paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)",
        showlegend=False, dragmode=False, hovermode=False,
    )
    fig.update_xaxes(gridcolor=GRID, zeroline=False, fixedrange=True)
    fig.update_yaxes(gridcolor=GRID, zeroline=False, fixedrange=True)
    return fig


def answers_and_passes(answers: int, passes: int) -> str:
    return f"{answers} answer{'s' if answers != 1 else ''}, {passes} pass{'es' if passes != 1 else ''}"


def counts_line(answers: int, passes: int) -> str:
    """How many responded, in the one wording every screen and file uses: "5 responded: 4
    answers, 1 pass" (the projector once said "5 answered" beside "4 answers" on the laptop)."""
    return f"{answers + passes} responded: {answers_and_passes(answers, passes)}"


def waiting_line(waiting: int) -> str:
    return f"{waiting} answer{'s are' if waiting != 1 else ' is'} waiting for the facilitator"


def summary_line(results: StepResults) -> str:
    """Counts in words, shown under every chart."""
    parts = [counts_line(results.responses, results.passes)]
    if results.mean is not None and results.exercise.type is QuestionType.SCALE:
        parts.append(f"mean {results.mean:.1f}")
        parts.append(f"median {results.median:g}")
    elif results.median is not None:
        parts.append(f"median position {results.median:.0f} / 100")
    if results.waiting:
        parts.append(f"{results.waiting} waiting for the facilitator")
    if results.held - results.waiting:
        parts.append(f"{results.held - results.waiting} not shown")
    return " · ".join(parts)


def scale_figure(results: StepResults, height: int = 520) -> go.Figure:
    settings = results.exercise.settings
    labels = [label for label, _ in results.counts]
    counts = [count for _, count in results.counts]
    # Bars carry their counts, so no y ticks; empty values get no "0" to crowd the axis.
    fig = go.Figure(go.Bar(x=labels, y=counts, marker_color=OKABE_ITO[0],
                           text=[str(count) if count else "" for count in counts],
                           textposition="outside", textfont=dict(size=32), cliponaxis=False))
    if results.mean is not None:
        fig.add_vline(x=results.mean - settings["min"], line_width=4, line_dash="dash",
                      line_color=OKABE_ITO[5], annotation_text=f"mean {results.mean:.1f}",
                      annotation_font=dict(size=26, color=INK))
    low, high = settings.get("min_label"), settings.get("max_label")
    title = f"{settings['min']} = {low}   ·   {settings['max']} = {high}" if low and high else ""
    fig.update_xaxes(type="category", title_text=title, title_standoff=28, tickfont=dict(size=30),
                     showgrid=False, automargin=True)
    fig.update_yaxes(visible=False, rangemode="tozero", range=[0, max(counts, default=1) * 1.3 + 0.3])
    return room_layout(fig, height)


def choice_figure(results: StepResults, height: int = 520) -> go.Figure:
    options = [plain(o) for o, _ in results.counts][::-1]
    counts = [c for _, c in results.counts][::-1]
    total = max(results.responses, 1)
    text = [f"{c}  ({100 * c / total:.0f}%)" for c in counts]
    colours = [OKABE_ITO[i % len(OKABE_ITO)] for i in range(len(counts))][::-1]
    fig = go.Figure(go.Bar(x=counts, y=options, orientation="h", marker_color=colours, text=text,
                           textposition="outside", textfont=dict(size=30), cliponaxis=False))
    # Each bar is labelled with its count and share, so the count axis is left out.
    fig.update_xaxes(visible=False, rangemode="tozero", range=[0, max(counts, default=1) * 1.3 + 0.5])
    fig.update_yaxes(automargin=True, tickfont=dict(size=30), ticksuffix="  ")
    return room_layout(fig, height)


def word_figure(results: StepResults, height: int = 520) -> go.Figure:
    """A treemap reads like a word cloud but keeps sizes honest."""
    shown = results.counts[:MAX_WORDS_SHOWN]
    labels = [plain(word) for word, _ in shown]
    fig = go.Figure(go.Treemap(
        labels=labels, parents=[""] * len(labels), values=[count for _, count in shown],
        # Large words in the middle of their tile; Plotly shrinks a word that does not fit.
        texttemplate="%{label}<br>%{value}", textfont=dict(size=64), textposition="middle center",
        tiling=dict(pad=4), pathbar=dict(visible=False), hoverinfo="skip", sort=True,
        # No padding around the (invisible) root, so the tiles use the whole chart.
        marker=dict(colors=[OKABE_ITO[i % 6] for i in range(len(labels))], pad=dict(t=0, l=0, r=0, b=0)),
    ))
    fig = room_layout(fig, height)
    fig.update_layout(margin=dict(l=10, r=10, t=10, b=10))
    return fig


def spectrum_figure(results: StepResults, height: int = 420) -> go.Figure:
    settings = results.exercise.settings
    rng = random.Random(len(results.values))  # steady jitter: no flicker between refreshes
    jitter = [rng.uniform(-0.2, 0.2) for _ in results.values]
    fig = go.Figure()
    fig.add_shape(type="line", x0=0, x1=100, y0=0, y1=0, line=dict(color=GRID, width=12), layer="below")
    fig.add_trace(go.Scatter(x=list(results.values), y=jitter, mode="markers",
                             marker=dict(size=40, color=OKABE_ITO[0], opacity=0.7,
                                         line=dict(width=2, color="white"))))
    if results.median is not None:
        fig.add_vline(x=results.median, line_width=4, line_dash="dash", line_color=OKABE_ITO[5],
                      annotation_text="median", annotation_font=dict(size=26, color=INK))
    # Poles as annotations: long tick labels at the very ends get dropped by Plotly.
    poles = [(0, settings["left"], "left"), (100, settings["right"], "right")]
    if settings.get("middle"):
        poles.append((50, settings["middle"], "center"))
    for x, name, anchor in poles:
        fig.add_annotation(x=x, y=-0.3, text=plain(name), showarrow=False, xanchor=anchor, yanchor="top",
                           font=dict(size=36, color=INK), bgcolor="white")
    fig.update_xaxes(range=[-3, 103], visible=False)
    fig.update_yaxes(range=[-0.8, 0.8], visible=False)
    return room_layout(fig, height)


POLE_CHAR_PX = 19  # the widest average character of a 32 px pole label (measured in Chromium)


def position2d_figure(results: StepResults, height: int = 620) -> go.Figure:
    fig = go.Figure(go.Scatter(
        x=[p[0] for p in results.points], y=[p[1] for p in results.points], mode="markers",
        cliponaxis=False,  # a dot on the edge of the field shows whole
        marker=dict(size=36, color=OKABE_ITO[0], opacity=0.7, line=dict(width=2, color="white"))))
    return _square_field(fig, results.exercise.settings, height)


def _square_field(fig: go.Figure, settings: dict, height: int) -> go.Figure:
    """The square field people tapped on their phones (position2d, the mood map), under what
    `fig` already holds: a frame, a cross, and the four named poles outside the edges."""
    fig.add_shape(type="rect", x0=0, y0=0, x1=100, y1=100, line=dict(color="#9AA5B1", width=3),
                  layer="below")
    fig.add_hline(y=50, line_color=GRID, line_width=2, layer="below")
    fig.add_vline(x=50, line_color=GRID, line_width=2, layer="below")
    # The named poles sit outside the middle of each edge.
    poles = [(50, 100, settings["y_top"], "center", "bottom", 0, 20),
             (50, 0, settings["y_bottom"], "center", "top", 0, -20),
             (0, 50, settings["x_left"], "right", "middle", -24, 0),
             (100, 50, settings["x_right"], "left", "middle", 24, 0)]
    for x, y, name, xanchor, yanchor, xshift, yshift in poles:
        fig.add_annotation(x=x, y=y, text=plain(name), showarrow=False, xanchor=xanchor, yanchor=yanchor,
                           xshift=xshift, yshift=yshift, font=dict(size=32, color=INK))
    fig.update_xaxes(range=[0, 100], visible=False, constrain="domain")
    fig.update_yaxes(range=[0, 100], visible=False, scaleanchor="x", scaleratio=1, constrain="domain")
    fig = room_layout(fig, height)
    # Annotations get no automargin: leave room for the longer side pole on both sides (the
    # square stays centred and shrinks), about 0.6 em a character at 32 px, plus the shift.
    side = 30 + int(POLE_CHAR_PX * max(len(settings["x_left"]), len(settings["x_right"])))
    fig.update_layout(margin=dict(l=side, r=side, t=70, b=70))
    return fig


MUTED = "#52606d"   # a chart's own small print (what a line or a dot means): 6:1 on white


def _caption(fig: go.Figure, text: str) -> go.Figure:
    """Small print under the chart's right edge, saying how to read it."""
    fig.add_annotation(x=1, y=0, xref="paper", yref="paper", xanchor="right", yanchor="top", yshift=-8,
                       showarrow=False, font=dict(size=20, color=MUTED), text=text)
    return fig


def points_figure(results: StepResults, height: int = 560) -> go.Figure:
    """Each item's mean share of the points as a bar, in the items' own order (top first), with
    a line over the middle half of the answers, so a split room does not look unanimous."""
    total = results.exercise.settings.get("total", 100) or 100
    items = list(results.items)[::-1]
    share = [100 * item.mean / total for item in items]
    low = [100 * item.low / total for item in items]
    high = [100 * item.high / total for item in items]
    colours = [OKABE_ITO[i % len(OKABE_ITO)] for i in range(len(items))][::-1]
    fig = go.Figure(go.Bar(
        x=share, y=[plain(item.label) for item in items], orientation="h", marker_color=colours,
        error_x=dict(type="data", symmetric=False, array=[h - m for h, m in zip(high, share)],
                     arrayminus=[m - lo for m, lo in zip(share, low)], color=INK, thickness=4, width=14),
        text=[f"{m:.0f}%  ({lo:.0f}–{h:.0f})" for m, lo, h in zip(share, low, high)],
        textposition="none", cliponaxis=False))
    fig.update_xaxes(range=[0, max(high + [10]) * 1.4], visible=False)
    fig.update_yaxes(automargin=True, tickfont=dict(size=30), ticksuffix="  ")
    fig = room_layout(fig, height)
    # Each label right of its bar and of its line, so the line never crosses the numbers.
    for label, y, m, h in zip(fig.data[0].text, fig.data[0].y, share, high):
        fig.add_annotation(x=max(m, h), y=y, xanchor="left", xshift=14, showarrow=False, text=label,
                           font=dict(size=28, color=INK))
    return _caption(fig, f"mean share of {total} points · the line: the middle half of the answers")


def ranking_figure(results: StepResults, height: int = 620) -> go.Figure:
    """Items from the most to the least wanted (the tally sorts them by mean rank), each bar its
    Borda-style score as a share of the most it could get (first place in every answer),
    labelled with its mean rank and how many put it first."""
    n = len(results.exercise.settings.get("items", ())) or 1
    firsts = dict(results.counts)
    total = max(results.responses, 1)
    items = list(results.items)[::-1]            # the best on top
    scores = [100 * (n - item.mean) / max(n - 1, 1) for item in items]
    text = [f"mean rank {item.mean:.1f} · first for {firsts.get(item.label, 0)} "
            f"({100 * firsts.get(item.label, 0) / total:.0f}%)" for item in items]
    fig = go.Figure(go.Bar(x=scores, y=[plain(item.label) for item in items], orientation="h",
                           marker_color=[OKABE_ITO[0]] * len(items), text=text, textposition="outside",
                           textfont=dict(size=24), cliponaxis=False))
    fig.update_xaxes(range=[0, 175], visible=False)
    fig.update_yaxes(automargin=True, tickfont=dict(size=26 if n > 6 else 30), ticksuffix="  ")
    fig = room_layout(fig, height)
    return _caption(fig, "bar: the score out of 100 if every answer put it first")


# Diverging colours for a rating scale, from the middle outwards: orange below the middle,
# grey for it, blue above (Okabe-Ito's hues and lighter tints of them, readable without hue).
BELOW_MIDDLE = ("#F3C67A", "#E69F00", "#D55E00")
MIDDLE = "#C9CED3"
ABOVE_MIDDLE = ("#A6D8F2", "#56B4E9", "#0072B2")
DARK_SEGMENTS = {"#D55E00", "#0072B2"}   # segments whose percentages are written in white


def statements_figure(results: StepResults, height: int | None = None) -> go.Figure:
    """A diverging stacked bar per statement, on the scale's shared levels: the levels below the
    middle to the left of the line, those above to the right, a middle level split across it;
    each segment the share of that statement's ratings. A statement rated by fewer phones than
    the session's minimum is not drawn (its few ratings could point at someone)."""
    levels = results.exercise.settings.get("levels", [])
    half, middle = len(levels) // 2, len(levels) % 2 == 1
    # By level: the outermost tints at the scale's ends, the lightest next to the middle.
    colours = list(BELOW_MIDDLE[-half:][::-1]) + ([MIDDLE] if middle else []) + list(ABOVE_MIDDLE[-half:])
    rows = list(results.rows)
    names = ["<br>".join(plain(line) for line in textwrap.wrap(row.label, 34)) for row in rows]
    shown = [row.rated >= results.min_answers and row.rated > 0 for row in rows]
    shares = [[100 * n / row.rated if show else 0 for n in row.counts] for row, show in zip(rows, shown)]
    fig = go.Figure()

    def segment(level: int, sign: int, part: float, legend: bool) -> None:
        colour = colours[level]
        values = [sign * part * share[level] for share in shares]
        fig.add_trace(go.Bar(
            y=names, x=values, orientation="h", name=plain(levels[level]), marker_color=colour,
            legendrank=level, showlegend=legend, legendgroup=str(level),
            text=[f"{share[level]:.0f}%" if part == 1 and share[level] >= 7 else "" for share in shares],
            textposition="inside", insidetextanchor="middle", textangle=0,
            textfont=dict(size=24, color="white" if colour in DARK_SEGMENTS else INK)))

    if middle:   # the middle level first, so it sits on the line, half on each side
        segment(half, -1, 0.5, True)
        segment(half, 1, 0.5, False)
    for level in range(half - 1, -1, -1):
        segment(level, -1, 1, True)
    for level in range(len(levels) - half, len(levels)):
        segment(level, 1, 1, True)
    for name, row, show, share in zip(names, rows, shown, shares):
        if middle and share[half] >= 7:   # the middle level's share, on the line it straddles
            fig.add_annotation(x=0, y=name, showarrow=False, text=f"{share[half]:.0f}%",
                               font=dict(size=24, color=INK), bgcolor=MIDDLE)
        note = f"{row.rated} rated · {row.passed} passed" if show else "too few ratings to show"
        fig.add_annotation(x=103, y=name, xanchor="left", showarrow=False, text=note,
                           font=dict(size=22, color=MUTED))
    fig.add_vline(x=0, line_width=3, line_color=INK)
    fig.update_xaxes(range=[-100, 150], tickvals=[-100, -50, 0, 50, 100],
                     ticktext=["100%", "50%", "0", "50%", "100%"], tickfont=dict(size=20))
    fig.update_yaxes(automargin=True, tickfont=dict(size=26), ticksuffix="  ", autorange="reversed",
                     showgrid=False)
    fig = room_layout(fig, height or 180 + 110 * len(rows))
    fig.update_layout(barmode="relative", bargap=0.35, showlegend=True,
                      legend=dict(orientation="h", x=0.5, xanchor="center", y=1.0, yanchor="bottom",
                                  font=dict(size=22), traceorder="normal"),
                      margin=dict(l=40, r=40, t=70, b=40), uniformtext=dict(minsize=18, mode="hide"))
    return fig


WINDOW_BANDS = ("above", "inside", "below")    # top to bottom (workshop/questions/window.py)
WINDOW_COLOURS = (OKABE_ITO[1], OKABE_ITO[2], OKABE_ITO[4])
WINDOW_BAR_FROM, WINDOW_BAR_SPAN = 44.0, 44.0   # bars from x = 44 to 88 of 100; labels to their left


def window_figure(results: StepResults, height: int = 620) -> go.Figure:
    """The window of tolerance as three stacked bands, the window itself framed in the middle:
    each band with its name and words (not colour alone), a bar of its count and share, and,
    when positions were asked, one dot per answer at its height inside the band."""
    bands = len(results.counts)
    most = max((count for _, count in results.counts), default=0) or 1
    total = max(results.responses, 1)
    fig = go.Figure()
    for row, ((name, count), colour) in enumerate(zip(results.counts, WINDOW_COLOURS)):
        bottom = bands - 1 - row                      # the first band (above) on top
        inside = row == 1
        fig.add_shape(type="rect", x0=0, x1=100, y0=bottom, y1=bottom + 1, layer="below",
                      fillcolor=colour, opacity=0.16 if inside else 0.10, line_width=0)
        words = results.exercise.settings.get(WINDOW_BANDS[row] + "_words", "")
        fig.add_annotation(x=1, y=bottom + 0.5, xanchor="left", yanchor="middle", showarrow=False, align="left",
                           text=f"<b>{plain(name)}</b><br><span style='font-size:26px'>"
                                f"{'<br>'.join(plain(line) for line in textwrap.wrap(words, 32))}</span>",
                           font=dict(size=34, color=INK))
        width = WINDOW_BAR_SPAN * count / most
        if count:
            fig.add_shape(type="rect", x0=WINDOW_BAR_FROM, x1=WINDOW_BAR_FROM + width, y0=bottom + 0.25,
                          y1=bottom + 0.75, fillcolor=colour, line_width=0)
        fig.add_annotation(x=WINDOW_BAR_FROM + width, y=bottom + 0.5, xanchor="left", xshift=12, showarrow=False,
                           text=f"{count}  ({100 * count / total:.0f}%)", font=dict(size=30, color=INK))
    # The window's own frame, drawn over the fills.
    fig.add_shape(type="rect", x0=0, x1=100, y0=1, y1=2, line=dict(color=INK, width=4))
    if results.points:
        rng = random.Random(len(results.points))  # steady jitter: no flicker between refreshes
        fig.add_trace(go.Scatter(x=[rng.uniform(36, 41) for _ in results.points],
                                 y=[band + 0.1 + 0.8 * position / 100 for band, position in results.points],
                                 mode="markers", cliponaxis=False,
                                 marker=dict(size=18, color=INK, opacity=0.6, line=dict(width=1, color="white"))))
        fig.add_annotation(x=38.5, y=bands, yanchor="top", yshift=-6, showarrow=False,
                           text="● where in the band", font=dict(size=20, color=MUTED))
    fig.update_xaxes(range=[0, 100], visible=False)
    fig.update_yaxes(range=[0, bands], visible=False)
    fig = room_layout(fig, height)
    fig.update_layout(margin=dict(l=20, r=20, t=10, b=10))
    return fig


MOOD_QUADRANTS = ("top_left", "top_right", "bottom_left", "bottom_right")   # workshop/questions/mood.py
MOOD_DENSITY_FROM = 12   # answers from which the map also shades where they gather


def mood_figure(results: StepResults, height: int = 640) -> go.Figure:
    """The mood map: the field with its axes and four named quadrants, each with its most chosen
    words; one dot per answer, and from 12 answers a shading of where the dots gather, so a
    crowd reads as a shape and a few still read as dots."""
    settings = results.exercise.settings
    xs, ys = [p[0] for p in results.points], [p[1] for p in results.points]
    fig = go.Figure()
    if len(results.points) >= MOOD_DENSITY_FROM:
        fig.add_trace(go.Histogram2dContour(
            x=xs, y=ys, xbins=dict(start=0, end=100, size=10), ybins=dict(start=0, end=100, size=10),
            colorscale=[[0, "rgba(86,180,233,0)"], [1, "rgba(0,114,178,0.55)"]], showscale=False,
            contours=dict(coloring="fill", showlines=False), ncontours=6, hoverinfo="skip"))
    many = len(results.points) > 60
    fig.add_trace(go.Scatter(x=xs, y=ys, mode="markers", cliponaxis=False,
                             marker=dict(size=16 if many else 30, color=OKABE_ITO[0], opacity=0.5 if many else 0.75,
                                         line=dict(width=2, color="white"))))
    chosen = dict(results.counts)
    for corner in MOOD_QUADRANTS:
        top, right = corner.startswith("top"), corner.endswith("right")
        words = sorted((w for w in settings.get(f"{corner}_words", []) if chosen.get(w)),
                       key=lambda w: -chosen[w])[:3]
        text = f"<b>{plain(settings[corner])}</b>" + (
            "<br>" + " · ".join(f"{plain(w)} {chosen[w]}" for w in words) if words else "")
        fig.add_annotation(x=98 if right else 2, y=98 if top else 2, xanchor="right" if right else "left",
                           yanchor="top" if top else "bottom", showarrow=False, text=text, align="right" if right else "left",
                           font=dict(size=26, color=INK), bgcolor="rgba(255,255,255,0.75)")
    return _square_field(fig, settings, height)


def text_wall_html(texts: tuple[str, ...], limit: int = 60) -> str:
    """Short texts as cards; each text is escaped, so markup shows literally."""
    cards = "".join(f'<div class="wall-card">{html.escape(text)}</div>' for text in texts[-limit:][::-1])
    more = f'<div class="wall-more">and {len(texts) - limit} more</div>' if len(texts) > limit else ""
    return f'<div class="text-wall">{cards}{more}</div>'
