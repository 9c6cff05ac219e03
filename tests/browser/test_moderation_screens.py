"""The facilitator moderates a flood of texts in a real browser; screenshots of what they see."""

import httpx
import pytest
from playwright.sync_api import expect

from harness import ROOT
from harness.content import ALL_TYPES_STEPS
from tests.browser.test_live_workshop import press, start_session

pytestmark = pytest.mark.browser
SHOTS = ROOT / "docs" / "screenshots"


def phone_answers(base: str, code: str, step: int, texts: list[str]) -> None:
    """Each text from its own phone, through the phone API as the phone page sends it."""
    headers = {"Origin": base}
    with httpx.Client(base_url=base, headers=headers, trust_env=False, timeout=10) as client:
        for text in texts:
            token = client.post("/api/join", json={"code": code}).json()["token"]
            reply = client.post("/api/answer", json={"code": code, "token": token, "step": step, "value": text})
            assert reply.status_code == 200, reply.text


def test_the_facilitator_finds_a_real_text_in_a_flood_and_shows_it(server, browser):
    facilitator = browser.new_page(viewport={"width": 1440, "height": 900})
    code, _ = start_session(facilitator, server.url, "Every question type")
    for number in range(1, 6):  # to the short-text step (grounding-close is the fifth)
        press(facilitator, "next_step")
        expect(facilitator.get_by_text(f"Step {number} of {len(ALL_TYPES_STEPS)}")).to_be_visible(timeout=10_000)
    phone_answers(server.url, code, 4, [f"junk {n:03d}" for n in range(40) for _ in range(2)])
    phone_answers(server.url, code, 4, ["I felt <b>seen</b> today"])
    queue = facilitator.locator(".st-key-moderation_4")
    expect(queue).to_contain_text("Moderation · 41 waiting of 41", timeout=15_000)
    expect(queue).not_to_contain_text("I felt")  # most frequent first: junk fills page one
    queue.get_by_text("Newest first").click()
    expect(queue).to_contain_text("I felt <b>seen</b> today", timeout=10_000)  # plain text
    SHOTS.mkdir(parents=True, exist_ok=True)
    facilitator.screenshot(path=SHOTS / "facilitator-moderation-1440.png", full_page=True)
    queue.locator("input[type='text']").fill("seen")
    queue.locator("input[type='text']").press("Enter")
    expect(queue).to_contain_text("Page 1 of 1 · 1 found", timeout=10_000)
    queue.get_by_role("button", name="Show", exact=True).click()
    expect(queue).to_contain_text("Moderation · 40 waiting of 41", timeout=10_000)
