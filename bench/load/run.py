"""One N, phase by phase: start the servers, open the session from the facilitator page and the
projector, sample idle, let the phones join, play the steps, end the session, stop everything
and read the stored answers back (the summary is bench/load/summary.py)."""

from __future__ import annotations

import asyncio
import contextlib
import random
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.load.agenda import Played
from bench.load.facilitator import Facilitator
from bench.load.phone import Phone
from bench.load.projectors import ChromiumProjector, StreamProjector, make_projector
from bench.load.realphone import RealPhone
from bench.load.sampling import Sampler, loop_lag
from bench.load.servers import Stack
from bench.load.settings import RESULTS, ROOT, Settings
from bench.load.shared import Shared
from bench.load.summary import profile_of, summarise
from bench.profile import Profiler
from harness.chromium import launch as launch_chromium


def make_phones(n: int, settings: Settings, shared: Shared, rng: random.Random, browser: Any) -> list[Any]:
    """N phones; `--real-phones R` of them, spread over the arrival ramp, are Chromium pages."""
    real = {round(j * n / settings.real_phones) for j in range(settings.real_phones)} if settings.real_phones else set()
    phones: list[Any] = []
    for i in range(n):
        phone_rng = random.Random(rng.random())
        if i in real:
            phones.append(RealPhone(i, shared, phone_rng, browser))
        else:
            local = f"127.0.0.{1 + i % settings.source_ips}" if settings.source_ips > 1 else None
            phones.append(Phone(i, shared, phone_rng, local))
    return phones


async def run_once(n: int, settings: Settings, stamp: str, rng: random.Random, app_dir: Path,
                   played: Played) -> dict[str, Any]:
    return await Run(n, settings, stamp, rng, app_dir, played).play()


class Run:
    """The phases of one N, and what they leave for the summary."""

    def __init__(self, n: int, settings: Settings, stamp: str, rng: random.Random, app_dir: Path,
                 played: Played) -> None:
        self.n, self.settings, self.rng = n, settings, rng
        self.title, self.step_ids = played.title, played.steps  # as the app's copy loaded it
        self.steps = min(settings.steps, len(self.step_ids))
        self.result: dict[str, Any] = {"n": n, "agenda": played.id, "steps": self.steps, "collapsed": False,
                                       "notes": []}
        self.result.update(servers=settings.servers, database=settings.database, nginx=settings.nginx)
        self.prefix = f"phones-{stamp}-n{n}"
        self.folder = Path(tempfile.mkdtemp(prefix="bench-phones-"))
        self.stack = Stack(settings, app_dir, self.folder, self.prefix)
        self.shared: Shared | None = None
        self.phones: list[Any] = []
        self.phone_tasks: list[asyncio.Task[None]] = []
        self.marks: dict[str, float] = {}
        self.actions: list[dict[str, Any]] = []
        self.lags: list[float] = []
        self.side_stop = asyncio.Event()
        self.side_tasks: list[asyncio.Task[None]] = []
        self.checks: list[asyncio.Task[None]] = []
        self.sampler: Sampler | None = None
        self.facilitator: Facilitator | None = None
        self.projector: ChromiumProjector | StreamProjector | None = None
        self.profiler: Profiler | None = None

    async def play(self) -> dict[str, Any]:
        from playwright.async_api import async_playwright

        try:
            self.marks["server_start"] = time.monotonic()
            await self.stack.start()
            self.marks["server_ready"] = time.monotonic()
            self.sampler = Sampler([s.process.pid for s in self.stack.servers], self.settings.sample_interval,
                                   self.stack.others)
            self.side_tasks.append(asyncio.create_task(self.sampler.run(self.side_stop)))
            self.side_tasks.append(asyncio.create_task(loop_lag(self.side_stop, self.lags)))
            async with async_playwright() as playwright:
                browser = await launch_chromium(playwright)
                try:
                    await self.open_session(browser)
                    await self.idle()
                    await self.join_phones(browser)
                    await self.play_steps()
                    await self.end_session()
                except Exception:
                    await self.screenshot()
                    raise
                finally:
                    await self.close_pages(browser)
        except (TimeoutError, Exception, asyncio.CancelledError) as exc:
            self.result["collapsed"] = True
            self.result["notes"].append(f"run aborted: {type(exc).__name__}: {exc}"[:500])
            if isinstance(exc, asyncio.CancelledError):
                raise
        finally:
            await self.stop_and_read()
        return self.result

    async def open_session(self, browser: Any) -> None:
        """The facilitator (on the first server) starts the session; the projector watches the last."""
        self.facilitator = Facilitator(browser, self.stack.servers[0].url)
        code, join_url = await self.facilitator.start_session(self.title)
        if join_url != f"{self.stack.phones_base}/join?code={code}":
            self.result["notes"].append(f"unexpected join URL {join_url!r}")
        self.projector = make_projector(self.settings.projector, self.facilitator, self.stack.servers[-1].url)
        if self.projector is not None:
            await self.projector.open(code)
        self.result["code"] = code

    async def idle(self) -> None:
        """Server, facilitator and projector up, no phone yet."""
        self.marks["idle_start"] = time.monotonic()
        await asyncio.sleep(self.settings.idle_seconds)
        if self.settings.profile:
            self.profiler = Profiler(self.stack.servers[0].process.pid, RESULTS / f"{self.prefix}-pyspy.txt")
            self.profiler.start()
        self.marks["idle_end"] = self.marks["phones_start"] = time.monotonic()

    async def join_phones(self, browser: Any) -> None:
        s, n = self.settings, self.n
        self.shared = shared = Shared(n=n, base=self.stack.phones_base, code=self.result["code"], args=s,
                                      deadline=time.monotonic() + s.run_timeout)
        self.phones = make_phones(n, s, shared, self.rng, browser)
        self.phone_tasks = [asyncio.create_task(p.run(s.join_seconds * i / n)) for i, p in enumerate(self.phones)]
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(shared.all_connected.wait(), s.join_seconds + s.connect_timeout)
        self.marks["connected"] = time.monotonic()
        self.result["connect_seconds"] = self.marks["connected"] - self.marks["phones_start"]
        if shared.connected < n:
            self.result["notes"].append(f"only {shared.connected}/{n} phones connected within "
                                        f"{s.join_seconds + s.connect_timeout:.0f} s")
        await asyncio.sleep(1.0)  # let the room settle into its long-polls
        if self.projector is not None and s.check_projector:
            self.result["projector_joined"] = await self.projector.joined(shared.connected, 20)

    async def play_steps(self) -> None:
        """Next, wait for every phone (or --step-timeout), show results; one step after the other."""
        s, shared, facilitator = self.settings, self.shared, self.facilitator
        for k in range(self.steps):
            event = shared.done_event(k)
            before, after = await facilitator.press("next_step")
            action = {"kind": "next", "step": k, "click": before, "clicked": after}
            self.actions.append(action)
            # Watched in the background: the phones' timing must not wait on the page.
            self.checks.append(asyncio.create_task(facilitator.record(
                action, "facilitator_seen", facilitator.page, f"Step {k + 1} of {len(self.step_ids)}",
                before, 30)))
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(event.wait(), s.step_timeout)
            action["answered_after"] = time.monotonic() - before
            action["phones_done"] = shared.done[k]
            acked = sum(1 for p in self.phones if k in p.acked)
            if self.projector is not None and s.check_projector:
                action["projector_answered"] = {"expected": acked}
                self.checks.append(asyncio.create_task(self.projector.answered(
                    action["projector_answered"], k, acked, 15)))
            if s.show_results:
                before, after = await facilitator.press("toggle_results")
                self.actions.append({"kind": "results", "step": k, "click": before, "clicked": after})
                await asyncio.sleep(s.results_seconds)
        self.marks["steps_end"] = time.monotonic()

    async def end_session(self) -> None:
        before, after = await self.facilitator.end_session()
        self.actions.append({"kind": "end", "click": before, "clicked": after})
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(self.shared.all_ended.wait(), 30)
        self.marks["phones_end"] = time.monotonic()
        if self.profiler is not None:
            self.profiler.stop()
        if self.checks:
            await asyncio.wait(self.checks, timeout=35)

    async def screenshot(self) -> None:
        """The facilitator page as it was when the run failed."""
        if self.facilitator is not None and self.facilitator.page is not None:
            with contextlib.suppress(Exception):
                shot = RESULTS / f"{self.prefix}-facilitator.png"
                await asyncio.wait_for(self.facilitator.page.screenshot(path=str(shot)), 10)
                self.result["notes"].append(f"facilitator screenshot: {shot.relative_to(ROOT)}")

    async def close_pages(self, browser: Any) -> None:
        """Stop the phones, close the projector and the browser; keep what the pages reported."""
        for task in self.checks:
            task.cancel()
        if self.shared is not None:
            self.shared.stop.set()
        for task in self.phone_tasks:
            task.cancel()
        if self.phone_tasks:
            await asyncio.wait(self.phone_tasks, timeout=20)
        if self.projector is not None:
            self.result["projector"] = self.projector.stats()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self.projector.close(), 10)
        if self.facilitator is not None:
            self.result["browser_console_errors"] = self.facilitator.console_errors[:20]
            self.result["browser_console_error_count"] = len(self.facilitator.console_errors)
            self.result["browser_failed_responses"] = dict(self.facilitator.failed_responses.most_common(10))
        with contextlib.suppress(Exception):
            await asyncio.wait_for(browser.close(), 20)

    async def stop_and_read(self) -> None:
        """Stop sampling and the servers, then read the stored answers and summarise the run."""
        result, marks = self.result, self.marks
        marks.setdefault("phones_end", time.monotonic())
        if self.profiler is not None:
            self.profiler.stop()
        self.side_stop.set()
        if self.side_tasks:
            await asyncio.wait(self.side_tasks, timeout=5)
        if self.sampler is not None:
            with contextlib.suppress(Exception):
                self.sampler.take()
        self.stack.stop_servers(result)
        marks["server_stopped"] = time.monotonic()
        try:
            if self.shared is not None and result.get("code") is not None:
                result.update(summarise(self.n, self.shared, self.phones, self.actions, marks, self.sampler,
                                        self.lags, self.stack.database, result["code"],
                                        self.projector.seen if self.projector else []))
                result["notes"].extend(result.get("anomalies", []))
                if self.profiler is not None:
                    result["profile"] = profile_of(self.profiler, self.shared)
        finally:
            self.stack.stop_database(result)
            shutil.rmtree(self.folder, ignore_errors=True)
