"""A phone's "Connection lost" banner goes within a second or two of the server coming back
(issue 13, item 4), and the phone follows the facilitator again."""

import time

import duckdb
import pytest
from playwright.sync_api import expect

from harness import ROOT
from harness.content import copy_content_with_all_types
from harness.streamlit_server import start_streamlit
from tests.browser.conftest import PHONE, join_as_phone
from tests.browser.test_live_workshop import collect_errors, press, set_range, sign_in, start_session

pytestmark = pytest.mark.browser
SHOTS = ROOT / "docs" / "screenshots"


def test_the_reconnecting_banner_goes_as_soon_as_the_server_is_back(tmp_path, browser):
    content = copy_content_with_all_types(tmp_path / "content")
    settings = {"WORKSHOP_DB_PATH": str(tmp_path / "workshop.duckdb"), "WORKSHOP_CONTENT_DIR": str(content)}
    first = start_streamlit(tmp_path, **settings)
    port = int(first.url.rsplit(":", 1)[1])
    second = None
    try:
        facilitator = browser.new_page(viewport={"width": 1400, "height": 1000})
        _, join_url = start_session(facilitator, first.url, "Every question type")
        phone = browser.new_context(**PHONE).new_page()
        join_as_phone(phone, join_url)
        banner = phone.locator("#connection-status")
        expect(banner).to_be_hidden()
        live_requests: list[float] = []
        phone.on("request", lambda r: "/api/live" in r.url and live_requests.append(time.monotonic()))

        # A crash: the parked long-poll breaks and the phone says so.
        first.process.kill()
        first.process.wait()
        down_at = time.monotonic()
        expect(banner).to_be_visible(timeout=10_000)
        expect(banner).to_have_text("Connection lost. Reconnecting\u2026")
        expect(phone.locator("#waiting")).to_be_visible()  # the screen under it stays
        phone.screenshot(path=SHOTS / "phone-reconnecting.png", animations="disabled")
        phone.wait_for_timeout(4_000)  # a few seconds down: the phone knocks, but not in a loop
        knocks = [t for t in live_requests if t > down_at]
        seconds_down = time.monotonic() - down_at
        assert 2 <= len(knocks) <= seconds_down / 0.6 + 2, (len(knocks), seconds_down)

        second = start_streamlit(tmp_path, port=port, **settings)
        back_at = time.monotonic()
        expect(banner).to_be_hidden(timeout=2_000)
        assert time.monotonic() - back_at < 2.0

        # The facilitator signs in again; the phone follows the next step without a touch.
        phone_errors = collect_errors(phone)
        sign_in(facilitator, second.url)
        press(facilitator, "next_step")
        expect(phone.locator("#prompt")).to_contain_text("integrated", timeout=10_000)
        expect(phone.locator("#scale-input")).to_be_visible()
        expect(banner).to_be_hidden()
        assert phone_errors == []

        # Down again while the phone answers: the answer waits, and goes once the server is back.
        second.process.kill()
        second.process.wait()
        expect(banner).to_be_visible(timeout=10_000)
        set_range(phone, "#scale-input", 6)
        phone.locator("#submit-button").click()
        expect(phone.locator("#status-message")).to_contain_text("No connection", timeout=10_000)
        phone.wait_for_timeout(5_000)  # long enough for the answer's own retries to back off
        second = start_streamlit(tmp_path, port=port, **settings)
        expect(banner).to_be_hidden(timeout=2_000)
        # At once, not at its own next retry (up to 5 s away): the server answering a poll is enough.
        expect(phone.locator("#status-message")).to_contain_text("Thank you", timeout=1_000)
        expect(phone.locator("#sent-summary")).to_have_text("You sent: 6")
    finally:
        first.stop()
        if second is not None:
            second.stop()
    with duckdb.connect(settings["WORKSHOP_DB_PATH"], read_only=True) as conn:
        rows = conn.execute("SELECT step_index, value_json FROM answers").fetchall()
    assert rows == [(0, "6")]
