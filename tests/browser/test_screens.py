"""The projector and the phone screens for every question type, in real Chromium.

One session on the "Every question type" agenda with three touch phones. For each step the
phones answer, the facilitator shows the results and the projector draws them; along the way
the phones must fit their screen (390×844 and 360×640), keep the send button in view, label
every control and keep text contrast at WCAG AA, in light and dark mode. The screenshots in
docs/screenshots/ are written by this test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from harness import ROOT
from tests.browser.conftest import PHONE, join_as_phone
from tests.browser.test_live_workshop import choose_agenda, collect_errors, press, set_range, sign_in

pytestmark = pytest.mark.browser

SHOTS = ROOT / "docs" / "screenshots"
PROJECTOR = {"width": 1920, "height": 1080}
SMALL_PROJECTOR = {"width": 1280, "height": 720}
SMALL_PHONE = {"width": 360, "height": 640}
AA = 4.5  # WCAG AA contrast for normal text

CONTRAST_JS = """el => {
  const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  let back = [255, 255, 255];
  for (let n = el; n; n = n.parentElement) {
    const c = rgb(getComputedStyle(n).backgroundColor);
    if (c.length === 3 || (c.length === 4 && c[3] > 0)) { back = c; break; }
  }
  const [hi, lo] = [lum(rgb(getComputedStyle(el).color)), lum(back)].sort((a, b) => b - a);
  return (hi + 0.05) / (lo + 0.05);
}"""

# Every visible control: at least 44 px each way, and a name a screen reader can read.
CONTROLS_JS = """() => {
  const seen = el => el.getClientRects().length > 0 && getComputedStyle(el).visibility !== 'hidden';
  const controls = [...document.querySelectorAll('button, input, textarea, select, [role=application]')]
    .filter(seen);
  const small = controls.map(el => [el.id || el.className, el.getBoundingClientRect()])
    .filter(([, r]) => r.width < 44 || r.height < 44).map(([name]) => name);
  const named = el => (el.labels && el.labels.length > 0) || el.getAttribute('aria-label')
    || el.getAttribute('aria-labelledby') || (el.tagName === 'BUTTON' && el.textContent.trim());
  const unnamed = controls.filter(el => !named(el)).map(el => el.id || el.className);
  return {count: controls.length, small, unnamed};
}"""


@dataclass
class Step:
    kind: str                                 # screenshot name
    ready: str                                # the phone's answer widget
    answer: Callable[[Page, int], None]       # what phone number i does
    summary: str                              # the projector's counts in words
    shows: tuple[str, ...] = ()               # words the projector's chart or wall must show
    long: bool = False                        # rows that may scroll under a Send kept in view
    restored: str = ""                        # on phone 1 after a reload: its answer, shown again


def tap_options(*indices_per_phone: tuple[int, ...]) -> Callable[[Page, int], None]:
    def answer(phone: Page, number: int) -> None:
        for index in indices_per_phone[number]:
            phone.locator(f"[data-testid=option-{index}]").click()
    return answer


def slide(selector: str, values: tuple[int, ...]) -> Callable[[Page, int], None]:
    return lambda phone, number: set_range(phone, selector, values[number])


def type_into(selector: str, texts: tuple[str, ...]) -> Callable[[Page, int], None]:
    return lambda phone, number: phone.locator(selector).fill(texts[number])


def tap_field(spots: tuple[tuple[float, float], ...]) -> Callable[[Page, int], None]:
    def answer(phone: Page, number: int) -> None:
        field = phone.locator("#field")
        box = field.bounding_box()
        x, y = spots[number]
        field.tap(position={"x": box["width"] * x, "y": box["height"] * y})
        expect(phone.locator("#field-readout")).to_contain_text("Your dot")
    return answer


def tap_band(choices: tuple[tuple[str, int | None], ...]) -> Callable[[Page, int], None]:
    """Phone i taps its band, then slides to its place in it unless that is None (optional)."""
    def answer(phone: Page, number: int) -> None:
        band, place = choices[number]
        expect(phone.locator("#window-place")).to_be_hidden()  # no place before a band
        phone.locator(f"#window-band-{band}").click()
        expect(phone.locator(f"#window-band-{band}")).to_have_attribute("aria-pressed", "true")
        if place is not None:
            set_range(phone, "#window-place", place)
        expect(phone.locator("#submit-button")).to_be_enabled()
    return answer


def share_points(taps: tuple[tuple[int, ...], ...]) -> Callable[[Page, int], None]:
    """Phone i taps + taps[i][k] times on item k; Send stays off until every point is shared."""
    def answer(phone: Page, number: int) -> None:
        for item, count in enumerate(taps[number]):
            for _ in range(count):
                expect(phone.locator("#submit-button")).to_be_disabled()
                phone.locator(f"#points-more-{item}").click()
        expect(phone.locator("#points-left")).to_contain_text("All 100 points shared")
        expect(phone.locator("#points-more-0")).to_be_disabled()
        expect(phone.locator("#submit-button")).to_be_enabled()
    return answer


def rank(phone: Page, number: int) -> None:
    """Phone 0 ranks with the up buttons only, phone 1 keeps the order shown, phone 2 drags."""
    send = phone.locator("#submit-button")
    expect(send).to_be_disabled()                       # the order as shown is not an answer yet
    if number == 0:
        for _ in range(4):
            phone.locator("#ranking-up-4").click()      # "Naming what I feel" to the top
        expect(phone.locator("#ranking-up-4")).to_be_disabled()
        expect(phone.locator("#ranking-list li").first).to_contain_text("Naming what I feel")
    elif number == 1:
        phone.locator("#ranking-keep").click()
    else:
        handle = phone.locator("#ranking-item-0 .ranking-handle").bounding_box()
        bottom = phone.locator("#ranking-item-4").bounding_box()
        phone.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
        phone.mouse.down()
        for step in range(1, 11):
            phone.mouse.move(handle["x"] + handle["width"] / 2,
                             handle["y"] + (bottom["y"] + bottom["height"] - handle["y"]) * step / 10)
        phone.mouse.up()
        expect(phone.locator("#ranking-list li").last).to_contain_text("Slowing my breath")
    expect(send).to_be_enabled()


def tap_mood(spots: tuple[tuple[float, float, int | None], ...]) -> Callable[[Page, int], None]:
    """Phone i taps the map at its spot, then the quadrant's word number k, if any."""
    def answer(phone: Page, number: int) -> None:
        x, y, word = spots[number]
        expect(phone.locator("#mood-words")).to_be_hidden()   # no words before a dot
        tap_field(((x, y),))(phone, 0)
        expect(phone.locator("#mood-hint")).to_contain_text("a word, if one fits")
        if word is not None:
            phone.locator(f"#mood-word-{word}").click()
            expect(phone.locator(f"#mood-word-{word}")).to_have_attribute("aria-pressed", "true")
    return answer


def rate_statements(levels: tuple[tuple[int | None, ...], ...]) -> Callable[[Page, int], None]:
    """Phone i taps level n on each statement, or that statement's own Pass where n is None;
    Send stays off until every statement is rated or passed."""
    def answer(phone: Page, number: int) -> None:
        for row, level in enumerate(levels[number]):
            expect(phone.locator("#submit-button")).to_be_disabled()
            button = phone.locator(f"#statements-pass-{row}" if level is None else f"#statements-level-{row}-{level}")
            button.click()
            expect(button).to_have_attribute("aria-pressed", "true")
        expect(phone.locator("#statements-hint")).to_have_text("All done: you can send")
    return answer


TEXTS = ("Slow down and notice", "Feet on the floor, then the room", "<i>kindness</i> & care")
STEPS = [
    Step("scale", "#scale-input", slide("#scale-input", (3, 7, 8)),
         "3 responded: 3 answers, 0 passes · mean 6.0 · median 7"),
    Step("single-choice", "[data-testid=option-0]", tap_options((1,), (1,), (0,)),
         "3 responded: 3 answers, 0 passes", ("Inside my window", "Above my window")),
    Step("multiple-choice", "[data-testid=option-0]", tap_options((0, 2), (2,), (2, 4)),
         "3 responded: 3 answers, 0 passes", ("Coherent", "Flexible", "Stable")),
    Step("word", "#word-input", type_into("#word-input", ("Calm", " calm ", "<b>tired</b>")),
         "3 responded: 3 answers, 0 passes", ("calm", "<b>tired</b>")),
    Step("text", "#text-input", type_into("#text-input", TEXTS), "3 responded: 3 answers, 0 passes", TEXTS),
    Step("spectrum", "#spectrum-input", slide("#spectrum-input", (20, 50, 85)),
         "3 responded: 3 answers, 0 passes · median position 50 / 100", ("Chaos", "Rigidity", "Flow")),
    Step("position2d", "#field", tap_field(((0.2, 0.2), (0.75, 0.3), (0.5, 0.8))),
         "3 responded: 3 answers, 0 passes", ("Calm", "Activated", "Connected", "Alone")),
    Step("window", "#window-band-inside", tap_band((("inside", 30), ("above", None), ("inside", 80))),
         "3 responded: 3 answers, 0 passes",
         ("Above my window", "Inside my window", "Below my window", "revved up, on edge, flooded")),
    Step("points", "#points-more-0", share_points(((4, 2, 6, 8), (0, 0, 10, 10), (5, 5, 5, 5))),
         "3 responded: 3 answers, 0 passes", ("Sensations", "Thoughts", "38%", "mean share of 100 points")),
    Step("ranking", "#ranking-up-1", rank, "3 responded: 3 answers, 0 passes",
         ("Moving my body", "mean rank 2.0 · first for 1 (33%)", "Naming what I feel")),
    Step("mood", "#field", tap_mood(((0.8, 0.8, 0), (0.2, 0.2, None), (0.75, 0.7, 1))),
         "3 responded: 3 answers, 0 passes", ("At ease", "calm 1", "content 1", "Stirred up", "Pleasant")),
    Step("statements", "#statements-level-0-1",
         rate_statements(((4, 4, 2, 5, 3), (5, None, 1, 4, 4), (4, None, 2, 4, 5))),
         "3 responded: 3 answers, 0 passes",
         ("Strongly agree", "67%", "3 rated · 0 passed", "too few ratings to show", "I feel alive and engaged."),
         long=True, restored="#statements-pass-1[aria-pressed=true], #statements-level-2-1[aria-pressed=true]"),
]


def start_session_showing_text_at_once(facilitator: Page, base: str) -> tuple[str, str]:
    """Start "Every question type" with words and texts shown without waiting for approval."""
    sign_in(facilitator, base)
    choose_agenda(facilitator, "Every question type")
    facilitator.locator(".st-key-new_hold").get_by_text("Nothing", exact=True).click()
    expect(facilitator.locator(".st-key-new_hold input[type='radio']").nth(2)).to_be_checked()
    press(facilitator, "start_session")
    code_block = facilitator.locator("[data-testid='stCode']").first
    expect(code_block).to_contain_text("/join?code=", timeout=15_000)
    join_url = code_block.inner_text().strip()
    return join_url.rsplit("=", 1)[1], join_url


def assert_phone_screen_fits(phone: Page, long: bool = False) -> None:
    """No sideways scroll; the send button is in the first viewport, and so is the whole answer
    widget, or for a long one (rows of statements), the widget scrolls under Send, which stays
    in view, until its last row is above Send."""
    phone.evaluate("window.scrollTo(0, 0)")
    size = phone.viewport_size
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), size
    send = phone.locator("#submit-button").bounding_box()
    assert send["y"] >= 0 and send["y"] + send["height"] <= size["height"], (size, send)
    widget = phone.locator("#answer-area").bounding_box()
    if long:
        assert widget["y"] >= 0 and widget["y"] < send["y"], (size, widget, send)
        phone.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
        send = phone.locator("#submit-button").bounding_box()
        assert send["y"] >= 0 and send["y"] + send["height"] <= size["height"], (size, send)
        widget = phone.locator("#answer-area").bounding_box()
    assert widget["y"] + widget["height"] <= send["y"] + 1, (size, widget, send)
    controls = phone.evaluate(CONTROLS_JS)
    assert controls["count"] >= 3 and controls["small"] == [] and controls["unnamed"] == [], controls


def assert_readable(page: Page, selectors: tuple[str, ...]) -> None:
    """Text against its background meets WCAG AA (4.5:1)."""
    for selector in selectors:
        ratio = page.locator(selector).first.evaluate(CONTRAST_JS)
        assert ratio >= AA, f"{selector}: contrast {ratio:.2f}"


def assert_projector_fills_screen(projector: Page, step: Step) -> None:
    """The prompt is large, the result takes most of the height, and nothing falls off the screen."""
    height = projector.viewport_size["height"]
    summary = projector.locator(".summary")
    expect(summary).to_have_text(step.summary, timeout=10_000)
    assert summary.bounding_box()["y"] + summary.bounding_box()["height"] <= height
    prompt_px = projector.locator(".prompt").evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert prompt_px >= 40, prompt_px
    assert_readable(projector, (".prompt", ".domain", ".progress", ".summary", ".count", ".join-url"))
    result = projector.locator(".st-key-results_area")
    assert result.bounding_box()["height"] >= 0.45 * height, result.bounding_box()
    if step.kind != "text":
        chart = projector.locator("[data-testid='stPlotlyChart']")
        assert chart.bounding_box()["height"] >= 0.45 * height, chart.bounding_box()


# The word cloud's words as drawn: font size, and the band between a third and two thirds of
# each word's box, where the ink of every letter is (ascenders and descenders may interleave).
WORDS_JS = """() => [...document.querySelectorAll('[data-testid=stPlotlyChart] .annotation-text')].map(t => {
  const r = t.getBoundingClientRect(), chart = t.closest('[data-testid=stPlotlyChart]').getBoundingClientRect();
  const upright = r.width >= r.height || t.textContent.length < 2;
  const core = upright ? [r.left, r.top + r.height / 3, r.right, r.bottom - r.height / 3]
                       : [r.left + r.width / 3, r.top, r.right - r.width / 3, r.bottom];
  const inside = r.left >= chart.left - 1 && r.right <= chart.right + 1 && r.top >= chart.top - 1
                 && r.bottom <= chart.bottom + 1;
  return {text: t.textContent, size: parseFloat(t.style.fontSize), core, inside};
})"""


def assert_words_readable_from_the_back(projector: Page) -> None:
    """The largest word at least 120 px, none under 28 px, none leaving the chart, and no two
    words' letters in each other's way."""
    words = [w for w in projector.evaluate(WORDS_JS) if not w["text"].startswith("+")]
    assert words and max(w["size"] for w in words) >= 120 and min(w["size"] for w in words) >= 28, words
    assert all(w["inside"] for w in words), words
    for i, a in enumerate(words):
        for b in words[i + 1:]:
            (l1, t1, r1, b1), (l2, t2, r2, b2) = a["core"], b["core"]
            assert not (l1 < r2 and l2 < r1 and t1 < b2 and t2 < b1), (a, b)


# Samples the projector for a while: the lowest opacity any element showed (Streamlit greys out
# stale elements during slow reruns) and whether the chart's SVG is still the same node, i.e.
# the live refresh updated it in place instead of drawing it again.
STEADY_JS = """async ms => {
  const svg = document.querySelector('[data-testid=stPlotlyChart] .main-svg');
  svg.dataset.steady = 'yes';
  let opacity = 1;
  for (const end = Date.now() + ms; Date.now() < end; await new Promise(r => setTimeout(r, 40))) {
    const containers = [...document.querySelectorAll('[data-testid=stElementContainer]')];
    opacity = Math.min(opacity, ...containers.map(el => Number(getComputedStyle(el).opacity)));
  }
  const now = document.querySelector('[data-testid=stPlotlyChart] .main-svg');
  return {opacity, same: now === svg && now.dataset.steady === 'yes'};
}"""


@pytest.fixture
def new_page(browser):
    """Pages in their own browser contexts, closed afterwards so the server can stop at once."""
    contexts = []

    def open_page(**options) -> Page:
        contexts.append(browser.new_context(**options))
        return contexts[-1].new_page()

    yield open_page
    for context in contexts:
        context.close()


def test_every_question_type_reads_well_on_the_projector_and_on_phones(server, new_page):
    SHOTS.mkdir(parents=True, exist_ok=True)
    facilitator = new_page(viewport={"width": 1400, "height": 1000})
    code, join_url = start_session_showing_text_at_once(facilitator, server.url)

    projector = new_page(viewport=PROJECTOR)
    projector_errors = collect_errors(projector)
    projector.goto(server.url + facilitator.locator(".st-key-open_projector a").get_attribute("href"))
    expect(projector.get_by_text(code, exact=True)).to_be_visible(timeout=15_000)

    phones, phone_errors = [], []
    for _ in range(3):
        phone = new_page(**PHONE)
        phone_errors.append(collect_errors(phone))
        join_as_phone(phone, join_url)
        phones.append(phone)
    expect(projector.get_by_text("3 joined")).to_be_visible(timeout=10_000)
    expect(projector.locator("[data-testid='stImage'] img")).to_be_visible()
    projector.screenshot(path=SHOTS / "projector-waiting.png")
    phones[0].screenshot(path=SHOTS / "phone-waiting.png", animations="disabled")

    for number, step in enumerate(STEPS, start=1):
        press(facilitator, "next_step")
        for phone in phones:
            expect(phone.locator("#step-counter")).to_have_text(f"Step {number} of {len(STEPS)}",
                                                                 timeout=10_000)
            expect(phone.locator(step.ready)).to_be_visible()
        # Unanswered, on the larger and the smaller phone: everything needed is in view.
        assert_phone_screen_fits(phones[0], step.long)
        phones[0].set_viewport_size(SMALL_PHONE)
        assert_phone_screen_fits(phones[0], step.long)
        phones[0].set_viewport_size(PHONE["viewport"])

        for index, phone in enumerate(phones):
            step.answer(phone, index)
            phone.locator("#submit-button").click()
            expect(phone.locator("#status-message")).to_contain_text("Thank you", timeout=5_000)
        assert_phone_screen_fits(phones[1], step.long)
        # A reload shows phone 1 what it sent, in words and in its control.
        sent = phones[1].locator("#sent-summary").inner_text()
        assert sent.startswith("You sent: "), sent
        phones[1].reload()
        expect(phones[1].locator("#sent-summary")).to_have_text(sent, timeout=10_000)
        if step.restored:
            expect(phones[1].locator(step.restored)).to_have_count(2)
        phones[0].evaluate("window.scrollTo(0, 0)")
        assert_readable(phones[0], ("#prompt", ".domain-label", "#status-message", "#submit-button",
                                    "#pass-button", ".hint"))
        phones[0].screenshot(path=SHOTS / f"phone-{step.kind}.png", animations="disabled")
        if step.kind == "scale":
            phones[0].emulate_media(color_scheme="dark")
            assert_readable(phones[0], ("#prompt", ".domain-label", "#status-message",
                                        "#submit-button", "#pass-button", ".hint", ".end strong"))
            background = phones[0].evaluate("getComputedStyle(document.body).backgroundColor")
            assert background == "rgb(27, 24, 21)", background  # phone.css's dark --bg
            phones[0].screenshot(path=SHOTS / f"phone-{step.kind}-dark.png", animations="disabled")
            phones[0].emulate_media(color_scheme="light")

        expect(projector.get_by_text("3 responded", exact=True)).to_be_visible(timeout=10_000)
        expect(projector.get_by_text("Results are hidden while you answer.")).to_be_visible()
        expect(facilitator.locator(".st-key-toggle_results button")).to_have_text("Show results")
        press(facilitator, "toggle_results")
        assert_projector_fills_screen(projector, step)
        if step.kind == "text":
            cards = projector.locator(".wall-card")
            expect(cards).to_have_count(3)
            assert sorted(cards.all_inner_texts()) == sorted(TEXTS)  # typed markup stays literal
        else:
            chart = projector.locator("[data-testid='stPlotlyChart']")
            expect(chart).to_have_count(1)
            expect(chart.locator(".main-svg").first).to_be_visible()
            for word in step.shows:
                expect(chart).to_contain_text(word)
            expect(projector.locator(".modebar")).to_have_count(0)
        if step.kind == "word":
            assert_words_readable_from_the_back(projector)
        if step.kind == "scale":
            # Six live refreshes later (3 s) the chart has not greyed out, flickered or been redrawn.
            assert projector.evaluate(STEADY_JS, 3000) == {"opacity": 1, "same": True}
        projector.wait_for_timeout(400)  # let Plotly finish drawing
        projector.screenshot(path=SHOTS / f"projector-{step.kind}.png")

        projector.set_viewport_size(SMALL_PROJECTOR)
        projector.wait_for_timeout(300)
        assert_projector_fills_screen(projector, step)
        if step.kind == "word":
            assert_words_readable_from_the_back(projector)
        projector.set_viewport_size(PROJECTOR)

    for phone in phones:
        assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert phone_errors == [[], [], []]
    assert projector_errors == []
