"""A simulated phone: the requests of the phone page (phone/static/), over bench/load/wire.py.

It loads the page and every script and style sheet the HTML names, joins, long-polls
`/api/live` and posts answers with phone.js's timeouts and retries; one asyncio process holds
all of them.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import random
import time
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin

from bench.load.answers import changed_value, make_value, stored_form
from bench.load.settings import MAX_JOIN_ATTEMPTS, MAX_POLLS_PER_PHONE, MAX_SEND_ATTEMPTS, POLL_TIMEOUT, SEND_TIMEOUT
from bench.load.shared import Shared
from bench.load.wire import Reply, WireClient, WireError


class _Assets(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        rel = set((a.get("rel") or "").lower().split())
        if tag == "script" and a.get("src"):
            self.found.append(a["src"])
        elif tag == "link" and a.get("href") and rel & {"stylesheet", "modulepreload"}:
            self.found.append(a["href"])


def page_assets(html: str, page_url: str) -> list[str]:
    """The scripts, style sheets and preloaded modules an HTML page names, as URLs resolved
    against the page's, each once and in page order: what a browser fetches before it runs."""
    parser = _Assets()
    parser.feed(html)
    parser.close()
    return list(dict.fromkeys(urljoin(page_url, ref) for ref in parser.found))


def _reason(response: Reply) -> str:
    try:
        data = response.json()
    except ValueError:
        return "not_json"
    return str(data.get("reason", "")) if isinstance(data, dict) else "not_json"


class Phone:
    """A simulated phone: phone.js's requests, on connections of its own."""

    real = False

    def __init__(self, index: int, shared: Shared, rng: random.Random, local_address: str | None) -> None:
        self.index = index
        self.shared = shared
        self.rng = rng
        self.local_address = local_address
        self.token: str | None = None
        self.version: int | None = None
        self.connected = False
        self.ended_at: float | None = None
        self.step_arrival: dict[int, float] = {}     # step index -> first time the phone saw it
        self.step_version: dict[int, int] = {}       # step index -> version it was first seen at
        self.version_arrival: dict[int, float] = {}  # version -> first time seen
        self.acked: dict[int, tuple[Any, bool]] = {} # step -> last acknowledged (stored value, passed)
        self.first_ack: dict[int, tuple[float, float]] = {}  # step -> (first send started, acknowledged)
        self.submit_times: list[float] = []          # round trips of acknowledged sends
        self.step_submits: dict[int, list[float]] = collections.defaultdict(list)  # the same, by step
        self.given_up: dict[int, int] = collections.Counter()
        self.answer_tasks: dict[int, asyncio.Task[None]] = {}
        self.client: WireClient | None = None

    async def run(self, start_delay: float) -> None:
        sh = self.shared
        self.client = WireClient(sh.base, self.local_address)
        try:
            await asyncio.sleep(start_delay)
            if not await self.load_page() or not await self.join():
                return
            await self.follow()
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # noqa: BLE001 - a bench bug must not take the other phones down
            sh.error(f"phone-crash:{type(exc).__name__}:{exc}"[:120])
        finally:
            for task in self.answer_tasks.values():
                task.cancel()
            await asyncio.gather(*self.answer_tasks.values(), return_exceptions=True)
            with contextlib.suppress(Exception):
                await self.client.aclose()

    async def _send(self, what: str, method: str, url: str, total: float = POLL_TIMEOUT,
                    **kw: Any) -> tuple[Reply | None, float]:
        """One request; `total` aborts it like phone.js's AbortController timer."""
        t = time.monotonic()
        try:
            async with asyncio.timeout(total):
                response = await self.client.request(method, url, **kw)
        except WireError as exc:
            self.shared.error(f"{what}:{type(exc).__name__}", t)
            return None, time.monotonic() - t
        except TimeoutError:
            self.shared.error(f"{what}:aborted after {total:g} s", t)
            return None, time.monotonic() - t
        return response, time.monotonic() - t

    async def load_page(self) -> bool:
        """The HTML page, then every script, style sheet and preloaded module it names, in
        parallel as a browser does; timed as a whole."""
        t = time.monotonic()
        page, _ = await self._send("page", "GET", "/join", params={"code": self.shared.code})
        if page is None or page.status_code != 200:
            if page is not None:
                self.shared.error(f"page:{page.status_code}")
            return False
        urls = page_assets(page.text, str(page.url))
        self.shared.assets_fetched += len(urls)
        assets = await asyncio.gather(*(self._send("asset", "GET", url) for url in urls))
        for response, _ in assets:
            if response is not None and response.status_code != 200:
                self.shared.error(f"asset:{response.status_code}")
        self.shared.page_times.append(time.monotonic() - t)
        return True

    async def join(self) -> bool:
        sh = self.shared
        t = time.monotonic()
        for attempt in range(1, MAX_JOIN_ATTEMPTS + 1):
            response, _ = await self._send("join", "POST", "/api/join", total=SEND_TIMEOUT,
                                           json={"code": sh.code, "token": self.token})
            if response is not None and response.status_code == 200:
                self.token = response.json()["token"]
                sh.join_times.append(time.monotonic() - t)
                return True
            if response is not None:
                sh.error(f"join:{response.status_code}:{_reason(response)}", t)
                if response.status_code in (400, 404, 410):
                    return False
            delay = 5.0 if response is not None and response.status_code == 429 else min(5.0, 2 ** (attempt - 1))
            if time.monotonic() + delay > sh.deadline or sh.stop.is_set():
                return False
            await asyncio.sleep(delay)
        return False

    async def follow(self) -> None:
        """The long-poll loop of phone.js."""
        sh = self.shared
        failures = 0
        for _ in range(MAX_POLLS_PER_PHONE):
            if sh.stop.is_set() or self.ended_at is not None or time.monotonic() > sh.deadline:
                return
            params = {"code": sh.code, "token": self.token}
            if self.version is not None:
                params["since"] = str(self.version)
            since_at_start = self.version
            started = time.monotonic()
            response, elapsed = await self._send("live", "GET", "/api/live", total=POLL_TIMEOUT, params=params)
            if response is None and elapsed >= POLL_TIMEOUT - 0.05:
                continue  # phone.js: a poll aborted after 40 s is a stale connection; ask again at once
            if response is None:
                failures += 1
                await asyncio.sleep(min(5.0, 2 ** (failures - 1)))
                continue
            if response.status_code != 200:
                reason = _reason(response)
                sh.error(f"live:{response.status_code}:{reason}", started)
                if response.status_code in (404, 410):
                    return
                if response.status_code == 403:
                    await self.join()
                failures += 1
                await asyncio.sleep(5.0 if response.status_code == 429 else min(5.0, 2 ** (failures - 1)))
                continue
            failures = 0
            now = time.monotonic()
            sh.timeline(now)["polls answered"] += 1
            self.apply(response.json(), now)
            if self.ended_at is not None:
                return
            quick = time.monotonic() - started < 0.5
            if quick and self.version == since_at_start:
                await asyncio.sleep(1.0)  # phone.js: guard against a server answering at once

    def apply(self, view: dict[str, Any], now: float) -> None:
        sh = self.shared
        if not self.connected:
            self.connected = True
            sh.mark_connected()
        self.version = view["version"]
        self.version_arrival.setdefault(self.version, now)
        if view["status"] == "ended":
            self.ended_at = now
            sh.mark_ended()
            return
        step = view.get("step")
        if view["status"] != "live" or not step:
            return
        index = step["index"]
        if index not in self.step_arrival:
            self.step_arrival[index] = now
            self.step_version[index] = self.version
            sh.exercises.setdefault(index, step["exercise"])
        if step["open"] and index not in self.answer_tasks:
            self.answer_tasks[index] = asyncio.create_task(self.answer(index, step["exercise"]))

    async def answer(self, step: int, exercise: dict[str, Any]) -> None:
        """Think, answer (or pass); one phone in five (`--change-rate`) changes its mind once."""
        a = self.shared.args
        try:
            await asyncio.sleep(self.rng.uniform(a.think_min, a.think_max))
            passed = self.rng.random() < a.pass_rate
            first = None if passed else make_value(exercise, self.rng)
            if not await self.submit(step, exercise, first, passed):
                return
            if self.rng.random() < a.change_rate:
                await asyncio.sleep(self.rng.uniform(a.think_min, a.think_max))
                await self.submit(step, exercise, changed_value(exercise, first, self.rng), False)
        finally:
            self.shared.step_done(step)

    async def submit(self, step: int, exercise: dict[str, Any], value: Any, passed: bool) -> bool:
        sh = self.shared
        body: dict[str, Any] = {"code": sh.code, "token": self.token, "step": step}
        if passed:
            body["pass"] = True
        else:
            body["value"] = value
        first = time.monotonic()
        for attempt in range(1, MAX_SEND_ATTEMPTS + 1):
            if sh.stop.is_set():
                return False
            sh.answer_posts += 1
            started = time.monotonic()
            response, elapsed = await self._send("answer", "POST", "/api/answer", total=SEND_TIMEOUT, json=body)
            if response is not None and response.status_code == 200:
                now = time.monotonic()
                sh.submit_times.append(elapsed)
                self.submit_times.append(elapsed)
                self.step_submits[step].append(elapsed)
                sh.ack_times.append(now - first)
                self.first_ack.setdefault(step, (first, now))
                bucket = sh.timeline(started)
                bucket["answers ok"] += 1
                bucket["answer seconds"] += elapsed
                self.acked[step] = (None if passed else stored_form(exercise, value), passed)
                return True
            if response is None:
                delay = min(5.0, 2 ** (attempt - 1))
            else:
                reason = _reason(response)
                sh.error(f"answer:{response.status_code}:{reason}", started)
                sh.submit_other[f"{response.status_code}:{reason}"] += 1
                if response.status_code == 429:
                    delay = 5.0  # phone.js waits 5 s after a 429
                elif response.status_code >= 500:
                    delay = min(5.0, 2 ** (attempt - 1))
                else:
                    self.given_up[step] += 1  # not_live, closed, invalid: phone.js drops it
                    return False
            if time.monotonic() + delay > sh.deadline:
                break
            await asyncio.sleep(delay)
        self.given_up[step] += 1
        return False
