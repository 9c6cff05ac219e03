"""Reports: pick a past or running session, download its report and data, see its change."""

import streamlit as st

from ui.components import session_picker
from ui.reports import changes, compare, downloads, matching, profile, retention, session_table
from workshop.reports import trend
from workshop.runtime import workshop

ws = workshop()
st.title("Reports")
st.page_link("facilitator.py", label="← Back to the facilitator view")
if message := st.session_state.pop("retention_message", None):
    st.info(message)

summaries = ws.sessions()
if not summaries:
    st.info("No session yet. Sessions appear here once started from the facilitator page.")
    st.stop()

query = st.text_input("Filter by agenda title or code", key="reports_filter",
                      placeholder="e.g. nine domains, or a join code")
shown = matching(summaries, query)
session_table(shown)
if not shown:
    st.info("No session matches this filter.")
    st.stop()

code = session_picker("Session", shown, "reports_session",
                      lambda s: f"{s.created_at:%Y-%m-%d} · {s.code} · {s.title}")

st.subheader("Downloads")
built = downloads(ws, code)
changes(built.report)
profile(built.report)
compare(trend(ws, built.report.session.agenda_id))
retention(ws, code)
