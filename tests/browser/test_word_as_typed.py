"""A phone keeps showing its word as typed; the room counts words case-folded (issue 13, 10d)."""

import duckdb
import pytest
from playwright.sync_api import expect

from harness import ROOT
from harness.content import ALL_TYPES_STEPS
from tests.browser.conftest import PHONE, join_as_phone
from tests.browser.test_live_workshop import collect_errors, press, start_session

pytestmark = pytest.mark.browser
SHOTS = ROOT / "docs" / "screenshots"
WORD_STEP = 3  # "Every question type": the fourth step asks for one word


def test_a_reloaded_phone_shows_its_text_with_its_line_breaks(server, browser):
    """The server stores a text with its line breaks collapsed to spaces; its own phone keeps them."""
    facilitator = browser.new_page(viewport={"width": 1400, "height": 1000})
    _, join_url = start_session(facilitator, server.url, "Every question type")
    phone = browser.new_context(**PHONE).new_page()
    join_as_phone(phone, join_url)
    for number in range(1, 6):  # the short text is the fifth step
        press(facilitator, "next_step")
        expect(facilitator.get_by_text(f"Step {number} of {len(ALL_TYPES_STEPS)}")).to_be_visible(timeout=10_000)
    typed = "Arrived tense.\nLeaving softer."
    expect(phone.locator("#text-input")).to_be_visible(timeout=10_000)
    phone.locator("#text-input").fill(typed)
    phone.locator("#submit-button").click()
    expect(phone.locator("#status-message")).to_contain_text("Thank you", timeout=5_000)
    phone.reload()
    expect(phone.locator("#text-input")).to_have_value(typed, timeout=10_000)


# Last in this file: it stops the module's server to read the database file.
def test_a_reloaded_phone_shows_its_word_as_typed_and_the_count_folds_case(server, browser):
    facilitator = browser.new_page(viewport={"width": 1400, "height": 1000})
    code, join_url = start_session(facilitator, server.url, "Every question type")
    phones, errors = [], []
    for _ in range(2):
        phone = browser.new_context(**PHONE).new_page()
        errors.append(collect_errors(phone))
        join_as_phone(phone, join_url)
        phones.append(phone)
    for number in range(1, WORD_STEP + 2):
        press(facilitator, "next_step")
        expect(facilitator.get_by_text(f"Step {number} of {len(ALL_TYPES_STEPS)}")).to_be_visible(timeout=10_000)
    for phone, word in zip(phones, ("Tired", "tired")):
        expect(phone.locator("#word-input")).to_be_visible(timeout=10_000)
        phone.locator("#word-input").fill(word)
        phone.locator("#submit-button").click()
        expect(phone.locator("#status-message")).to_contain_text("Thank you", timeout=5_000)
    expect(phones[0].locator("#sent-summary")).to_have_text("You sent: \u201cTired\u201d")

    # A reload asks the server for this phone's answer ("tired") and shows it as typed.
    for phone, word in zip(phones, ("Tired", "tired")):
        phone.reload()
        expect(phone.locator("#word-input")).to_have_value(word, timeout=10_000)
        expect(phone.locator("#sent-summary")).to_have_text(f"You sent: \u201c{word}\u201d")
        expect(phone.locator("#submit-button")).to_be_enabled()
    phones[0].screenshot(path=SHOTS / "phone-word-reloaded.png", animations="disabled")

    # What the phone remembers is its own tab's: a new tab with the same token shows the server's form.
    other_tab = phones[0].context.new_page()
    other_tab.goto(join_url)
    other_tab.locator("#start-button").click()  # the welcome is once per tab
    expect(other_tab.locator("#word-input")).to_have_value("tired", timeout=10_000)
    other_tab.close()

    # The room counts one word, twice: the facilitator's queue and the database hold "tired" only.
    queue = facilitator.locator(f".st-key-moderation_{WORD_STEP}")
    expect(queue).to_contain_text("Moderation · 1 waiting of 1", timeout=15_000)
    expect(queue).to_contain_text("×2")
    expect(queue).not_to_contain_text("Tired")
    assert errors == [[], []]

    server.stop()
    with duckdb.connect(str(server.db_path), read_only=True) as conn:
        rows = conn.execute("SELECT value_json FROM answers WHERE session_code = ? AND step_index = ?",
                            [code, WORD_STEP]).fetchall()
    assert rows == [('"tired"',), ('"tired"',)]

