"""Pieces of the facilitator view: settings, the live panel and the moderation queue."""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone

import streamlit as st

from ui.components import results_view
from workshop.models import Hold, Moderation, Session, SessionSettings
from workshop.results import StepResults
from workshop.questions import kind_of
from workshop.admission import BURST_WARNING_JOINS
from workshop.charts import answers_and_passes, summary_line, waiting_line
from workshop.service import MAX_EXPECTED_SIZE, MAX_MIN_ANSWERS, Workshop


def settings_inputs(prefix: str, current: SessionSettings) -> SessionSettings:
    """The privacy choices of a session, as widgets with stable keys."""
    min_answers = st.number_input(
        "Show a chart only once this many people have answered", min_value=1,
        max_value=MAX_MIN_ANSWERS, value=current.min_answers, step=1, key=f"{prefix}_min_answers",
        help="Small-group protection: with very few answers, people can guess who said what.")
    hold = st.radio("Wait for my approval before the projector shows", list(Hold), horizontal=True,
                    index=list(Hold).index(current.hold), format_func=lambda h: h.label,
                    key=f"{prefix}_hold",
                    help="Words go to the word cloud, texts to the text wall. Anything shown can "
                         "still be hidden at once.")
    share = st.toggle("When I show results, show the group's counts on phones too",
                      value=current.share_with_phones, key=f"{prefix}_share_with_phones",
                      help="Off by default. Phones never see anyone's own text or position.")
    room_code = st.toggle("Ask new phones for the room code shown on the projector",
                          value=current.room_code, key=f"{prefix}_room_code",
                          help="A 4-digit number that changes every two minutes, so a join link "
                               "passed on outside the room opens nothing. Phones that joined are "
                               "never asked again. It does not stop someone in the room.")
    expected = st.number_input(
        "People expected (0: no limit)", min_value=0, max_value=MAX_EXPECTED_SIZE,
        value=current.expected_size, step=1, key=f"{prefix}_expected_size",
        help="Phones beyond this many wait until you let them in, so extra browser tabs cannot "
             "outnumber the small-group protection. You see how many wait, never who.")
    return SessionSettings(min_answers=int(min_answers), hold=hold, share_with_phones=share,
                           room_code=room_code, expected_size=int(expected))


def _value_key(step: int, value: str) -> str:
    return f"{step}_{hashlib.sha1(value.encode('utf-8')).hexdigest()[:12]}"


QUEUE_PAGE_SIZE = 12  # rows drawn per refresh; the rest is a page away, never out of reach
QUEUE_BOX_PX = 240  # about four rows (FACILITATOR_CSS lets it grow with the window); the rest scrolls inside
ORDER_LABELS = {"newest": "Newest first", "frequent": "Most frequent first"}


def _queue_page(step: int, pages: int) -> int:
    """This step's page of the queue (kept in the tab's state), within the pages there are now."""
    key = f"moderation_page_{step}"
    st.session_state[key] = min(max(st.session_state.get(key, 0), 0), max(pages - 1, 0))
    return st.session_state[key]


def _first_page(step: int) -> None:
    """A new search or order starts on its first page."""
    st.session_state[f"moderation_page_{step}"] = 0


def _turn_page(step: int, by: int) -> None:
    st.session_state[f"moderation_page_{step}"] = st.session_state.get(f"moderation_page_{step}", 0) + by


def moderation_queue(ws: Workshop, code: str, step: int) -> None:
    """Approve or hide each distinct word or text; typed text is shown as plain text only.

    A flood of junk must not push a real answer out of reach: the whole queue is paged,
    can be searched and sorted newest first, and a page of junk is hidden with one click.
    """
    session = ws.session(code)
    everything = ws.moderation_queue(code, step)
    if not everything:
        return
    waiting_total = sum(1 for _, _, state in everything if ws.is_waiting(session, step, state))
    title = (f"Moderation · {waiting_total} waiting of {len(everything)}" if ws.holds(session, step)
             else f"Moderation · {len(everything)} shown or hidden")
    with st.container(border=True, key=f"moderation_{step}"):
        st.markdown(f"**{title}**")
        search_col, order_col = st.columns([3, 2.6], vertical_alignment="center")
        search = search_col.text_input("Find a word or text", key=f"moderation_search_{step}",
                                       placeholder="Find a word or text", label_visibility="collapsed",
                                       on_change=_first_page, args=(step,))
        order = order_col.segmented_control("Order", list(ORDER_LABELS), format_func=ORDER_LABELS.get,
                                            default="frequent", key=f"moderation_order_{step}",
                                            label_visibility="collapsed", on_change=_first_page,
                                            args=(step,)) or "frequent"
        bulk = st.columns([2, 2.3, 1.6], vertical_alignment="center")
        waiting_only = bulk[2].toggle("Waiting only", key=f"moderation_waiting_{step}",
                                      on_change=_first_page, args=(step,))
        queue = ws.moderation_queue(code, step, order=order, search=search, waiting_only=waiting_only)
        pages = max(1, -(-len(queue) // QUEUE_PAGE_SIZE))
        page = _queue_page(step, pages)
        shown_here = queue[page * QUEUE_PAGE_SIZE:(page + 1) * QUEUE_PAGE_SIZE]
        waiting = [value for value, _, state in queue if ws.is_waiting(session, step, state)]
        bulk[0].button(f"Show all {len(waiting)} waiting", key=f"approve_all_{step}", disabled=not waiting,
                       on_click=ws.moderate_many, args=(code, step, waiting, Moderation.APPROVED),
                       help="Every waiting answer that matches the search, on every page.")
        bulk[1].button(f"Hide all {len(shown_here)} shown here", key=f"hide_page_{step}",
                       disabled=not shown_here, on_click=ws.moderate_many,
                       args=(code, step, [value for value, _, _ in shown_here], Moderation.HIDDEN))
        # The page's rows scroll inside their own box, so the controls above stay in view.
        with st.container(height=QUEUE_BOX_PX, key=f"moderation_rows_{step}"):
            for value, count, state in shown_here:
                _queue_row(ws, session, code, step, value, count, state)
        pager = st.columns([1, 4, 1], vertical_alignment="center")
        pager[0].button("◀", key=f"moderation_prev_{step}", disabled=page == 0, on_click=_turn_page,
                        args=(step, -1), help="Previous page")
        pager[1].caption(f"Page {page + 1} of {pages} · {len(queue)} found")
        pager[2].button("▶", key=f"moderation_next_{step}", disabled=page >= pages - 1,
                        on_click=_turn_page, args=(step, 1), help="Next page")


def _queue_row(ws: Workshop, session, code: str, step: int, value: str, count: int,
               state: Moderation | None) -> None:
    key = _value_key(step, value)
    text_col, count_col, approve_col, hide_col = st.columns([4, 0.8, 1.4, 1.4], vertical_alignment="center")
    text_col.text(value)
    count_col.text(f"×{count}")
    if not ws.is_value_shown(session, step, state):
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


def joins_panel(ws: Workshop, code: str) -> None:
    """The room code to read aloud, phones waiting to be let in, and a burst from one address."""
    session = ws.session(code)
    room_code = ws.room_code(code)
    if room_code:
        st.markdown(f"Room code for new phones: **{room_code}** (on the projector; it changes every two minutes)")
    waiting = ws.waiting_joins(code) if session.settings.expected_size else 0
    if waiting:
        with st.container(border=True, key="waiting_joins"):
            st.markdown(f"**{waiting} phone{'s' if waiting != 1 else ''} waiting to join** · "
                        f"you expected {session.settings.expected_size}")
            cols = st.columns(3)
            cols[0].button("Let 1 in", key="admit_one", width="stretch",
                           on_click=ws.admit_waiting, args=(code, 1),
                           help="The phone that has waited longest.")
            cols[1].button(f"Let all {waiting} in", key="admit_all", type="primary", width="stretch",
                           on_click=ws.admit_waiting, args=(code,))
            cols[2].button("Turn all away", key="refuse_all", width="stretch",
                           on_click=ws.refuse_waiting, args=(code,),
                           help="They are told the facilitator did not let them in.")
    burst = ws.join_burst(code)
    if burst >= BURST_WARNING_JOINS:
        st.warning(f"{burst} new phones joined from one network address in the last two minutes: "
                   "perhaps one person with several browser tabs. Compare “Phones joined” with the "
                   "people in the room; an expected size makes extra phones wait.", icon="⚠️")


PREVIEW_PX = 190  # the small "what the room sees" chart below the counts

# The laptop view must fit 1366×768 without scrolling while a step runs: tighter page margins
# and metrics than Streamlit's defaults, and a moderation box that grows with the window
# (about 4 rows at 768 px, 6 at 900 px; the rest scrolls inside it).
FACILITATOR_CSS = """
<style>
.stMainBlockContainer {padding-left: 2rem; padding-right: 2rem;}
[data-testid="stMetricValue"] {font-size: 1.6rem;}
[data-testid="stMetric"] {padding: 0;}
[data-testid="stLayoutWrapper"]:has(> [class*="st-key-moderation_rows_"]) {
  flex-basis: max(150px, calc(100vh - 565px)) !important; height: max(150px, calc(100vh - 565px)) !important;}
.st-key-room_preview h1, .st-key-room_preview h2 {font-size: 1.1rem;}
</style>
"""


def live_panel(ws: Workshop, code: str) -> None:
    """The live step in two columns: on the left the prompt, counts, timer, pause requests, who
    is joining and a small preview of what the room sees; on the right the moderation queue
    (for words and texts) and the facilitator notes."""
    session = ws.session(code)
    live = session.live
    exercise = session.current_exercise
    left, right = st.columns(2, gap="medium")
    results = ws.step_results(code, live.step_index) if exercise is not None else None
    moderated = exercise is not None and kind_of(exercise).moderated
    with left:
        if exercise is None:
            st.info("Phones see the welcome and wait. Press **Begin** to show the first exercise.")
        else:
            st.markdown(f"**Step {live.step_index + 1} of {len(session.steps)}** · {exercise.domain_label} · "
                        f"{exercise.type.label} · {exercise.minutes} min · "
                        f"answering {'open' if live.is_open else 'closed'} · "
                        f"results {'shown' if live.results_shown else 'hidden'}")
            st.markdown(f"**{exercise.title}**: {exercise.prompt}")
            if exercise.content_note:
                st.warning(f"Content note: {exercise.content_note}")
        _counts(ws, session, results)
        cue = kind_of(exercise).facilitator_cue(results) if results is not None else None
        if cue:  # for this laptop only: the projector and phones never show it
            with st.container(key="facilitator_cue"):
                st.info(cue, icon=":material/self_improvement:")
        joins_panel(ws, code)
        with st.container(border=True, key="room_preview"):
            _room_preview(ws, session, results)
    with right:
        if moderated:
            moderation_queue(ws, code, live.step_index)
        if exercise is not None:
            with st.expander("Facilitator notes", expanded=not moderated):
                st.write(exercise.notes)


def _counts(ws: Workshop, session, results) -> None:
    code = session.code
    people = ws.participant_count(code)
    expected = session.settings.expected_size
    cols = st.columns([1.1, 1.1, 1.2, 1])
    cols[0].metric("Phones joined", f"{people} of {expected}" if expected else people,
                   help="Phones joined against the people you expected." if expected else None)
    cols[3].metric("Pause requests", ws.pause_count(code),
                   help="Phones that tapped “I need a pause” in the last 5 minutes. Anonymous: "
                        "only the count is kept.")
    if results is None:
        return
    cols[1].metric("Responded", results.responses + results.passes,
                   help=answers_and_passes(results.responses, results.passes))
    exercise = results.exercise
    seconds = elapsed_seconds(session.live.step_started_at)
    over = seconds - exercise.minutes * 60
    cols[2].metric(f"Time ({exercise.minutes} min)", f"{seconds // 60}:{seconds % 60:02d}",
                   delta=f"{over // 60}:{over % 60:02d} over" if over > 0 else None, delta_color="inverse")


def _room_preview(ws: Workshop, session: Session, results: StepResults | None) -> None:
    """What the projector shows now, small, in the same words; with results hidden from the
    room, the facilitator still sees what showing them would show."""
    live = session.live
    if live.blank:
        st.caption("What the room sees")
        st.markdown("The projector is **blank**.")
    elif live.ended:
        st.caption("What the room sees")
        st.markdown("The closing screen: **Thank you for taking part.**")
    elif results is None:
        st.caption("What the room sees")
        st.markdown("The welcome screen with the **QR code** and join code.")
    else:
        st.caption("What the room sees" if live.results_shown
                   else "Hidden from the room until you press Show results")
        if results.suppressed:
            st.markdown(f"{results.needed} more answer(s) needed before results are shown "
                        f"(minimum {results.min_answers}).")
            st.caption(summary_line(results))
        elif results.all_waiting:
            st.markdown(f"**{waiting_line(results.waiting)}.**")
            st.caption(summary_line(results))
        else:
            results_view(results, ws.step_figure(session.code, live.step_index, PREVIEW_PX),
                         key=f"facilitator_chart_{live.step_index}", height=PREVIEW_PX)
