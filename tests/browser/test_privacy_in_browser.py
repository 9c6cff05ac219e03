"""Privacy as a participant meets it: what a phone can reach, see and signal."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE, join_as_phone
from tests.browser.test_live_workshop import choose_agenda, press, set_range, sign_in

pytestmark = pytest.mark.browser


def start(facilitator, base: str, share: bool) -> tuple[str, str]:
    """Start the all-types session with k = 2, optionally sharing results with phones."""
    sign_in(facilitator, base)
    choose_agenda(facilitator, "Every question type · 20 min")
    facilitator.locator(".st-key-new_min_answers input").fill("2")
    facilitator.locator(".st-key-new_min_answers input").press("Tab")
    if share:
        facilitator.locator(".st-key-new_share_with_phones label").click()
    block = facilitator.locator("[data-testid='stCode']").first
    before = block.inner_text() if block.count() else ""
    facilitator.locator(".st-key-start_session button").click()
    expect(block).to_contain_text("/join?code=", timeout=15_000)
    if before:
        expect(block).not_to_have_text(before, timeout=15_000)  # the new session, not the running one
    url = block.inner_text().strip()
    return url.rsplit("=", 1)[1], url


def test_a_phone_that_wanders_off_the_join_page_sees_no_session(server, browser):
    facilitator = browser.new_page(viewport={"width": 1400, "height": 1000})
    code, _ = start(facilitator, server.url, share=False)
    phone = browser.new_context(**PHONE).new_page()
    for path in ("/", f"/projector?code={code}", f"/projector?code={code}&key=guess"):
        phone.goto(server.url + path)
        expect(phone.locator(".st-key-passcode_input")).to_be_visible(timeout=15_000)
        expect(phone.get_by_text(code)).to_have_count(0)
        expect(phone.locator("img")).to_have_count(0)


def test_phones_see_group_counts_only_when_shared_and_can_ask_for_a_pause(server, browser):
    facilitator = browser.new_page(viewport={"width": 1400, "height": 1000})
    code, join_url = start(facilitator, server.url, share=True)
    phones = []
    for _ in range(2):
        phone = browser.new_context(**PHONE).new_page()
        join_as_phone(phone, join_url)
        phones.append(phone)
    press(facilitator, "next_step")
    for phone, value in zip(phones, (4, 4)):
        expect(phone.locator("#scale-input")).to_be_visible(timeout=5_000)
        set_range(phone, "#scale-input", value)
        phone.locator("#submit-button").click()
        expect(phone.locator("#status-message")).to_contain_text("Thank you", timeout=5_000)
    expect(phones[0].locator("#group-results")).to_be_hidden()
    press(facilitator, "toggle_results")
    expect(phones[0].locator("#group-summary")).to_have_text(
        "2 responded: 2 answers, 0 passes · mean 4.0 · median 4", timeout=5_000)
    expect(phones[1].locator("#group-rows li")).to_have_count(11)

    phones[1].locator("#pause-button").click()
    expect(phones[1].locator("#status-message")).to_contain_text("not who", timeout=5_000)
    expect(facilitator.locator("[data-testid='stMetric']", has_text="Pause requests")).to_contain_text(
        "1", timeout=10_000)


def test_a_new_projector_link_blanks_the_projector_tab_that_had_the_old_one(server, browser):
    facilitator = browser.new_page(viewport={"width": 1400, "height": 1000})
    code, _ = start(facilitator, server.url, share=False)
    old_href = facilitator.locator(".st-key-open_projector a").get_attribute("href")
    projector = browser.new_page(viewport={"width": 1920, "height": 1080})
    projector.goto(server.url + old_href)
    expect(projector.get_by_text(code, exact=True)).to_be_visible(timeout=15_000)
    facilitator.locator(".st-key-new_projector_link").get_by_role("button", name="New projector link").click()
    expect(facilitator.locator(".st-key-open_projector a")).not_to_have_attribute(
        "href", old_href, timeout=10_000)
    # The open tab's own refresh (once a second) notices; nobody touches it.
    expect(projector.get_by_text("This projector link was replaced.")).to_be_visible(timeout=5_000)
    expect(projector.get_by_text(code, exact=True)).to_have_count(0)
    new_href = facilitator.locator(".st-key-open_projector a").get_attribute("href")
    projector.goto(server.url + new_href)
    expect(projector.get_by_text(code, exact=True)).to_be_visible(timeout=15_000)
