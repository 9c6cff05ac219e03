"""What a participant's phone can reach besides the join page: nothing of a session."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.test_live_workshop import start_session

pytestmark = pytest.mark.browser


def test_a_phone_that_wanders_off_the_join_page_sees_no_session(server, browser):
    facilitator = browser.new_page(viewport={"width": 1400, "height": 1000})
    code, _ = start_session(facilitator, server.url, "Every question type")
    phone = browser.new_context(**PHONE).new_page()
    for path in ("/", f"/projector?code={code}", f"/projector?code={code}&key=guess"):
        phone.goto(server.url + path)
        expect(phone.locator(".st-key-passcode_input")).to_be_visible(timeout=15_000)
        expect(phone.get_by_text(code)).to_have_count(0)
        expect(phone.locator("img")).to_have_count(0)
