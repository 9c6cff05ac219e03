"""Projector view: the join code and QR, the prompt, and the live chart.

One screen that fills the projector: on the waiting screen the QR code is large; during an
exercise it shrinks into a side panel with the answer count, and the chart takes the rest.
"""

from html import escape

import streamlit as st

from ui.access import may_see_projector
from ui.components import (MIN_PROJECTOR_CHART_HEIGHT, PROJECTOR_CSS, join_address, progress_html,
                           results_view)
from workshop import config
from workshop.charts import answers_and_passes, waiting_line
from workshop.joinlink import qr_png
from workshop.runtime import workshop
from workshop.refusals import WorkshopError

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
        # What to type without the QR: the page's address in large type (no scheme, no query:
        # the page asks for the code, shown below it), breaking before "/join" if it must.
        address = url.split("://", 1)[-1].split("?", 1)[0]
        st.html(f'<div class="join-url">{escape(address).replace("/join", "<wbr>/join")}</div>')
    st.html(f'<div class="join-code">{escape(code)}</div>')
    room_code = ws.room_code(code)
    if room_code:  # rotates every two minutes; the fragment redraws it within a refresh
        st.html(f'<div class="room-code">Room code<b>{room_code}</b></div>')


def count_html(number: int, words: str) -> str:
    return f'<div class="count">{number} {words}</div>'


@st.fragment(run_every=config.refresh_seconds())
def projector() -> None:
    if not may_see_projector():
        st.html('<div class="prompt">This projector link was replaced.</div>'
                '<div class="progress">Open the projector again from the facilitator view.</div>')
        return
    session = ws.session(code)
    live = session.live
    people = ws.participant_count(code)
    exercise = session.current_exercise
    if live.blank:
        st.html('<div class="blank" aria-label="Screen blanked by the facilitator"></div>')
        return
    if live.ended:
        with st.container(key="stage_end", vertical_alignment="center", horizontal_alignment="center"):
            st.html(f'<div class="domain">{escape(session.title)}</div>'
                    '<div class="prompt prompt-end">Thank you for taking part.</div>'
                    f'<div class="welcome-note">{people} {"phone" if people == 1 else "phones"} joined. '
                    'Your answers stay anonymous; you can close the page on your phone.</div>')
        return
    if exercise is None:
        # Waiting screen: the QR code large, so people can scan it from their seats.
        with st.container(key="stage_waiting", horizontal=True, vertical_alignment="center", gap="large"):
            with st.container(key="welcome"):
                st.html(f'<div class="domain">{escape(session.title)}</div>'
                        '<div class="prompt prompt-welcome">'
                        'Join on your phone: scan the code or type the address.</div>'
                        '<div class="welcome-note">'
                        'Anonymous: no name, no account. Passing is always fine.</div>'
                        + count_html(people, "joined"))
            with st.container(key="join_large", width=560):
                join_panel(520)
        return
    results = ws.step_results(code, live.step_index)
    with st.container(key="stage", horizontal=True, gap="large"):
        with st.container(key="stage_main", height="stretch"):
            state = "" if live.is_open else '<span class="badge">answering closed</span>'
            st.html(f'<div class="step-line"><span class="domain">{escape(exercise.domain_label)}</span>'
                    f'{progress_html(live.step_index, len(session.steps))}{state}</div>'
                    f'<div class="prompt">{escape(exercise.prompt)}</div>')
            if live.results_shown and results.suppressed:
                st.html(f'<div class="hidden-note">{results.needed} more answer'
                        f'{"s" if results.needed != 1 else ""} needed before results are shown.</div>')
            elif live.results_shown and results.all_waiting:
                # Nothing typed is shown yet: say so plainly, not an empty chart.
                st.html(f'<div class="hidden-note waiting-note">{escape(waiting_line(results.waiting))}.</div>')
            elif live.results_shown:
                if results.waiting:
                    st.html(f'<div class="waiting-banner">{escape(waiting_line(results.waiting))}</div>')
                results_view(results, ws.step_figure(code, live.step_index, MIN_PROJECTOR_CHART_HEIGHT),
                             key=f"projector_chart_{live.step_index}", large=True)
            else:
                st.html('<div class="hidden-note">Results are hidden while you answer.</div>')
        with st.container(key="stage_side", width=300):
            if not live.join_hidden:
                join_panel(260)
            detail = answers_and_passes(results.responses, results.passes)
            st.html(count_html(results.responses + results.passes, "responded")
                    + f'<div class="count-detail">{detail}</div>' + count_html(people, "joined"))


projector()
