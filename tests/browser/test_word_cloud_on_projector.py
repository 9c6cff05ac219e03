"""A room's word cloud on the projector, in real Chromium: 150 answers over 20 words, drawn
readable from the back of the room on a 1920×1080 and a 1280×720 projector, and steady while
answers come in (issue 15, "a real word cloud")."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.test_screens import (PROJECTOR, SHOTS, SMALL_PROJECTOR, WORDS_JS,
                                        assert_words_readable_from_the_back, start_session_showing_text_at_once)
from tests.browser.test_facilitator_layout import WORD_STEP, answer_words
from tests.browser.test_live_workshop import press

pytestmark = pytest.mark.browser
FEELINGS = ("calm", "curious", "tired", "<b>alive</b>", "open", "warm", "heavy", "light", "grateful", "anxious", "hopeful",
            "present", "sleepy", "restless", "peaceful", "connected", "scattered", "focused", "tender",
            "overwhelmed")


def room_of(answers: int) -> list[str]:
    """`answers` words, the first feelings the most often given (1/rank), every one at least once."""
    weights = [1 / (rank + 1) for rank in range(len(FEELINGS))]
    counts = [max(1, round(answers * w / sum(weights))) for w in weights]
    return [word for word, count in zip(FEELINGS, counts) for _ in range(count)]


def placed(projector) -> dict[str, tuple]:
    return {w["text"]: (w["size"], *w["core"]) for w in projector.evaluate(WORDS_JS)}


def test_a_rooms_words_fill_the_projector_readably_and_stay_put_as_answers_come(server, browser):
    facilitator = browser.new_page(viewport={"width": 1400, "height": 1000})
    code, _ = start_session_showing_text_at_once(facilitator, server.url)
    for _ in range(WORD_STEP + 1):
        press(facilitator, "next_step")
    words = room_of(150)
    answer_words(server.url, code, words)
    press(facilitator, "toggle_results")

    projector = browser.new_page(viewport=PROJECTOR)
    projector.goto(server.url + facilitator.locator(".st-key-open_projector a").get_attribute("href"))
    chart = projector.locator("[data-testid='stPlotlyChart']")
    expect(projector.locator(".summary")).to_contain_text(f"{len(words)} responded", timeout=15_000)
    expect(chart).to_contain_text("calm")
    expect(chart).to_contain_text("<b>alive</b>")        # typed markup stays literal
    projector.wait_for_timeout(400)
    assert_words_readable_from_the_back(projector)
    shown = placed(projector)
    assert len(shown) >= 15, shown                       # most of the 20 words find room
    projector.screenshot(path=SHOTS / "projector-word-cloud.png")

    # One more "tired" keeps it in its half-octave: after the refresh nothing has moved.
    answer_words(server.url, code, ["tired"])
    expect(projector.locator(".summary")).to_contain_text(f"{len(words) + 1} responded", timeout=10_000)
    projector.wait_for_timeout(1_500)
    assert placed(projector) == shown

    projector.set_viewport_size(SMALL_PROJECTOR)
    projector.wait_for_timeout(800)
    assert_words_readable_from_the_back(projector)
    projector.screenshot(path=SHOTS / "projector-word-cloud-1280x720.png")
