"""Pieces of the reports page: the session list, the downloads and the take-home charts."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone

import streamlit as st

from web.downloads import XSRF_COOKIE, browser_id
from workshop import export_files, reports
from workshop.downloads import tokens
from workshop.charts import FIGURE_CONFIG, counts_line
from workshop.report_charts import domain_profile_figure, pre_post_figure, trend_figure
from workshop.models import SessionSummary
from workshop.service import Workshop

FILES_KEY = "reports_files"   # this component's one session-state entry: the last build


@dataclass(frozen=True)
class Built:
    """The downloads of one session as built at one moment."""

    code: str
    built_at: datetime
    seconds: float
    report: reports.SessionReport
    html: bytes
    csv_zip: bytes
    parquet: bytes


def matching(summaries: list[SessionSummary], query: str) -> list[SessionSummary]:
    """Sessions whose title or code contains the query, ignoring case."""
    query = query.strip().lower()
    return [s for s in summaries if query in s.title.lower() or query in s.code.lower()]


def session_table(summaries: list[SessionSummary]) -> None:
    st.dataframe(
        [{"date (UTC)": f"{s.created_at:%Y-%m-%d %H:%M}", "code": s.code, "agenda": s.title,
          "status": "ended" if s.ended else "running", "participants": s.participants,
          "answers": s.answers, "passes": s.passes} for s in summaries],
        hide_index=True, key="reports_table")


def _size(data: bytes) -> str:
    return f"{len(data) / 1_000_000:.1f} MB" if len(data) >= 100_000 else f"{len(data) / 1000:.0f} kB"


def build(ws: Workshop, code: str) -> Built:
    """Build every download of a session, showing progress; keeps the result for reruns."""
    started = time.perf_counter()
    session = ws.session(code)
    with st.status(f"Building the report of {code}…", expanded=True) as status:
        bar = st.progress(0.0, text="Starting")
        report = reports.build(ws, code, progress=lambda f, text: bar.progress(0.8 * f, text=text))
        html = reports.html_report(report, progress=lambda f, text: bar.progress(0.8 * f, text=text))
        bar.progress(0.85, text="Writing the CSV zip")
        zipped = export_files.csv_zip(ws.store, session)
        bar.progress(0.95, text="Writing the Parquet file")
        parquet = export_files.parquet_bytes(ws.store, session)
        seconds = time.perf_counter() - started
        bar.progress(1.0, text="Done")
        status.update(label=f"Report of {code} built in {seconds:.1f} s", state="complete",
                      expanded=False)
    built = Built(code=code, built_at=datetime.now(timezone.utc), seconds=seconds, report=report,
                  html=html, csv_zip=zipped, parquet=parquet)
    st.session_state[FILES_KEY] = built
    return built


def downloads(ws: Workshop, code: str) -> Built:
    """The three download buttons of a session; built once per session, rebuilt on request."""
    built: Built | None = st.session_state.get(FILES_KEY)
    rebuild = st.button("Rebuild with the latest answers", key="reports_rebuild")
    if built is None or built.code != code or rebuild:
        built = build(ws, code)
    st.caption(f"Built at {built.built_at:%H:%M:%S} UTC in {built.seconds:.1f} s · "
               f"{built.report.participants} phones · "
               f"{counts_line(built.report.answers, built.report.passes)}")
    _download_links(built)
    return built


@st.fragment(run_every=tokens.ttl / 2)
def _download_links(built: Built) -> None:
    """Links that work for `tokens.ttl` seconds, drawn afresh every half of that, so a link on
    a page left open is never one that has expired."""
    browser = browser_id(st.context.cookies.get(XSRF_COOKIE))
    if browser is None:
        st.error("Downloads need Streamlit's xsrf cookie (server.enableXsrfProtection = true).")
        return
    session = built.report.session
    cols = st.columns(3)
    files = [("download_html", f"HTML report ({_size(built.html)})", built.html, "report.html", "text/html"),
             ("download_csv", f"CSV in a zip ({_size(built.csv_zip)})", built.csv_zip, "answers.zip",
              "application/zip"),
             ("download_parquet", f"Parquet ({_size(built.parquet)})", built.parquet, "answers.parquet",
              "application/vnd.apache.parquet")]
    for col, (key, label, data, name, media) in zip(cols, files):
        token = tokens.issue(data, export_files.filename(session, name), media, browser, built.code)
        col.link_button(label, f"/download/{token}", key=key, width="stretch")


def changes(report: reports.SessionReport) -> None:
    st.subheader("Pre/post change")
    if not report.changes:
        st.caption("This agenda does not ask the same scale twice.")
    for number, change in enumerate(report.changes, start=1):
        st.markdown(f"**{change.exercise.title}** · step {change.before_step + 1} → "
                    f"step {change.after_step + 1}")
        st.caption(change.summary())
        if change.suppressed:
            st.info(f"Fewer than {change.min_answers} phones answered both: not shown.")
        else:
            st.plotly_chart(pre_post_figure(change), config=FIGURE_CONFIG, theme=None,
                            key=f"reports_change_{number}", width="stretch")


def profile(report: reports.SessionReport) -> None:
    st.subheader("Nine-domain profile")
    if not report.profile.has_data:
        st.caption("No domain scale step with enough answers in this session.")
        return
    st.caption("The group's median per domain, from the scale steps shown (each scale put on 0–10).")
    if not report.profile.drawable:
        st.text(report.profile.sentence())
        return
    st.plotly_chart(domain_profile_figure(report.profile), config=FIGURE_CONFIG, theme=None,
                    key="reports_profile", width="stretch")


def compare(trend: reports.Trend) -> None:
    st.subheader("Compare sessions")
    if len(trend.sessions) < 2 or not trend.series:
        st.caption("Run this agenda again to see its scale steps change from session to session.")
        return
    st.caption(f"Median of each scale step in the {len(trend.sessions)} sessions of this agenda, "
               "oldest first; steps with too few answers are left out.")
    st.plotly_chart(trend_figure(trend), config=FIGURE_CONFIG, theme=None, key="reports_trend",
                    width="stretch")


def _purge(ws: Workshop, code: str) -> None:
    purged = ws.purge_typed_text(code)
    tokens.revoke(code)
    st.session_state.pop(FILES_KEY, None)
    st.session_state["retention_message"] = f"Forgot {purged} typed word(s) and text(s); counts are kept."


def _delete(ws: Workshop, code: str) -> None:
    if st.session_state.get("delete_confirm_code", "").strip().upper() != code:
        st.session_state["retention_message"] = "Type the session code to confirm the deletion."
        return
    ws.delete_session(code)
    tokens.revoke(code)
    st.session_state.pop(FILES_KEY, None)
    st.session_state.pop("reports_session", None)
    st.session_state["retention_message"] = f"Session {code} and every answer in it were deleted."


def retention(ws: Workshop, code: str) -> None:
    """Forget typed text, or the whole session; both ask for confirmation first."""
    st.subheader("Retention")
    purge_col, delete_col = st.columns(2)
    with purge_col.popover("Forget typed words and texts", key="purge_popover"):
        st.write("Removes what people typed in this session. Counts and all other answers stay. "
                 "This cannot be undone.")
        st.button("Yes, forget them", key="purge_confirm", on_click=_purge, args=(ws, code))
    with delete_col.popover("Delete this session", key="delete_popover"):
        st.write("Removes the session and every answer in it from this laptop. This cannot be undone.")
        st.text_input(f"Type {code} to confirm", key="delete_confirm_code")
        st.button("Delete for good", key="delete_confirm", type="primary", on_click=_delete,
                  args=(ws, code))
