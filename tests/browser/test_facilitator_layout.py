"""The facilitator's laptop view during a word step with answers waiting, at two laptop sizes
(issue 13, item 2), and the projector's waiting-for-approval and end screens (items 3, 10e)."""

import httpx
import pytest
from playwright.sync_api import expect

from harness import ROOT
from harness.content import ALL_TYPES_STEPS
from tests.browser.test_live_workshop import press, start_session

pytestmark = pytest.mark.browser
SHOTS = ROOT / "docs" / "screenshots"
WORD_STEP = 3  # bilateral-literal-word in "Every question type"
WORDS = ["calm", "Tired", "calm", "curious", "open", "tender", "held", "restless", "soft", "awake"]

# What a facilitator needs while a step runs; each must be on screen without scrolling.
NEEDED = {
    "step controls": ".st-key-next_step",
    "end session": ".st-key-end_popover",
    "phones joined": "[data-testid='stMetric']:has-text('Phones joined')",
    "responded": "[data-testid='stMetric']:has-text('Responded')",
    "timer": "[data-testid='stMetric']:has-text('Time')",
    "pause requests": "[data-testid='stMetric']:has-text('Pause requests')",
    "moderation queue": f".st-key-moderation_{WORD_STEP}",
    "show all waiting": f".st-key-approve_all_{WORD_STEP}",
    "preview of the room": ".st-key-room_preview",
}


def answer_words(base: str, code: str, words: list[str]) -> None:
    with httpx.Client(base_url=base, headers={"Origin": base}, trust_env=False, timeout=10) as client:
        for word in words:
            token = client.post("/api/join", json={"code": code}).json()["token"]
            reply = client.post("/api/answer", json={"code": code, "token": token, "step": WORD_STEP,
                                                     "value": word})
            assert reply.status_code == 200, reply.text


def off_screen(page, width: int, height: int) -> dict[str, dict]:
    """The needed parts whose box is not wholly inside the viewport (with the page unscrolled)."""
    page.evaluate("window.scrollTo(0, 0)")
    missing = {}
    for name, selector in NEEDED.items():
        box = page.locator(selector).first.bounding_box()
        if box is None or box["y"] < 0 or box["x"] < 0 or box["y"] + box["height"] > height \
                or box["x"] + box["width"] > width:
            missing[name] = box
    return missing


def test_a_word_step_with_answers_waiting_fits_both_laptop_screens_and_the_projector_says_so(server, browser):
    SHOTS.mkdir(parents=True, exist_ok=True)
    facilitator = browser.new_page(viewport={"width": 1366, "height": 768})
    code, _ = start_session(facilitator, server.url, "Every question type")
    for number in range(1, WORD_STEP + 2):
        press(facilitator, "next_step")
        expect(facilitator.get_by_text(f"Step {number} of {len(ALL_TYPES_STEPS)}")).to_be_visible(timeout=10_000)
    answer_words(server.url, code, WORDS)
    press(facilitator, "toggle_results")
    queue = facilitator.locator(f".st-key-moderation_{WORD_STEP}")
    expect(queue).to_contain_text("waiting of", timeout=15_000)
    for width, height in ((1366, 768), (1440, 900)):
        facilitator.set_viewport_size({"width": width, "height": height})
        facilitator.wait_for_timeout(1_500)  # a refresh at the new size
        facilitator.screenshot(path=SHOTS / f"facilitator-word-step-{width}x{height}.png")
        assert off_screen(facilitator, width, height) == {}, f"needs scrolling at {width}×{height}"

    projector = browser.new_page(viewport={"width": 1920, "height": 1080})
    projector.goto(server.url + facilitator.locator(".st-key-open_projector a").get_attribute("href"))
    expect(projector.get_by_text("10 answers are waiting for the facilitator.")).to_be_visible(timeout=15_000)
    expect(projector.get_by_text("10 responded", exact=True)).to_be_visible()
    qr = projector.locator("[data-testid='stImage'] img").first  # (wait_for_function would need eval: CSP)
    expect(qr).to_have_js_property("complete", True, timeout=10_000)
    assert qr.evaluate("i => i.naturalWidth") > 0
    projector.screenshot(path=SHOTS / "projector-waiting-for-approval.png")
    # The address to type, beside the QR, readable from the back of a room (it was 19 px).
    join_url = projector.locator(".st-key-stage_side .join-url")
    expect(join_url).to_have_text(server.url.split("://")[1] + "/join")
    assert float(join_url.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 24
    press(facilitator, f"approve_all_{WORD_STEP}")
    expect(projector.get_by_text("10 responded: 10 answers, 0 passes")).to_be_visible(timeout=15_000)
    expect(projector.get_by_text("waiting for the facilitator")).to_have_count(0)

    facilitator.locator(".st-key-end_popover button").first.click()
    press(facilitator, "end_session")
    expect(projector.get_by_text("Thank you for taking part.")).to_be_visible(timeout=15_000)
    box = projector.get_by_text("Thank you for taking part.").bounding_box()
    assert 300 < box["x"] + box["width"] / 2 < 1620 and 200 < box["y"] < 800  # centred, not in a corner
    projector.screenshot(path=SHOTS / "projector-end.png")
