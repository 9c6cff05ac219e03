"""Small Streamlit pieces the facilitator and projector pages share."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

import plotly.graph_objects as go
import streamlit as st

from workshop import config
from workshop.results import StepResults
from workshop.charts import FIGURE_CONFIG, summary_line, text_wall_html
from workshop.joinlink import base_url, join_url
from workshop.models import SessionSummary

# px: what Plotly draws until Streamlit has measured the space a stretched chart fills.
MIN_PROJECTOR_CHART_HEIGHT = 300

# Page padding and chrome come from .streamlit/config.toml (theme.paddingTop/Bottom, hideTopBar);
# here only our own classes and the `st-key-<key>` classes Streamlit gives keyed containers.
PROJECTOR_CSS = """
<style>
/* The stage fills the screen below the 1rem + 1rem padding set in config.toml, so a chart
   with height="stretch" takes all the height the prompt leaves. */
.st-key-stage, .st-key-stage_waiting, .st-key-stage_end {flex: none; height: calc(100vh - 2rem);}
.st-key-stage_end {text-align: center;}
.prompt.prompt-end {font-size: clamp(3rem, 5.5vw, 7rem); margin: .6rem 0 1.4rem;}
.st-key-stage_end .welcome-note {font-size: clamp(1.6rem, 2.2vw, 2.8rem);}
.st-key-stage_main {min-width: 0;}
/* contain: size lets the result area take the height that is left, whatever its content:
   a long text wall is cut (and faded) instead of pushing the counts off the screen. */
.st-key-results_area {contain: size; min-height: 0; overflow: hidden;}
.st-key-stage_side {border-left: 3px solid #E4E7EB; padding-left: 1.4rem;}
.prompt {font-size: clamp(2rem, 3.3vw, 4.2rem); line-height: 1.12; font-weight: 700; margin: 0 0 .2rem;
         color: #1F2933; overflow-wrap: anywhere;}
.prompt-welcome {font-size: clamp(2.6rem, 4.2vw, 5.2rem); margin: .4rem 0 1.2rem;}
.welcome-note {font-size: clamp(1.4rem, 1.8vw, 2.2rem); color: #3E4C59; margin-bottom: 1.6rem;}
.domain {font-size: clamp(1.1rem, 1.3vw, 1.6rem); text-transform: uppercase; letter-spacing: .08em;
         color: #0F6E6E; font-weight: 700;}
.step-line {display: flex; align-items: center; flex-wrap: wrap; gap: .6rem 1.4rem;}
.progress {font-size: clamp(1.1rem, 1.3vw, 1.6rem); color: #3E4C59; font-weight: 600;
           display: inline-flex; align-items: center; gap: .8rem;}
.steps {display: inline-flex; gap: .35rem;}
.steps span {width: 1.6rem; height: .55rem; border-radius: 999px; background: #CBD2D9;}
.steps .done {background: #6FA8A8;}
.steps .now {background: #0F6E6E; width: 2.6rem;}
.badge {font-size: clamp(1rem, 1.2vw, 1.4rem); font-weight: 700; color: #8A4B00; background: #FFF3DC;
        border: 2px solid #E69F00; border-radius: 999px; padding: .1rem .9rem;}
.join-code {font-size: clamp(2.2rem, 3vw, 3.6rem); font-weight: 800; letter-spacing: .14em; line-height: 1.1;
            font-family: ui-monospace, monospace; color: #1F2933;}
.st-key-join_large .join-code {font-size: clamp(3rem, 5vw, 6rem);}
.join-url {font-size: clamp(1.3rem, 1.5vw, 1.9rem); font-weight: 700; overflow-wrap: anywhere; line-height: 1.2;
            font-family: ui-monospace, monospace; color: #1F2933;}
.st-key-join_large .join-url {font-size: clamp(1.8rem, 2.4vw, 3rem);}
.room-code {margin-top: .8rem; font-size: clamp(1.1rem, 1.3vw, 1.6rem); color: #3E4C59; font-weight: 600;}
.room-code b {display: block; font-size: clamp(2.4rem, 3.4vw, 4.2rem); font-weight: 800; letter-spacing: .2em;
              font-family: ui-monospace, monospace; color: #0F6E6E; line-height: 1.1;}
.st-key-join_large .room-code b {font-size: clamp(3rem, 5vw, 6rem);}
.count {font-size: clamp(1.5rem, 2vw, 2.4rem); font-weight: 700; color: #1F2933; line-height: 1.25;}
.st-key-welcome .count {font-size: clamp(2rem, 3vw, 3.6rem);}
.count-detail {font-size: clamp(1.1rem, 1.3vw, 1.6rem); color: #3E4C59; margin-bottom: .6rem;}
.waiting-banner {font-size: clamp(1.5rem, 2vw, 2.4rem); font-weight: 700; color: #8A4B00; background: #FFF3DC;
                 border-left: 8px solid #E69F00; border-radius: 8px; padding: .3rem 1rem; margin: .4rem 0;}
.hidden-note.waiting-note {color: #8A4B00; font-weight: 700; font-size: clamp(2.4rem, 3.4vw, 4.4rem);}
.summary {font-size: clamp(1.3rem, 1.6vw, 2rem); color: #3E4C59; font-weight: 600;}
.hidden-note {font-size: clamp(1.8rem, 2.4vw, 3rem); color: #3E4C59; padding: 12vh 0; text-align: center;}
.blank {height: 90vh;}
</style>
"""

# Text walls also appear on the facilitator's laptop, so they carry their own styles.
# Fewer answers make larger cards; with many, the newest come first and the oldest fade out below.
WALL_CSS = """
<style>
.text-wall {display: grid; gap: 1rem; align-content: start;
            grid-template-columns: repeat(auto-fit, minmax(min(100%, var(--card-width, 16rem)), 1fr));}
.wall-card {background: #F5F7F7; color: #1F2933; border-left: 8px solid #0072B2; border-radius: 10px;
            padding: .6em .8em; font-size: var(--card-text, 1.25rem); line-height: 1.25;
            white-space: pre-wrap; overflow-wrap: anywhere;}
.wall-card:nth-child(6n+2) {border-left-color: #E69F00;}
.wall-card:nth-child(6n+3) {border-left-color: #009E73;}
.wall-card:nth-child(6n+4) {border-left-color: #CC79A7;}
.wall-card:nth-child(6n+5) {border-left-color: #56B4E9;}
.wall-card:nth-child(6n+6) {border-left-color: #D55E00;}
.wall-more {font-size: 1.4rem; color: #3E4C59; align-self: center;}
.wall-xl {--card-width: 22vw; --card-text: clamp(1.6rem, 2.8vw, 3.6rem);}
.wall-l {--card-width: 19vw; --card-text: clamp(1.4rem, 2.1vw, 2.8rem);}
.wall-m {--card-width: 15vw; --card-text: clamp(1.2rem, 1.6vw, 2.1rem);}
.wall-s {--card-width: 12vw; --card-text: clamp(1rem, 1.25vw, 1.6rem);}
.wall-xs {--card-width: 10vw; --card-text: clamp(.9rem, 1vw, 1.3rem);}
/* Many texts may not all fit a projector: the newest come first, the oldest fade out below. */
.st-key-results_area:has(.wall-s, .wall-xs) {mask-image: linear-gradient(to bottom, #000 88%, transparent);}
</style>
"""


def wall_size(count: int) -> str:
    """The card size class for a wall of `count` texts."""
    if count <= 3:
        return "wall-xl"
    if count <= 8:
        return "wall-l"
    if count <= 24:
        return "wall-m"
    if count <= 40:
        return "wall-s"
    return "wall-xs"


def progress_html(step_index: int, steps: int) -> str:
    """"Step 3 of 7" with one segment per step, for reading the agenda's progress at a glance."""
    segments = "".join(
        f'<span class="{"done" if i < step_index else "now" if i == step_index else "next"}"></span>'
        for i in range(steps))
    return (f'<span class="progress">Step {step_index + 1} of {steps}'
            f'<span class="steps" aria-hidden="true">{segments}</span></span>')


def join_address(code: str) -> str:
    """The URL phones open; raises RuntimeError with advice when there is no network."""
    port = int(st.get_option("server.port"))
    return join_url(base_url(config.public_url(), port), code)


def results_view(results: StepResults, figure: go.Figure | None, key: str, large: bool = False,
                 height: int | None = None) -> None:
    """The chart (or, with no figure, the text wall) of one step, with its counts in words.

    `figure` comes drawn at its height (`Workshop.step_figure`, shared by every refresh until
    the room changes: it is never changed here). `large` is the projector: the chart or text
    wall fills the height the prompt leaves (see PROJECTOR_CSS), with the counts in words
    below it. Otherwise `height` (px) keeps a preview's text wall in a scrolling box that tall.
    """
    if large:
        with st.container(key="results_area", height="stretch"):
            if figure is not None:
                # theme=None keeps our projector fonts and palette instead of Streamlit's.
                st.plotly_chart(figure, config=FIGURE_CONFIG, key=key, width="stretch", height="stretch",
                                theme=None)
            else:
                st.html(_wall(results))
        st.html(f'<div class="summary">{escape(summary_line(results))}</div>')
        return
    if figure is not None:
        st.plotly_chart(figure, config=FIGURE_CONFIG, key=key, width="stretch", theme=None)
    elif height:
        with st.container(height=height, key=f"{key}_wall"):
            st.html(_wall(results))
    else:
        st.html(_wall(results))
    st.caption(summary_line(results))


def _wall(results: StepResults) -> str:
    return f'{WALL_CSS}<div class="{wall_size(len(results.texts))}">{text_wall_html(results.texts)}</div>'


def session_picker(label: str, summaries: list[SessionSummary], key: str,
                   describe: Callable[[SessionSummary], str], label_visibility: str = "visible") -> str:
    """Pick one of these sessions; falls back to the first when the remembered one is gone."""
    by_code = {s.code: s for s in summaries}
    if st.session_state.get(key) not in by_code:
        st.session_state[key] = summaries[0].code
    return st.selectbox(label, list(by_code), key=key, format_func=lambda c: describe(by_code[c]),
                        label_visibility=label_visibility)
