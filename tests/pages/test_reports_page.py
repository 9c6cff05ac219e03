"""AppTest runs of the reports page against a real temporary DuckDB file."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.workshop.test_reports import seed
from ui.access import SIGNED_IN
from workshop import runtime
from workshop.access import Throttle

PAGES = Path(__file__).resolve().parents[2] / "pages"


@pytest.fixture(autouse=True)
def this_workshop(workshop, monkeypatch):
    monkeypatch.setenv("WORKSHOP_PASSCODE", "river-hub-rim-042")
    monkeypatch.setattr(runtime, "passcode_throttle", Throttle())
    runtime.replace(workshop)
    yield workshop
    runtime.replace(None)


def page() -> AppTest:
    """The reports page as a signed-in facilitator reaches it."""
    at = AppTest.from_file(str(PAGES / "navigation.py"), default_timeout=60)
    at.session_state[SIGNED_IN] = True
    return at.switch_page("reports.py")


def listed_codes(at: AppTest) -> list[str]:
    return list(at.dataframe[0].value["code"])


def test_the_reports_page_without_sessions_says_where_they_come_from():
    at = page().run()
    assert not at.exception
    assert at.title[0].value == "Reports"
    assert at.info[0].value.startswith("No session yet.")
    assert not at.get("download_button")


def test_the_reports_page_lists_sessions_newest_first_with_their_counts(workshop):
    first = seed(workshop)
    second = workshop.start_session("relational-checkin").code
    at = page().run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table.columns) == ["date (UTC)", "code", "agenda", "status", "participants", "answers", "passes"]
    assert listed_codes(at) == [second, first.code]
    assert list(table["agenda"]) == ["Relational check-in", "The nine domains of integration"]
    assert list(table["participants"]) == [0, 5] and list(table["answers"]) == [0, 22]
    assert at.selectbox(key="reports_session").value == second


def test_the_filter_narrows_the_list_by_title_or_code(workshop):
    first = seed(workshop)
    second = workshop.start_session("relational-checkin").code
    at = page().run()
    at.text_input(key="reports_filter").input("nine DOMAINS").run()
    assert listed_codes(at) == [first.code]
    assert at.selectbox(key="reports_session").value == first.code
    at.text_input(key="reports_filter").input(second.lower()).run()
    assert listed_codes(at) == [second]
    at.text_input(key="reports_filter").input("no such session").run()
    assert at.info[-1].value == "No session matches this filter."
    assert not at.get("download_button")


def test_one_session_gets_three_downloads_and_its_charts(workshop):
    seeded = seed(workshop)
    at = page().run()
    assert not at.exception
    assert at.selectbox(key="reports_session").value == seeded.code
    # AppTest sends no cookies: the links need the browser's xsrf cookie (tests/browser/test_report_downloads.py).
    assert at.error[0].value.startswith("Downloads need Streamlit's xsrf cookie")
    [status] = at.status
    assert status.label.startswith(f"Report of {seeded.code} built in ")
    assert at.caption[0].value.endswith("5 phones · 25 responded: 22 answers, 3 passes")
    # The pre/post slope chart; the profile of one domain is a sentence; one session: no trend yet.
    assert len(at.get("plotly_chart")) == 1
    assert "This agenda touched 1 domain with a scale: Temporal 5 / 10 (a radar needs 3)." in \
        [t.value for t in at.text]
    assert ("3 phones answered both · median change +2 points on the 0–10 scale · "
            "2 answered only once and are left out") in [c.value for c in at.caption]
    assert at.caption[-1].value.startswith("Run this agenda again")


def test_a_second_run_of_the_agenda_adds_the_trend_chart(workshop):
    seed(workshop, {1: [2, 4, 6], 13: [5, 6, 7]}, phones=3)
    seed(workshop, {1: [6, 7, 8], 13: [8, 8, 9]}, phones=3)
    at = page().run()
    assert not at.exception
    keys = [chart.proto.id for chart in at.get("plotly_chart")]
    assert len(keys) == 2  # pre/post and trend; no domain scale step was answered
    assert at.caption[-1].value.startswith("Median of each scale step in the 2 sessions")


def test_the_reports_page_is_behind_the_facilitator_passcode(workshop):
    seed(workshop)
    at = AppTest.from_file(str(PAGES / "navigation.py"), default_timeout=30)
    at.switch_page("reports.py").run()
    assert [b.key for b in at.button] == ["passcode_submit"]
    assert not at.get("download_button") and not at.dataframe


def test_an_organiser_purges_typed_text_then_deletes_the_session_after_confirming(workshop):
    seeded = seed(workshop)
    word_answers = workshop.step_results(seeded.code, 6).responses
    at = page().run()
    at.button(key="purge_confirm").click().run()
    assert at.info[0].value.startswith("Forgot ")
    assert workshop.step_results(seeded.code, 6).counts == ()
    assert workshop.step_results(seeded.code, 6).responses == word_answers
    at.button(key="delete_confirm").click().run()  # no code typed: nothing happens
    assert at.info[0].value == "Type the session code to confirm the deletion."
    assert [s.code for s in workshop.sessions()] == [seeded.code]
    at.text_input(key="delete_confirm_code").input(seeded.code.lower())
    at.button(key="delete_confirm").click().run()
    assert at.info[0].value == f"Session {seeded.code} and every answer in it were deleted."
    assert workshop.sessions() == []
