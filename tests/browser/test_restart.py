"""A restart mid-workshop (a crash, a laptop that slept, an update) is invisible to the room."""

import re

import pytest
from playwright.sync_api import expect

from harness.content import copy_content_with_all_types
from harness.streamlit_server import start_streamlit
from tests.browser.test_live_workshop import press, start_session

pytestmark = pytest.mark.browser


def printed_passcode(log) -> str | None:
    found = re.search(r"Facilitator passcode: ([a-z]+(?:-[a-z]+){5})\b", log.read_text())
    return found.group(1) if found else None


def test_without_a_configured_passcode_a_restart_keeps_the_passcode_and_the_projector(tmp_path, browser):
    content = copy_content_with_all_types(tmp_path / "content")
    settings = {"WORKSHOP_DB_PATH": str(tmp_path / "workshop.duckdb"), "WORKSHOP_CONTENT_DIR": str(content),
                "WORKSHOP_PASSCODE": "", "WORKSHOP_PASSCODE_FILE": str(tmp_path / "passcode.scrypt")}
    first = start_streamlit(tmp_path, **settings)
    try:
        passcode = printed_passcode(first.log)
        assert passcode, first.log.read_text()
        facilitator = browser.new_page(viewport={"width": 1400, "height": 1000})
        code, _ = start_session(facilitator, first.url, "Every question type", passcode=passcode)
        projector = browser.new_page(viewport={"width": 1920, "height": 1080})
        projector.goto(first.url + facilitator.locator(".st-key-open_projector a").get_attribute("href"))
        press(facilitator, "next_step")
        prompt = projector.locator(".prompt")
        expect(prompt).not_to_contain_text("Join on your phone", timeout=15_000)
        shown = prompt.inner_text()
    finally:
        first.stop()
    port = int(first.url.rsplit(":", 1)[1])
    second = start_streamlit(tmp_path, port=port, **settings)
    try:
        log = second.log.read_text()
        assert passcode not in log and "the one printed when it was made" in log
        # Nobody touches the projector tab: it reconnects and shows the live step again.
        expect(projector.locator(".prompt")).to_have_text(shown, timeout=30_000)
        expect(projector.locator(".st-key-passcode_input")).to_have_count(0)
        expect(projector.get_by_text(code, exact=True)).to_be_visible()
        # The facilitator signs in again with the same passcode.
        again = browser.new_page(viewport={"width": 1400, "height": 1000})
        again.goto(second.url + "/")
        again.locator(".st-key-passcode_input input").fill(passcode)
        again.locator(".st-key-passcode_submit button").click()
        expect(again.get_by_role("heading", name="IPNB live workshop")).to_be_visible(timeout=15_000)
        expect(again.locator("[data-testid='stCode']").first).to_contain_text(f"/join?code={code}", timeout=15_000)
    finally:
        second.stop()
