"""Projector view: the join code and QR, the prompt, and the live chart."""

from html import escape

import streamlit as st

from ui.components import PROJECTOR_CSS, join_address, results_view
from workshop import config
from workshop.joinlink import qr_png
from workshop.runtime import workshop
from workshop.service import WorkshopError

ws = workshop()
st.html(PROJECTOR_CSS)

code = st.query_params.get("code", "")
try:
    ws.session(code)
except WorkshopError:
    st.title("Projector")
    st.info("Open this view from the facilitator page: it needs a running session's code.")
    st.stop()

try:
    url = join_address(code)
except RuntimeError as exc:
    url = None
    st.error(str(exc))


def join_panel(width: int) -> None:
    if url:
        st.image(qr_png(url), width=width)
        st.html(f'<div class="join-url">{escape(url)}</div>')
    st.html(f'<div class="join-code">{code}</div>')


@st.fragment(run_every=config.refresh_seconds())
def projector() -> None:
    session = ws.session(code)
    live = session.live
    people = ws.participant_count(code)
    exercise = session.current_exercise
    if live.blank:
        st.html('<div class="blank" aria-label="Screen blanked by the facilitator"></div>')
        return
    if live.ended:
        st.html(f'<div class="prompt">Thank you for taking part.</div>'
                f'<div class="progress">{escape(session.title)}</div>')
        return
    if exercise is None:
        left, right = st.columns([3, 2], vertical_alignment="center")
        with left:
            st.html(f'<div class="domain">{escape(session.title)}</div>'
                    '<div class="prompt">Join on your phone: scan the code or type the address.</div>'
                    '<div class="progress">Anonymous: no name, no account. Passing is always fine.</div>'
                    f'<div class="counts">{people} joined</div>')
        with right:
            join_panel(520)
        return
    results = ws.step_results(code, live.step_index)
    main, side = st.columns([4, 1])
    with side:
        join_panel(220)
        st.html(f'<div class="counts">{people} joined<br>{results.responses + results.passes} answered</div>')
    with main:
        st.html(f'<div class="domain">{escape(exercise.domain_label)}</div>'
                f'<div class="progress">Step {live.step_index + 1} of {len(session.steps)}'
                f'{"" if live.is_open else " · answering closed"}</div>')
        st.html(f'<div class="prompt">{escape(exercise.prompt)}</div>')
        if live.results_shown and results.suppressed:
            st.html(f'<div class="hidden-note">{results.needed} more answer'
                    f'{"s" if results.needed != 1 else ""} needed before results are shown.</div>')
        elif live.results_shown:
            results_view(results, key=f"projector_chart_{live.step_index}", large=True)
        else:
            st.html('<div class="hidden-note">Results are hidden while you answer.</div>')


projector()
