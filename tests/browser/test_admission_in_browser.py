"""Who may join, as people meet it in real Chromium (issue 12, finding 5).

The facilitator starts a session asking for the room code with one person expected. A phone
types the code read off the projector; a second phone waits until the facilitator lets it in;
a third is turned away. Screenshots of each screen go to docs/screenshots/.
"""

import re

import pytest
from playwright.sync_api import expect

from harness import ROOT
from tests.browser.conftest import PHONE
from tests.browser.test_live_workshop import choose_agenda, press, sign_in

pytestmark = pytest.mark.browser
SHOTS = ROOT / "docs" / "screenshots"


def start_guarded(facilitator, base: str, expected: int) -> str:
    sign_in(facilitator, base)
    choose_agenda(facilitator, "Every question type")
    facilitator.locator(".st-key-new_room_code label").click()
    expect(facilitator.locator(".st-key-new_room_code input")).to_be_checked()
    facilitator.locator(".st-key-new_expected_size input").fill(str(expected))
    facilitator.locator(".st-key-new_expected_size input").press("Tab")
    block = facilitator.locator("[data-testid='stCode']").first
    before = block.inner_text() if block.count() else ""
    press(facilitator, "start_session")
    expect(block).to_contain_text("/join?code=", timeout=15_000)
    if before:
        expect(block).not_to_have_text(before, timeout=15_000)
    return block.inner_text().strip()


def room_code_on(projector) -> str:
    shown = projector.locator(".room-code b")
    expect(shown).to_have_text(re.compile(r"^\d{4}$"), timeout=15_000)
    return shown.inner_text()


def type_room_code(phone, digits: str) -> None:
    phone.locator("#room-code-input").fill(digits)
    phone.locator("#room-code-button").click()


def test_room_code_and_expected_size_keep_made_up_phones_out_until_the_facilitator_decides(server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    facilitator = browser.new_page(viewport={"width": 1440, "height": 900})
    join_url = start_guarded(facilitator, server.url, expected=1)
    projector = browser.new_page(viewport={"width": 1920, "height": 1080})
    projector.goto(server.url + facilitator.locator(".st-key-open_projector a").get_attribute("href"))
    code = room_code_on(projector)
    expect(facilitator.get_by_text(f"Room code for new phones: {code}")).to_be_visible(timeout=10_000)
    projector.wait_for_timeout(500)  # the QR image settles
    projector.screenshot(path=SHOTS / "projector-room-code.png")

    first = browser.new_context(**PHONE).new_page()
    first.goto(join_url)
    expect(first.locator("#room-code")).to_be_visible(timeout=10_000)
    expect(first.locator("#room-code-input")).to_be_focused()
    first.screenshot(path=SHOTS / "phone-room-code.png")
    type_room_code(first, f"{(int(code) + 1) % 10000:04d}")
    expect(first.locator("#status-message")).to_contain_text("not the room code", timeout=10_000)
    expect(first.locator("#room-code")).to_be_visible()
    type_room_code(first, room_code_on(projector))
    expect(first.locator("#welcome")).to_be_visible(timeout=10_000)
    first.locator("#start-button").click()
    expect(first.locator("#waiting")).to_be_visible(timeout=10_000)
    first.reload()  # a phone that joined is never asked again
    expect(first.locator("#waiting")).to_be_visible(timeout=10_000)

    second = browser.new_context(**PHONE).new_page()
    second.goto(join_url)
    type_room_code(second, room_code_on(projector))
    expect(second.locator("#admission")).to_be_visible(timeout=10_000)
    expect(second.locator("#admission-message")).to_contain_text("The facilitator will let you in")
    second.screenshot(path=SHOTS / "phone-waiting-admission.png")
    waiting = facilitator.locator(".st-key-waiting_joins")
    expect(waiting).to_contain_text("1 phone waiting to join", timeout=10_000)
    expect(facilitator.locator("[data-testid='stMetric']", has_text="Phones joined")).to_contain_text("1 of 1")
    facilitator.screenshot(path=SHOTS / "facilitator-waiting-joins.png")
    press(facilitator, "admit_all")
    expect(second.locator("#welcome")).to_be_visible(timeout=10_000)  # asks again every 3 s
    second.locator("#start-button").click()
    expect(second.locator("#waiting")).to_be_visible(timeout=10_000)
    expect(facilitator.locator("[data-testid='stMetric']", has_text="Phones joined")).to_contain_text(
        "2 of 1", timeout=10_000)

    third = browser.new_context(**PHONE).new_page()
    third.goto(join_url)
    type_room_code(third, room_code_on(projector))
    expect(third.locator("#admission")).to_be_visible(timeout=10_000)
    expect(waiting).to_contain_text("1 phone waiting to join", timeout=10_000)
    press(facilitator, "refuse_all")
    expect(third.locator("#join")).to_be_visible(timeout=10_000)
    expect(third.locator("#status-message")).to_contain_text("did not let this phone join")
    expect(facilitator.locator(".st-key-waiting_joins")).to_have_count(0, timeout=10_000)
    press(facilitator, "next_step")
    for phone in (first, second):
        expect(phone.locator("#exercise")).to_be_visible(timeout=10_000)
