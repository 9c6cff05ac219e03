"""Small Streamlit pieces the facilitator and projector pages share."""

from __future__ import annotations

from html import escape

import streamlit as st

from workshop import config
from workshop.aggregate import StepResults
from workshop.charts import FIGURE_CONFIG, results_figure, summary_line, text_wall_html
from workshop.joinlink import base_url, join_url

PROJECTOR_CSS = """
<style>
.block-container {padding-top: 1.2rem; padding-bottom: 1rem; max-width: 100%;}
.prompt {font-size: clamp(2rem, 3.2vw, 3.6rem); line-height: 1.15; font-weight: 650; margin: .2rem 0 .6rem;}
.domain {font-size: 1.3rem; text-transform: uppercase; letter-spacing: .08em; color: #0F6E6E; font-weight: 700;}
.progress {font-size: 1.2rem; color: #52606d;}
.join-code {font-size: clamp(2.4rem, 4vw, 4.5rem); font-weight: 800; letter-spacing: .18em; font-family: ui-monospace, monospace;}
.join-url {font-size: 1.25rem; word-break: break-all; font-family: ui-monospace, monospace;}
.counts {font-size: 1.6rem; font-weight: 600;}
.summary {font-size: 1.6rem; color: #3e4c59;}
.hidden-note {font-size: 2rem; color: #52606d; padding: 3rem 0;}
.text-wall {display: flex; flex-wrap: wrap; gap: .8rem;}
.wall-card {background: #F1F5F4; border-left: 6px solid #0072B2; border-radius: 8px; padding: .7rem 1rem;
            font-size: 1.6rem; max-width: 30rem; white-space: pre-wrap; overflow-wrap: anywhere;}
.blank {height: 90vh;}
.wall-more {font-size: 1.4rem; color: #52606d; align-self: center;}
</style>
"""


def join_address(code: str) -> str:
    """The URL phones open; raises RuntimeError with advice when there is no network."""
    port = int(st.get_option("server.port"))
    return join_url(base_url(config.public_url(), port), code)


def results_view(results: StepResults, key: str, large: bool = False) -> None:
    """The chart (or text wall) of one step, with its counts in words."""
    figure = results_figure(results)
    if figure is not None:
        # theme=None keeps our projector fonts and palette instead of Streamlit's.
        st.plotly_chart(figure, config=FIGURE_CONFIG, key=key, width="stretch", theme=None)
    else:
        st.html(text_wall_html(results.texts))
    if large:
        st.html(f'<div class="summary">{escape(summary_line(results))}</div>')
    else:
        st.caption(summary_line(results))
