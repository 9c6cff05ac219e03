"""Pieces of the facilitator view: settings, the live panel and the moderation queue."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone

import streamlit as st

from ui.components import results_view
from workshop.models import Moderation, SessionSettings
from workshop.service import MAX_MIN_ANSWERS, Workshop


def settings_inputs(prefix: str, current: SessionSettings) -> SessionSettings:
    """The privacy choices of a session, as widgets with stable keys."""
    min_answers = st.number_input(
        "Show a chart only once this many people have answered", min_value=1,
        max_value=MAX_MIN_ANSWERS, value=current.min_answers, step=1, key=f"{prefix}_min_answers",
        help="Small-group protection: with very few answers, people can guess who said what.")
    hold_text = st.toggle("Hold words and texts for my approval before the projector shows them",
                          value=current.hold_text, key=f"{prefix}_hold_text")
    share = st.toggle("When I show results, show the group's counts on phones too",
                      value=current.share_with_phones, key=f"{prefix}_share_with_phones",
                      help="Off by default. Phones never see anyone's own text or position.")
    return SessionSettings(min_answers=int(min_answers), hold_text=hold_text, share_with_phones=share)


def _value_key(step: int, value: str) -> str:
    return f"{step}_{hashlib.sha1(value.encode('utf-8')).hexdigest()[:12]}"


def moderation_queue(ws: Workshop, code: str, step: int) -> None:
    """Approve or hide each distinct word or text; typed text is shown as plain text only."""
    session = ws.session(code)
    queue = ws.moderation_queue(code, step)
    if not queue:
        return
    waiting = [item for item in queue if item[2] is None]
    title = f"Moderation · {len(waiting)} waiting" if session.settings.hold_text else "Moderation"
    with st.container(border=True, key=f"moderation_{step}"):
        st.markdown(f"**{title}**")
        for value, count, state in queue[:100]:
            key = _value_key(step, value)
            shown = ws.is_value_shown(session, state)
            text_col, count_col, approve_col, hide_col = st.columns([6, 1, 1.2, 1.2],
                                                                     vertical_alignment="center")
            text_col.text(value)
            count_col.text(f"×{count}")
            if not shown:
                approve_col.button("Show", key=f"approve_{key}", on_click=ws.moderate,
                                   args=(code, step, value, Moderation.APPROVED))
            if state is not Moderation.HIDDEN:
                hide_col.button("Hide", key=f"hide_{key}", on_click=ws.moderate,
                                args=(code, step, value, Moderation.HIDDEN))
            else:
                hide_col.caption("hidden")


def elapsed_seconds(started_at: datetime | None) -> int:
    if started_at is None:
        return 0
    elapsed = datetime.now(timezone.utc).replace(tzinfo=None) - started_at
    return max(0, int(elapsed.total_seconds()))


def live_panel(ws: Workshop, code: str) -> None:
    """Counts, timer, pause requests, moderation and the chart as the projector would show it."""
    session = ws.session(code)
    people = ws.participant_count(code)
    pauses = ws.pause_count(code)
    step = session.live.step_index
    exercise = session.current_exercise
    cols = st.columns(5)
    cols[0].metric("Phones joined", people)
    cols[4].metric("Pause requests (5 min)", pauses,
                   help="Phones that tapped “I need a pause”. Anonymous: only the count is kept.")
    if exercise is None:
        return
    results = ws.step_results(code, step)
    cols[1].metric("Answers", results.responses)
    cols[2].metric("Passes", results.passes)
    seconds = elapsed_seconds(session.live.step_started_at)
    over = seconds - exercise.minutes * 60
    cols[3].metric(f"Time (suggested {exercise.minutes} min)", f"{seconds // 60}:{seconds % 60:02d}",
                   delta=f"{over // 60}:{over % 60:02d} over" if over > 0 else None, delta_color="inverse")
    moderation_queue(ws, code, step)
    if results.suppressed:
        st.info(f"{results.needed} more answer(s) needed before the chart is shown "
                f"(minimum {results.min_answers}).")
    else:
        results_view(results, key=f"facilitator_chart_{step}")
