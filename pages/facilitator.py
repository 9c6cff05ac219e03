"""Facilitator view: start a session and step through its agenda."""

import streamlit as st

from ui.access import new_projector_link, projector_link
from ui.components import join_address, session_picker
from ui.facilitator import FACILITATOR_CSS, live_panel, settings_inputs
from workshop import config
from workshop.models import SessionSettings
from workshop.runtime import workshop
from workshop.refusals import WorkshopError

ws = workshop()
st.html(FACILITATOR_CSS)
title_col, *link_cols = st.columns([4, 1, 1], vertical_alignment="center")
title_col.markdown("#### IPNB live workshop")
link_cols[0].page_link("agendas.py", label="Agenda builder")
link_cols[1].page_link("reports.py", label="Reports")

if ws.library.errors:
    with st.expander(f"⚠️ {len(ws.library.errors)} problem(s) in the content files", expanded=True):
        for error in ws.library.errors:
            st.text(str(error))
saved, problems = ws.saved_agendas()
for problem in problems:
    st.warning(problem)

# -- start a session ------------------------------------------------------------
running = [s for s in ws.sessions() if not s.ended]
with st.expander("Start a session", expanded=not running):
    agendas = ws.agendas(saved)
    if not agendas:
        st.error("No agenda could be loaded from the content folder.")
    else:
        agenda_id = st.selectbox("Agenda", list(agendas), key="agenda_select",
                                 format_func=lambda a: f"{agendas[a].title} · {agendas[a].minutes} min")
        agenda = agendas[agenda_id]
        st.write(agenda.description)
        with st.popover(f"See its {len(agenda.steps)} steps", key="agenda_steps"):
            for number, step in enumerate(agenda.steps, start=1):
                st.text(f"{number}. {step.title}  ({step.domain_label}, {step.type.label}, {step.minutes} min)")
        settings = settings_inputs("new", SessionSettings())
        if st.button("Start session", key="start_session", type="primary"):
            started = ws.start_session(agenda_id, settings).code
            st.session_state["session_select"] = started
            new_projector_link(started)
            st.rerun()

# -- run a session --------------------------------------------------------------
if not running:
    st.info("No session is running. Pick an agenda and start one.")
    st.stop()

# Everything a running step needs fits one laptop screen (1366×768): the session and its
# links on one row, the step controls, then the live panel (tests/browser/test_facilitator_layout.py).
top = st.columns([2.3, 3, 1.35, 1.35], vertical_alignment="center")
with top[0]:
    code = session_picker("Running session", running, "session_select", lambda s: f"{s.code} · {s.title}",
                          label_visibility="collapsed")
session = ws.session(code)
live = session.live
with top[1]:
    try:
        st.code(join_address(code), language=None)
    except RuntimeError as exc:
        st.error(str(exc))
link = projector_link(code)
if link:
    top[2].link_button("Open projector view ↗", link, key="open_projector", width="stretch")
    top[3].button("New projector link", key="new_projector_link", width="stretch",
                  on_click=new_projector_link, args=(code,),
                  help="The projector tab opened with the old link goes blank within a second.")
else:
    top[2].button("Make projector link", key="make_projector_link", type="primary", width="stretch",
                  on_click=new_projector_link, args=(code,),
                  help="A link for the projector tab only. Making a new one closes the old one, "
                       "so a link seen in the room's tab or history opens nothing later.")


def act(command, *args) -> None:
    try:
        command(code, *args)
    except WorkshopError as exc:
        st.toast(exc.message)


controls = st.columns(7)
index = live.step_index
# Each button names the step it leads to, so a click delivered twice (a busy server,
# a reconnecting tab) lands on the same step instead of skipping one.
controls[0].button("◀ Previous", key="prev_step", width="stretch", disabled=index < 0,
                   on_click=act, args=(ws.go_to_step, index - 1))
controls[1].button("Next ▶" if index >= 0 else "Begin ▶", key="next_step", type="primary", width="stretch",
                   disabled=index >= len(session.steps) - 1, on_click=act, args=(ws.go_to_step, index + 1))
controls[2].button("Close answering" if live.is_open else "Open answering", key="toggle_open",
                   width="stretch", disabled=index < 0, on_click=act, args=(ws.set_open, not live.is_open))
controls[3].button("Hide results" if live.results_shown else "Show results", key="toggle_results",
                   width="stretch", disabled=index < 0,
                   on_click=act, args=(ws.set_results_shown, not live.results_shown))
controls[4].button("Unblank projector" if live.blank else "Blank projector", key="toggle_blank",
                   width="stretch", on_click=act, args=(ws.set_blank, not live.blank))
controls[5].button("Show join code" if live.join_hidden else "Hide join code", key="toggle_join",
                   width="stretch", on_click=act, args=(ws.set_join_hidden, not live.join_hidden))
with controls[6].popover("End session", width="stretch", key="end_popover"):
    st.write("Phones will be thanked and no more answers accepted.")
    st.button("Yes, end it", key="end_session", on_click=act, args=(ws.end_session,))


@st.fragment(run_every=config.facilitator_refresh_seconds())
def live_updates() -> None:
    live_panel(ws, code)


live_updates()

with st.expander("Privacy settings of this session"):
    chosen = settings_inputs(f"session_{code}", session.settings)
    if chosen != session.settings:
        ws.update_settings(code, chosen)
