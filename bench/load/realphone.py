"""Real phones for the load bench's cross-check: headless Chromium pages on `/join`.

`python -m bench.phones --phones 20 --real-phones 5` makes 5 of the 20 phones real pages
(a 390x844 touch viewport, each in its own browser context so each has its own anonymous
token) that answer through the page's own controls: they tap an option, move a slider or
type a word, then tap Send or Pass. The other 15 are the bench's simulated phones. Both
kinds are timed the same way, so their latencies can be set side by side: if the simulated
phones speak the protocol as the page does, the two should agree.

Timing comes from inside the page: an init script wraps `window.fetch` (phone.js sends
everything through it) and notes, with `Date.now()`, when each `/api/live` poll returned
and what step it carried, when each `/api/answer` started and was acknowledged, and when
the step counter on screen changed. The bench converts those wall-clock times to its own
monotonic clock, which is what the facilitator's clicks are timed with.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import random
import time
from typing import Any

from bench.load.agenda import AgendaRefused, Played
from bench.load.answers import make_value, stored_form
from bench.load.shared import Shared

PHONE_CONTEXT = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True,
                 "device_scale_factor": 2}

# Runs in the page before phone.js. It only observes: the requests and their order are phone.js's own.
INSTRUMENT = """
(() => {
  const log = window.__bench = {live: [], answers: [], join: [], shown: [], exercises: {}};
  const original = window.fetch.bind(window);
  window.fetch = function (input, init) {
    const url = typeof input === 'string' ? input : input.url;
    const t0 = Date.now();
    return original(input, init).then((res) => {
      const t1 = Date.now();
      if (url.indexOf('/api/') >= 0) {
        res.clone().text().then((text) => {
          let data = {};
          try { data = JSON.parse(text); } catch (e) { data = {}; }
          if (url.indexOf('/api/live') >= 0 && res.ok) {
            log.live.push({t: t1, version: data.version, status: data.status,
                           step: data.step ? data.step.index : null});
            if (data.step) { log.exercises[data.step.index] = data.step.exercise; }
          } else if (url.indexOf('/api/answer') >= 0) {
            log.answers.push({t0: t0, t1: t1, status: res.status,
                              body: init && init.body ? JSON.parse(init.body) : null});
          } else if (url.indexOf('/api/join') >= 0 && res.ok) {
            log.join.push({t: t1, token: data.token});
          }
        });
      }
      return res;
    });
  };
  document.addEventListener('DOMContentLoaded', () => {
    const counter = document.getElementById('step-counter');
    if (counter) {
      new MutationObserver(() => log.shown.push({t: Date.now(), text: counter.textContent}))
        .observe(counter, {childList: true, characterData: true, subtree: true});
    }
  });
})();
"""

# The kinds `RealPhone.fill` knows how to answer through the page's controls.
REAL_PHONE_KINDS = frozenset({"single_choice", "multiple_choice", "scale", "spectrum", "word", "text", "position2d"})


def check_real_phones(played: Played, steps: int, real_phones: int) -> None:
    """Refuse real phones on a step of a kind `fill` cannot answer: on such a step a real page
    would find Send disabled and send nothing, and the run would look as if it had passed."""
    unfilled = [kind for kind in dict.fromkeys(played.kinds[:steps]) if kind not in REAL_PHONE_KINDS]
    if real_phones and unfilled:
        raise AgendaRefused(f"--real-phones: a real phone cannot yet answer {', '.join(unfilled)} through the "
                            f"page (bench/load/realphone.py fills only {', '.join(sorted(REAL_PHONE_KINDS))}); "
                            "play fewer --steps or no real phones")


# What the phone shows: its screen and the step counter, read in one round trip.
SCREEN = "() => [document.body.getAttribute('data-screen') || '', " \
         "(document.getElementById('step-counter') || {}).textContent || '']"


class RealPhone:
    """One Chromium page on `/join`, driven through its controls like a thumb would.

    It fills the same fields as bench.load.phone.Phone (step_arrival, acked, first_ack, ...)
    from the page's own log after the run, so the bench summarises both kinds alike.
    """

    real = True

    def __init__(self, index: int, shared: Shared, rng: random.Random, browser: Any) -> None:
        self.index = index
        self.shared = shared
        self.rng = rng
        self.browser = browser
        self.page: Any = None
        self.context: Any = None
        self.token: str | None = None
        self.connected = False
        self.ended_at: float | None = None
        self.step_arrival: dict[int, float] = {}
        self.step_shown: dict[int, float] = {}
        self.step_version: dict[int, int] = {}
        self.version_arrival: dict[int, float] = {}
        self.acked: dict[int, tuple[Any, bool]] = {}
        self.first_ack: dict[int, tuple[float, float]] = {}
        self.submit_times: list[float] = []
        self.step_submits: dict[int, list[float]] = collections.defaultdict(list)
        self.given_up: collections.Counter = collections.Counter()
        self.answer_tasks: dict[int, None] = {}
        self.log: dict[str, list[dict[str, Any]]] = {}
        # Date.now() of the page, in ms -> this process's monotonic clock (one machine, one clock).
        self.wall_to_mono = time.time() - time.monotonic()

    async def run(self, start_delay: float) -> None:
        sh = self.shared
        try:
            await asyncio.sleep(start_delay)
            self.context = await self.browser.new_context(**PHONE_CONTEXT)
            await self.context.add_init_script(INSTRUMENT)
            self.page = await self.context.new_page()
            await self.page.goto(f"{sh.base}/join?code={sh.code}")
            await self.page.locator("#start-button").tap(timeout=30_000)
            await self.page.locator("#waiting").wait_for(timeout=30_000)
            self.connected = True
            sh.mark_connected()
            await self.follow()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - one page failing must not stop the run
            sh.error(f"real-phone:{type(exc).__name__}:{exc}"[:120])
        finally:
            await self.collect()

    async def follow(self) -> None:
        """Wait for each new step on screen, answer it, until the session ends."""
        sh = self.shared
        done: set[int] = set()
        while not sh.stop.is_set() and time.monotonic() < sh.deadline:
            screen, counter = await self.page.evaluate(SCREEN)
            if screen == "ended":
                self.ended_at = time.monotonic()
                sh.mark_ended()
                return
            step = _step_of(counter) if screen == "exercise" else None
            if step is not None and step not in done:
                done.add(step)
                self.answer_tasks[step] = None
                try:
                    await self.answer(step)
                finally:
                    sh.step_done(step)
            await asyncio.sleep(0.1)

    async def answer(self, step: int) -> None:
        """Think, then answer through the controls or tap Pass; one in five changes its mind."""
        a = self.shared.args
        exercise = await self.exercise(step)
        await asyncio.sleep(self.rng.uniform(a.think_min, a.think_max))
        if self.rng.random() < a.pass_rate:
            await self.send(step, "#pass-button")
        else:
            await self.fill(exercise)
            await self.send(step, "#submit-button")
        if self.rng.random() < a.change_rate:
            await asyncio.sleep(self.rng.uniform(a.think_min, a.think_max))
            await self.fill(exercise)
            await self.send(step, "#submit-button")

    async def exercise(self, step: int) -> dict[str, Any]:
        """The exercise as this page received it from `/api/live`."""
        for _ in range(100):
            exercise = await self.page.evaluate("(k) => window.__bench.exercises[k] || null", step)
            if exercise:
                return self.shared.exercises.setdefault(step, exercise)
            await asyncio.sleep(0.1)
        raise RuntimeError(f"no exercise seen for step {step}")

    async def fill(self, exercise: dict[str, Any]) -> None:
        """Set one of the kind's example answers the way a person would on this question type."""
        page, kind, s = self.page, exercise["type"], exercise.get("settings") or {}
        value = make_value(exercise, self.rng)
        if kind in ("single_choice", "multiple_choice"):
            for option in [value] if kind == "single_choice" else value:
                await page.locator(f"#option-{s['options'].index(option)}").tap()
        elif kind in ("scale", "spectrum"):
            await _set_range(page, f"#{kind}-input", round(value))  # the sliders step by 1
        elif kind in ("word", "text"):
            await page.locator(f"#{kind}-input").fill(value)
        elif kind == "position2d":  # x from the left, y = 100 at the top
            box = await page.locator(".field2d").bounding_box()
            await page.touchscreen.tap(box["x"] + box["width"] * value[0] / 100,
                                       box["y"] + box["height"] * (1 - value[1] / 100))

    async def send(self, step: int, button: str) -> None:
        """Tap Send or Pass and wait for the page to confirm, as a person would before moving on."""
        before = len(await self.page.evaluate("() => window.__bench.answers"))
        target = self.page.locator(button)
        if not await target.is_enabled():
            return  # e.g. a choice tapped twice unselects it: nothing to send, as on a real phone
        await target.tap()
        for _ in range(int(self.shared.args.step_timeout * 10)):
            answers = await self.page.evaluate("() => window.__bench.answers")
            if any(a["status"] == 200 for a in answers[before:]):
                return
            await asyncio.sleep(0.1)
        self.given_up[step] += 1

    async def collect(self) -> None:
        """Read the page's log and fill the fields the bench summarises; close the page."""
        if self.page is not None:
            with contextlib.suppress(Exception):
                self.log = await asyncio.wait_for(self.page.evaluate("() => window.__bench"), 10)
        if self.context is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.context.close(), 10)
        mono = self.mono
        for entry in self.log.get("join", []):
            self.token = entry["token"]
        for entry in self.log.get("live", []):
            t, version, step = mono(entry["t"]), entry["version"], entry["step"]
            self.version_arrival.setdefault(version, t)
            if entry["status"] == "live" and step is not None and step not in self.step_arrival:
                self.step_arrival[step] = t
                self.step_version[step] = version
        for entry in self.log.get("shown", []):
            step = _step_of(entry["text"])
            if step is not None:
                self.step_shown.setdefault(step, mono(entry["t"]))
        for entry in self.log.get("answers", []):
            self.record_answer(entry)

    def record_answer(self, entry: dict[str, Any]) -> None:
        body = entry.get("body") or {}
        if entry["status"] != 200 or "step" not in body:
            return
        step, sent, acked = body["step"], self.mono(entry["t0"]), self.mono(entry["t1"])
        self.submit_times.append(acked - sent)
        self.step_submits[step].append(acked - sent)
        self.first_ack.setdefault(step, (sent, acked))
        passed = body.get("pass") is True
        exercise = self.shared.exercises.get(step)
        value = None if passed or exercise is None else stored_form(exercise, body.get("value"))
        self.acked[step] = (value, passed)

    def mono(self, wall_ms: float) -> float:
        return wall_ms / 1000.0 - self.wall_to_mono


def _step_of(counter: str) -> int | None:
    """"Step 3 of 7" -> 2 (the step's index)."""
    parts = counter.split()
    if len(parts) == 4 and parts[0] == "Step" and parts[1].isdigit():
        return int(parts[1]) - 1
    return None


async def _set_range(page: Any, selector: str, value: int) -> None:
    """Move a slider: the events a finger's drag ends with (as the browser tests do)."""
    await page.locator(selector).evaluate(
        "(el, v) => { el.value = v; el.dispatchEvent(new Event('input', {bubbles: true}));"
        " el.dispatchEvent(new Event('change', {bubbles: true})); }", value)
