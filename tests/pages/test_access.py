"""Only facilitators reach the Streamlit pages; a projector tab opens with its session's key."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.test_pages import PAGES
from workshop import runtime
from workshop.access import Throttle, generate_passcode, projector_key

PASSCODE = "river-hub-rim-042"


@pytest.fixture(autouse=True)
def this_workshop(workshop, monkeypatch):
    monkeypatch.setenv("WORKSHOP_PASSCODE", PASSCODE)
    monkeypatch.setenv("WORKSHOP_PUBLIC_URL", "http://workshop.test:8501")
    monkeypatch.setattr(runtime, "passcode_throttle", Throttle())
    monkeypatch.setattr("ui.access.passcode_throttle", runtime.passcode_throttle)
    runtime.replace(workshop)
    yield workshop
    runtime.replace(None)


def app() -> AppTest:
    return AppTest.from_file(str(PAGES / "navigation.py"), default_timeout=30)


def test_the_facilitator_page_asks_for_the_passcode_and_shows_nothing_else(workshop):
    workshop.start_session("relational-checkin")
    at = app().run()
    assert not at.exception
    assert at.title[0].value == "IPNB live workshop"
    assert [b.key for b in at.button] == ["passcode_submit"]
    assert not at.selectbox and not at.get("image")
    at.text_input(key="passcode_input").input("wrong")
    at.button(key="passcode_submit").click().run()
    assert at.error[0].value == "That passcode is not right."
    at.text_input(key="passcode_input").input(PASSCODE)
    at.button(key="passcode_submit").click().run()
    assert at.selectbox(key="agenda_select") is not None
    assert at.button(key="start_session") is not None


def test_a_projector_url_opens_only_with_its_own_sessions_key(workshop):
    code = workshop.start_session("relational-checkin").code
    other = workshop.start_session("relational-checkin").code
    guessed = app()
    guessed.query_params.update({"code": code})
    guessed.switch_page("projector.py").run()
    assert not guessed.get("image") and code not in str([h.proto for h in guessed.get("html")])
    wrong = app()
    wrong.query_params.update({"code": code, "key": projector_key(PASSCODE, other)})
    wrong.switch_page("projector.py").run()
    assert not wrong.get("image")
    right = app()
    right.query_params.update({"code": code, "key": projector_key(PASSCODE, code)})
    right.switch_page("projector.py").run()
    assert len(right.get("image")) == 1  # the QR code


def test_repeated_wrong_passcodes_are_slowed_down():
    throttle = Throttle(free_attempts=3)
    for _ in range(2):
        throttle.record(False, now=100.0)
    assert throttle.wait_seconds(now=100.0) == 0
    throttle.record(False, now=100.0)
    assert throttle.wait_seconds(now=100.0) == 1.0
    throttle.record(False, now=101.0)
    assert throttle.wait_seconds(now=101.0) == 2.0
    throttle.record(True, now=200.0)
    assert throttle.wait_seconds(now=200.0) == 0


def test_generated_passcodes_differ_and_are_easy_to_read_aloud():
    codes = {generate_passcode() for _ in range(50)}
    assert len(codes) > 45
    assert all(len(c.split("-")) == 4 and c[-3:].isdigit() for c in codes)
