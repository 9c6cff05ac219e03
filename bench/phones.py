"""Load benchmark: N simulated phones against a real `streamlit run app.py`.

Run from the repository root:

    python -m bench.phones --phones 50 100 300 500 1000

For each N this starts a fresh server on a free port of 127.0.0.1 with a fresh
DuckDB file, plays the facilitator in headless Chromium, holds the projector page
as a Streamlit websocket client that re-runs its fragment every second as a
browser tab does (bench/wsprojector.py; `--projector chromium` for a real tab),
connects N phones from ONE asyncio process with httpx (each phone loads the
page, joins and long-polls `/api/live` exactly like
`phone/static/phone.js`), steps through the agenda, and measures:

* submit->counted: a phone's first send of its answer -> the projector showing
  a count that includes it (see counted_latencies);
* next->phone: facilitator's click -> the phone's long-poll returning the new step;
* submit: the round trip of every POST /api/answer;
* answers sent (the latest acknowledged answer or pass per phone and step)
  against the rows stored in DuckDB (read after the server has stopped);
* the server's CPU time and RSS sampled from /proc (process and children).

`--real-phones 5` makes 5 of the N phones real headless Chromium pages on /join
that answer through the page (bench/realphones.py) and reports their latencies
next to the simulated phones', as a cross-check of the simulation.

`--servers 2 --database postgresql` runs two app servers on one database in a
throwaway PostgreSQL cluster (harness/postgres.py), with Debian's nginx and the
shipped deploy/nginx-workshop.conf in front (`--nginx`, also for one server):
the phones and the join links go through nginx, the facilitator drives the
first server, the projector watches the last one (so submit->counted crosses
servers), stored answers are read from PostgreSQL, and PostgreSQL's and nginx's
CPU are sampled apart from the app servers'.

Results go to bench/results/ (git-ignored): a JSON file, an offline Plotly HTML
chart and the server log of each run. Everything is bounded in count and time,
and the server and the browser are stopped on exit, Ctrl-C or error.

The bench process and Chromium run on the same machine as the server and
compete with it for CPU: their CPU use is reported next to the server's.
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import bisect
import collections
import contextlib
import itertools
import json
import math
import os
import platform
import random
import re
import resource
import shutil
import signal
import ssl
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any

import duckdb
import httpx
import yaml

from bench.profile import Profiler, analyse, summary
from bench.shared import Shared, make_value, stored_form
from bench.wsprojector import Seen, WsProjector
from harness.chromium import CHROMIUM
from harness.chromium import launch as launch_chromium
from harness.nginx import nginx_command, nginx_config
from harness.ports import free_port
from harness.processes import stop
from harness.streamlit_server import Server, healthy, launch_streamlit

ROOT = Path(__file__).resolve().parent.parent
APP_DIR = ROOT  # where the server runs from: the working tree, or a snapshot of HEAD (--source head)
RESULTS = ROOT / "bench" / "results"
HOST = "127.0.0.1"
AGENDA_ID = "nine-domains-intro"
BENCH_PASSCODE = "bench-phones-001"  # used only if the app asks the facilitator for a passcode
CLK_TCK = os.sysconf("SC_CLK_TCK")
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024

# Like phone.js: a poll gives up after 40 s (the server answers within 25 s),
# a send after 15 s.
POLL_TIMEOUT = 40.0
SEND_TIMEOUT = 15.0
MAX_SEND_ATTEMPTS = 6          # per answer; phone.js retries for as long as the page is open
MAX_JOIN_ATTEMPTS = 8
MAX_POLLS_PER_PHONE = 5_000    # a safety bound: a normal run makes a few dozen
KNEE_SECONDS = 2.0

# Extra environment for the server (`--server-env`), e.g. a Streamlit option to try without
# editing the app: STREAMLIT_RUNNER_POST_SCRIPT_GC=false.
SERVER_ENV: dict[str, str] = {}
SERVER_STOP_SECONDS = 15.0  # SIGTERM to SIGKILL

# One shared context: httpx would otherwise load the CA bundle for every phone's client.
SSL_CONTEXT = ssl.create_default_context()


# ---------------------------------------------------------------------------- stats

def pct(values: list[float], q: float) -> float | None:
    """Percentile with linear interpolation (q in 0..100)."""
    if not values:
        return None
    s = sorted(values)
    k = (len(s) - 1) * q / 100.0
    lo = math.floor(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def dist(values: list[float]) -> dict[str, Any]:
    return {"count": len(values), "p50": pct(values, 50), "p95": pct(values, 95),
            "p99": pct(values, 99), "max": max(values) if values else None,
            "mean": sum(values) / len(values) if values else None}


# ---------------------------------------------------------------------------- /proc

def _stat_fields(pid: int) -> list[bytes] | None:
    """Fields of /proc/<pid>/stat from field 3 (state) on: the name may hold spaces."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    return data[data.rfind(b")") + 2:].split()


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status", "rb") as fh:
            for line in fh:
                if line.startswith(b"VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _parents() -> dict[int, int]:
    table: dict[int, int] = {}
    for entry in os.scandir("/proc"):
        if entry.name.isdigit():
            fields = _stat_fields(int(entry.name))
            if fields is not None:
                table[int(entry.name)] = int(fields[1])
    return table


def _tree(root: int, parents: dict[int, int]) -> set[int]:
    children: dict[int, list[int]] = collections.defaultdict(list)
    for pid, ppid in parents.items():
        children[ppid].append(pid)
    seen, todo = set(), [root]
    while todo and len(seen) < 10_000:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        todo.extend(children.get(pid, ()))
    return seen


class TreeMeter:
    """CPU seconds used and RSS of a set of processes, summed over the set.

    CPU is accumulated per pid from its first sighting, so a child that comes
    and goes still counts for what was seen of it (up to its last sample).
    """

    def __init__(self) -> None:
        self._last: dict[int, float] = {}
        self.cpu = 0.0

    def sample(self, pids: set[int], baseline: bool = False) -> tuple[float, int, int]:
        rss = threads = 0
        for pid in pids:
            fields = _stat_fields(pid)
            if fields is None:
                continue
            # utime and stime are fields 14 and 15; num_threads 20. Not cutime/cstime: a reaped
            # child's time moves there and would be counted twice (Chromium reaps renderers).
            cpu = (int(fields[11]) + int(fields[12])) / CLK_TCK
            threads += int(fields[17])
            prev = self._last.get(pid)
            if prev is None:
                prev = cpu if baseline else 0.0
            self.cpu += max(0.0, cpu - prev)
            self._last[pid] = cpu
            rss += _rss_kb(pid)
        return self.cpu, rss, threads


def _system_busy() -> float:
    """CPU seconds all cores have spent busy since boot (from the `cpu` line of /proc/stat)."""
    try:
        with open("/proc/stat", "rb") as fh:
            fields = [int(v) for v in fh.readline().split()[1:]]
    except OSError:
        return 0.0
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields[:8]) - idle) / CLK_TCK


def _fd_count(pid: int) -> int:
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return 0


class Sampler:
    """Samples the app servers' trees (summed, and each apart), this bench process, the browser
    and other named process trees (PostgreSQL's postmaster, nginx's master) every `interval` s."""

    def __init__(self, server_pids: list[int], interval: float, others: dict[str, int] | None = None) -> None:
        self.server_pids = server_pids
        self.interval = interval
        self.servers = [TreeMeter() for _ in server_pids]
        self.others = dict(others or {})
        self.other_meters = {name: TreeMeter() for name in self.others}
        self.browser = TreeMeter()
        self.samples: list[dict[str, float]] = []
        self.t0 = time.monotonic()

    def take(self) -> dict[str, float]:
        parents = _parents()
        first = not self.samples
        trees = [_tree(pid, parents) for pid in self.server_pids]
        extra = {name: _tree(pid, parents) for name, pid in self.others.items()}
        mine = _tree(os.getpid(), parents) - set().union(*trees, *extra.values()) - {os.getpid()}
        sample: dict[str, float] = {"t": time.monotonic(), "server_cpu": 0.0, "server_rss_kb": 0,
                                    "server_threads": 0, "server_fds": 0}
        for i, (tree, meter) in enumerate(zip(trees, self.servers, strict=True)):
            cpu, rss, threads = meter.sample(tree, baseline=first)
            sample[f"server{i + 1}_cpu"] = cpu
            sample["server_cpu"] += cpu
            sample["server_rss_kb"] += rss
            sample["server_threads"] += threads
            sample["server_fds"] += _fd_count(self.server_pids[i])
        for name, tree in extra.items():
            cpu, rss, _ = self.other_meters[name].sample(tree, baseline=first)
            sample[f"{name}_cpu"], sample[f"{name}_rss_kb"] = cpu, rss
        b_cpu, b_rss, _ = self.browser.sample(mine, baseline=first)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        sample.update({"bench_cpu": usage.ru_utime + usage.ru_stime, "bench_rss_kb": _rss_kb(os.getpid()),
                       "browser_cpu": b_cpu, "browser_rss_kb": b_rss, "system_busy": _system_busy()})
        self.samples.append(sample)
        return sample

    async def run(self, stop: asyncio.Event) -> None:
        for _ in range(100_000):
            self.take()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stop.wait(), self.interval)
            if stop.is_set():
                return

    def between(self, t_from: float, t_to: float) -> list[dict[str, float]]:
        return [s for s in self.samples if t_from <= s["t"] <= t_to]

    def at(self, t: float) -> dict[str, float]:
        """The sample closest to t."""
        return min(self.samples, key=lambda s: abs(s["t"] - t))


async def loop_lag(stop: asyncio.Event, lags: list[float], tick: float = 0.05) -> None:
    """How late this process's event loop wakes up: the bench's own saturation."""
    for _ in range(10_000_000):
        if stop.is_set():
            return
        t = time.monotonic()
        await asyncio.sleep(tick)
        lags.append(max(0.0, time.monotonic() - t - tick))


# ---------------------------------------------------------------------------- server

def start_server(folder: Path, port: int, log: Path, database_url: str | None = None,
                 public_url: str | None = None) -> Server:
    """`python -m streamlit run app.py` from APP_DIR in its own process group, not yet ready;
    on a DuckDB file in `folder`, or the PostgreSQL database every server of the run shares.
    With nginx in front (`public_url`), the join links point at it."""
    server = launch_streamlit(
        folder, port, HOST, app_dir=APP_DIR, log=log, own_group=True,
        WORKSHOP_DB_PATH=str(folder / "workshop.duckdb"), WORKSHOP_DATABASE_URL=database_url or "",
        WORKSHOP_CONTENT_DIR=str(APP_DIR / "content"), WORKSHOP_PUBLIC_URL=public_url or f"http://{HOST}:{port}",
        WORKSHOP_PASSCODE=BENCH_PASSCODE, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
        STREAMLIT_SERVER_FILE_WATCHER_TYPE="none", **SERVER_ENV)
    atexit.register(server.stop, SERVER_STOP_SECONDS)
    return server


async def wait_ready(server: Server, timeout: float) -> None:
    """Until the server answers its health route (polled in a thread, so the loop runs on)."""
    if not await asyncio.to_thread(healthy, server.url, server.process, timeout):
        raise RuntimeError(f"streamlit did not start:\n{server.log.read_text(errors='replace')[-3000:]}")


class Nginx:
    """Debian's nginx in front of the app servers, with the shipped sample config
    (deploy/nginx-workshop.conf, put together by harness/nginx.py) and one change: more
    `worker_connections` than the test's 1024, since every phone's long-poll holds two
    connections in nginx (the phone's and the upstream one)."""

    def __init__(self, folder: Path, port: int, servers: list[str], worker_connections: int) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.url = f"http://{HOST}:{port}"
        config = nginx_config(folder, port, servers, worker_connections)
        self.command = nginx_command(folder, config)
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with (self.folder / "stderr.log").open("wb") as err:
            self.process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL, stderr=err,
                                            start_new_session=True)
        atexit.register(self.stop)

    async def wait_ready(self, timeout: float = 20.0) -> None:
        if not await asyncio.to_thread(healthy, self.url, self.process, timeout):
            raise RuntimeError(f"nginx did not start: {(self.folder / 'stderr.log').read_text(errors='replace')}"
                               f"{self.error_log()[-2000:]}")

    def error_log(self) -> str:
        path = self.folder / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        process, self.process = self.process, None
        stop(process, 10)  # our own nginx master, started above


def log_lines(text: str, pattern: str) -> dict[str, Any]:
    lines = [line for line in text.splitlines() if re.search(pattern, line)]
    return {"lines": len(lines), "first": sorted(set(lines))[:10]}


def log_problems(log_path: Path) -> dict[str, Any]:
    text = log_path.read_text(errors="replace") if log_path.exists() else ""
    lines = text.splitlines()
    errors = [line for line in lines if re.search(r"\b(ERROR|Error|Exception)\b", line)]
    return {"tracebacks": text.count("Traceback (most recent call last)"),
            "error_lines": len(errors),
            "first_errors": sorted(set(errors))[:10]}


# ---------------------------------------------------------------------------- phones

def _reason(response: httpx.Response) -> str:
    try:
        data = response.json()
    except ValueError:
        return "not_json"
    return str(data.get("reason", "")) if isinstance(data, dict) else "not_json"


class Phone:
    """A simulated phone: phone.js's requests, made with httpx."""

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
        self.given_up: dict[int, int] = collections.Counter()
        self.answer_tasks: dict[int, asyncio.Task[None]] = {}
        self.client: httpx.AsyncClient | None = None

    async def run(self, start_delay: float) -> None:
        sh = self.shared
        transport = httpx.AsyncHTTPTransport(
            verify=SSL_CONTEXT, local_address=self.local_address,
            limits=httpx.Limits(max_connections=4, max_keepalive_connections=4))
        self.client = httpx.AsyncClient(
            base_url=sh.base, transport=transport, headers={"User-Agent": "bench-phone/1"},
            timeout=httpx.Timeout(SEND_TIMEOUT, read=POLL_TIMEOUT))
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

    async def _send(self, what: str, method: str, url: str, total: float | None = None,
                    **kw: Any) -> tuple[httpx.Response | None, float]:
        """One request; `total` aborts it like phone.js's AbortController timer."""
        t = time.monotonic()
        try:
            async with asyncio.timeout(total):
                response = await self.client.request(method, url, **kw)
        except httpx.HTTPError as exc:
            self.shared.error(f"{what}:{type(exc).__name__}", t)
            return None, time.monotonic() - t
        except TimeoutError:
            self.shared.error(f"{what}:aborted after {total:g} s", t)
            return None, time.monotonic() - t
        return response, time.monotonic() - t

    async def load_page(self) -> bool:
        """The HTML page, then its script and style sheet in parallel, as a browser does."""
        t = time.monotonic()
        page, _ = await self._send("page", "GET", "/join", params={"code": self.shared.code})
        if page is None or page.status_code != 200:
            if page is not None:
                self.shared.error(f"page:{page.status_code}")
            return False
        assets = await asyncio.gather(self._send("asset", "GET", "/join/phone.js"),
                                      self._send("asset", "GET", "/join/phone.css"))
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
        """Think, answer (or pass); one phone in five changes its mind once."""
        a = self.shared.args
        try:
            await asyncio.sleep(self.rng.uniform(a.think_min, a.think_max))
            passed = self.rng.random() < a.pass_rate
            first = None if passed else make_value(exercise, self.rng)
            if not await self.submit(step, exercise, first, passed):
                return
            if self.rng.random() < a.change_rate:
                await asyncio.sleep(self.rng.uniform(a.think_min, a.think_max))
                second = first
                for _ in range(20):
                    second = make_value(exercise, self.rng)
                    if passed or stored_form(exercise, second) != stored_form(exercise, first):
                        break
                await self.submit(step, exercise, second, False)
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


# ---------------------------------------------------------------------------- facilitator

class Facilitator:
    """The facilitator and projector pages in headless Chromium."""

    def __init__(self, browser: Any, base: str) -> None:
        self.browser = browser
        self.base = base
        self.page: Any = None
        self.projector: Any = None
        self.console_errors: list[str] = []
        self.failed_responses: collections.Counter = collections.Counter()

    def _watch(self, page: Any, name: str) -> None:
        page.on("console", lambda m: self.console_errors.append(f"{name}: {m.text}"[:300])
                if m.type == "error" else None)
        page.on("pageerror", lambda exc: self.console_errors.append(f"{name}: {exc}"[:300]))
        page.on("response", lambda r: self.failed_responses.update(
            [f"{name}: {r.status} {re.sub(r'[0-9a-f]{16,}', '<id>', r.url.split('?')[0])}"])
            if r.status >= 400 else None)

    async def start_session(self, agenda_title: str) -> tuple[str, str]:
        from playwright.async_api import expect

        self.page = await self.browser.new_page(viewport={"width": 1400, "height": 1000})
        self._watch(self.page, "facilitator")
        await self.page.goto(self.base + "/")
        start = self.page.locator(".st-key-start_session button")
        gate = self.page.locator(".st-key-passcode_input input")
        await start.or_(gate).first.wait_for(timeout=30_000)
        if await gate.count():
            # Facilitator pages behind a passcode: the bench sets WORKSHOP_PASSCODE.
            await gate.fill(BENCH_PASSCODE)
            await self.page.locator(".st-key-passcode_submit button").click()
            await start.wait_for(timeout=30_000)
        # The select box is a skeleton until the first script run has rendered it.
        select = self.page.locator(".st-key-agenda_select")
        await select.locator("[data-baseweb='select'], input").first.wait_for(state="attached", timeout=30_000)
        option = self.page.get_by_role("option", name=re.compile(re.escape(agenda_title)))
        for attempt in range(3):
            await select.click(timeout=30_000)
            try:
                await option.wait_for(timeout=5_000)
                break
            except Exception:
                if attempt == 2:
                    raise
        await option.click()
        await self.page.locator(".st-key-start_session button").click()
        block = self.page.locator("[data-testid='stCode']").first
        await expect(block).to_contain_text("/join?code=", timeout=30_000)
        join_url = (await block.inner_text()).strip()
        return join_url.rsplit("=", 1)[1], join_url

    async def projector_href(self, code: str) -> str:
        """The facilitator's own "Open projector view" link: it carries the session's key."""
        href = f"/projector?code={code}"
        link = self.page.locator(".st-key-open_projector a")
        with contextlib.suppress(Exception):
            await link.wait_for(timeout=10_000)
            href = await link.get_attribute("href") or href
        return href

    async def open_projector(self, code: str) -> None:
        """The projector tab in Chromium, opened from the facilitator's link."""
        from playwright.async_api import expect

        href = await self.projector_href(code)
        self.projector = await self.browser.new_page(viewport={"width": 1920, "height": 1080})
        self._watch(self.projector, "projector")
        await self.projector.goto(self.base + href if href.startswith("/") else href)
        await expect(self.projector.get_by_text(code, exact=True)).to_be_visible(timeout=30_000)

    async def press(self, key: str) -> tuple[float, float]:
        """Click a facilitator button once it is enabled; the click time is taken just before."""
        from playwright.async_api import expect

        button = self.page.locator(f".st-key-{key} button")
        await expect(button).to_be_enabled(timeout=30_000)
        before = time.monotonic()
        await button.click(timeout=30_000)
        return before, time.monotonic()

    async def end_session(self) -> tuple[float, float]:
        await self.page.locator(".st-key-end_popover button").first.click(timeout=30_000)
        return await self.press("end_session")

    async def seen(self, page: Any, text: str | re.Pattern[str], timeout: float, exact: bool = False) -> float | None:
        """Seconds until `text` is visible on `page`, or None."""
        from playwright.async_api import expect

        t = time.monotonic()
        try:
            await expect(page.get_by_text(text, exact=exact).first).to_be_visible(timeout=timeout * 1000)
        except AssertionError:
            return None
        return time.monotonic() - t

    async def record(self, target: dict[str, Any], key: str, page: Any, text: str | re.Pattern[str],
                     since: float, timeout: float) -> None:
        """target[key] = seconds from `since` until `text` shows on `page` (None if it never does)."""
        target[key] = None
        try:
            if await self.seen(page, text, timeout) is not None:
                target[key] = time.monotonic() - since
            elif page is self.projector:
                target["shown"] = await self.projector_counts()
        except Exception as exc:  # noqa: BLE001 - the page went away: the check is optional
            target["check_error"] = f"{type(exc).__name__}"

    async def projector_counts(self) -> str:
        with contextlib.suppress(Exception):
            return " | ".join(t.strip() for t in await self.projector.locator(".count").all_inner_texts())
        return ""


class ChromiumProjector:
    """The projector as a second Chromium tab (`--projector chromium`, the bench's first way).

    It reads the counts from the rendered page, so it can tell when a count is shown but not
    when each answer was counted: it gives no per-answer submit->counted latency.
    """

    def __init__(self, facilitator: Facilitator) -> None:
        self.facilitator = facilitator
        self.seen: list[Seen] = []

    async def open(self, code: str) -> None:
        await self.facilitator.open_projector(code)

    async def joined(self, expected: int, timeout: float) -> dict[str, Any]:
        f = self.facilitator
        seconds = await f.seen(f.projector, f"{expected} joined", timeout, exact=True)
        return {"expected": expected, "seconds": seconds,
                "shown": None if seconds is not None else await f.projector_counts()}

    async def answered(self, target: dict[str, Any], step: int, expected: int, timeout: float) -> None:
        f = self.facilitator
        await f.record(target, "seconds", f.projector, re.compile(rf"(^|\D){expected} answered"),
                       time.monotonic(), timeout)

    async def close(self) -> None:
        """The tab closes with the browser."""

    def stats(self) -> dict[str, Any]:
        return {"kind": "chromium"}


class StreamProjector:
    """The projector as a Streamlit websocket client (`--projector ws`, the default).

    The page is opened with the facilitator's own link, so it passes the same key check.
    """

    def __init__(self, facilitator: Facilitator, base: str) -> None:
        self.facilitator = facilitator
        self.base = base
        self.http = httpx.AsyncClient(timeout=30.0, verify=SSL_CONTEXT)
        self.client: WsProjector | None = None

    @property
    def seen(self) -> list[Seen]:
        return self.client.seen if self.client is not None else []

    async def open(self, code: str) -> None:
        href = await self.facilitator.projector_href(code)
        self.client = WsProjector(self.base, href, self.http)
        await self.client.open()
        if await self.client.wait_for(lambda s: s.joined is not None, 30) is None:
            raise RuntimeError(f"projector over the websocket showed no count: {self.client.stats()}")

    async def _first(self, check: Any, timeout: float) -> tuple[float | None, Seen | None]:
        """Seconds until the projector shows what `check` wants; 0 if it shows it already
        (as Playwright's to_be_visible passes at once on the Chromium tab)."""
        since = time.monotonic()
        if self.client.seen and check(self.client.seen[-1]):
            return 0.0, self.client.seen[-1]
        hit = await self.client.wait_for(check, timeout, since=since)
        return (None if hit is None else hit.t - since), (self.client.seen[-1] if self.client.seen else None)

    async def joined(self, expected: int, timeout: float) -> dict[str, Any]:
        seconds, last = await self._first(lambda s: s.joined == expected, timeout)
        return {"expected": expected, "seconds": seconds,
                "shown": None if seconds is not None or last is None else f"{last.joined} joined"}

    async def answered(self, target: dict[str, Any], step: int, expected: int, timeout: float) -> None:
        seconds, last = await self._first(lambda s: s.step == step and s.answered == expected, timeout)
        target["seconds"] = seconds
        if seconds is None and last is not None:
            target["shown"] = f"step {last.step}: {last.answered} answered"

    async def close(self) -> None:
        if self.client is not None:
            await self.client.close()
        await self.http.aclose()

    def stats(self) -> dict[str, Any]:
        return {"kind": "ws", **(self.client.stats() if self.client is not None else {})}


def make_projector(kind: str, facilitator: Facilitator, base: str) -> ChromiumProjector | StreamProjector | None:
    if kind == "chromium":
        return ChromiumProjector(facilitator)
    if kind == "ws":
        return StreamProjector(facilitator, base)
    return None


def counted_latencies(first_acks: list[tuple[Any, int, float, float]], seen: list[Seen]) -> dict[Any, float]:
    """Submit -> counted on the projector, for each phone's first acknowledged answer of a step.

    The projector shows how many phones have answered the live step. The server acknowledges
    an answer only once it is stored and in the answer cache the projector reads, so the
    r-th answer acknowledged in a step is counted in the first count shown after its
    acknowledgement that reaches r; the latency runs from the start of its first send.
    A change of answer does not change the count, so only first answers are timed.
    """
    by_step: dict[int, list[tuple[float, float, Any]]] = collections.defaultdict(list)
    for key, step, sent, acked in first_acks:
        by_step[step].append((acked, sent, key))
    shown: dict[int, list[Seen]] = collections.defaultdict(list)
    for s in seen:
        if s.step is not None and s.answered is not None:
            shown[s.step].append(s)
    out: dict[Any, float] = {}
    for step, acks in by_step.items():
        counts = sorted(shown.get(step, []), key=lambda s: s.t)
        times = [s.t for s in counts]
        for rank, (acked, sent, key) in enumerate(sorted(acks, key=lambda a: a[:2]), start=1):
            for s in counts[bisect.bisect_left(times, acked):]:
                if s.answered >= rank:
                    out[key] = s.t - sent
                    break
    return out


# ---------------------------------------------------------------------------- one run

def make_phones(n: int, args: argparse.Namespace, shared: Shared, rng: random.Random, browser: Any) -> list[Any]:
    """N phones; `--real-phones R` of them, spread over the arrival ramp, are Chromium pages."""
    from bench.realphones import RealPhone

    real = {round(j * n / args.real_phones) for j in range(args.real_phones)} if args.real_phones else set()
    phones: list[Any] = []
    for i in range(n):
        phone_rng = random.Random(rng.random())
        if i in real:
            phones.append(RealPhone(i, shared, phone_rng, browser))
        else:
            local = f"127.0.0.{1 + i % args.source_ips}" if args.source_ips > 1 else None
            phones.append(Phone(i, shared, phone_rng, local))
    return phones


def agenda() -> tuple[str, list[str]]:
    data = yaml.safe_load((APP_DIR / "content" / "agendas" / f"{AGENDA_ID}.yaml").read_text(encoding="utf-8"))
    return data["title"], list(data["steps"])


def read_answers(target: Path | str, code: str) -> tuple[list[tuple[Any, ...]], int]:
    """The stored answers and participants of the session: from the DuckDB file, or from
    PostgreSQL (a connection of the bench's own) when `target` is a postgresql:// URL."""
    if isinstance(target, str):
        import psycopg

        with psycopg.connect(target) as pg:
            rows = pg.execute("SELECT step_index, token, value_json, passed, revisions FROM answers "
                              "WHERE session_code = %s", [code]).fetchall()
            participants = pg.execute("SELECT count(*) FROM participants WHERE session_code = %s",
                                      [code]).fetchone()[0]
        return rows, participants
    with duckdb.connect(str(target), read_only=True) as conn:
        rows = conn.execute(
            "SELECT step_index, token, value_json, passed, revisions FROM answers WHERE session_code = ?",
            [code]).fetchall()
        participants = conn.execute(
            "SELECT count(*) FROM participants WHERE session_code = ?", [code]).fetchone()[0]
    return rows, participants


async def run_once(n: int, args: argparse.Namespace, stamp: str, rng: random.Random) -> dict[str, Any]:
    from playwright.async_api import async_playwright

    title, step_ids = agenda()
    steps = min(args.steps, len(step_ids))
    result: dict[str, Any] = {"n": n, "steps": steps, "collapsed": False, "notes": []}
    result.update(servers=args.servers, database=args.database, nginx=args.nginx)
    folder = Path(tempfile.mkdtemp(prefix="bench-phones-"))
    cluster: Any = None
    database_url: str | None = None
    nginx: Nginx | None = None
    nginx_port = free_port() if args.nginx else None
    public_url = f"http://{HOST}:{nginx_port}" if nginx_port else None
    servers: list[Server] = []
    shared: Shared | None = None
    phones: list[Any] = []
    phone_tasks: list[asyncio.Task[None]] = []
    marks: dict[str, float] = {}
    actions: list[dict[str, Any]] = []
    lags: list[float] = []
    side_stop = asyncio.Event()
    side_tasks: list[asyncio.Task[None]] = []
    checks: list[asyncio.Task[None]] = []
    sampler: Sampler | None = None
    facilitator: Facilitator | None = None
    projector: ChromiumProjector | StreamProjector | None = None
    profiler: Profiler | None = None
    try:
        marks["server_start"] = time.monotonic()
        others: dict[str, int] = {}
        if args.database == "postgresql":
            from harness.postgres import Cluster, find_bin

            bin_dir = find_bin()
            if bin_dir is None:
                raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
            cluster = Cluster(bin_dir)
            atexit.register(cluster.stop)
            database_url = cluster.database()
            others["postgres"] = cluster.postmaster_pid()
        ports: set[int] = {nginx_port} if nginx_port else set()
        for i in range(args.servers):
            port = free_port()
            while port in ports:
                port = free_port()
            ports.add(port)
            name = "server" if args.servers == 1 else f"server{i + 1}"
            # One after the other: the first creates the tables.
            servers.append(start_server(folder, port, RESULTS / f"phones-{stamp}-n{n}-{name}.log",
                                        database_url=database_url, public_url=public_url))
            await wait_ready(servers[-1], 90)
        if nginx_port is not None:
            nginx = Nginx(folder / "nginx", nginx_port, [s.url for s in servers], args.nginx_worker_connections)
            nginx.start()
            await nginx.wait_ready()
            others["nginx"] = nginx.process.pid
        server = servers[0]  # the facilitator's; the projector is on the last one
        marks["server_ready"] = time.monotonic()
        sampler = Sampler([s.process.pid for s in servers], args.sample_interval, others)
        side_tasks.append(asyncio.create_task(sampler.run(side_stop)))
        side_tasks.append(asyncio.create_task(loop_lag(side_stop, lags)))
        async with async_playwright() as playwright:
            browser = await launch_chromium(playwright)
            try:
                facilitator = Facilitator(browser, server.url)
                code, join_url = await facilitator.start_session(title)
                phones_base = nginx.url if nginx is not None else server.url
                if join_url != f"{phones_base}/join?code={code}":
                    result["notes"].append(f"unexpected join URL {join_url!r}")
                projector = make_projector(args.projector, facilitator, servers[-1].url)
                if projector is not None:
                    await projector.open(code)
                result["code"] = code

                # Idle: server, facilitator and projector up, no phone yet.
                marks["idle_start"] = time.monotonic()
                await asyncio.sleep(args.idle_seconds)
                if args.profile:
                    profiler = Profiler(server.process.pid, RESULTS / f"phones-{stamp}-n{n}-pyspy.txt")
                    profiler.start()
                marks["idle_end"] = marks["phones_start"] = time.monotonic()

                shared = Shared(n=n, base=phones_base, code=code, args=args,
                                deadline=time.monotonic() + args.run_timeout)
                phones = make_phones(n, args, shared, rng, browser)
                phone_tasks = [asyncio.create_task(p.run(args.join_seconds * i / n)) for i, p in enumerate(phones)]
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(shared.all_connected.wait(), args.join_seconds + args.connect_timeout)
                marks["connected"] = time.monotonic()
                result["connect_seconds"] = marks["connected"] - marks["phones_start"]
                if shared.connected < n:
                    result["notes"].append(f"only {shared.connected}/{n} phones connected within "
                                           f"{args.join_seconds + args.connect_timeout:.0f} s")
                await asyncio.sleep(1.0)  # let the room settle into its long-polls
                if projector is not None and args.check_projector:
                    result["projector_joined"] = await projector.joined(shared.connected, 20)

                for k in range(steps):
                    event = shared.done_event(k)
                    before, after = await facilitator.press("next_step")
                    action = {"kind": "next", "step": k, "click": before, "clicked": after}
                    actions.append(action)
                    # Watched in the background: the phones' timing must not wait on the page.
                    checks.append(asyncio.create_task(facilitator.record(
                        action, "facilitator_seen", facilitator.page, f"Step {k + 1} of {len(step_ids)}",
                        before, 30)))
                    with contextlib.suppress(asyncio.TimeoutError):
                        await asyncio.wait_for(event.wait(), args.step_timeout)
                    action["answered_after"] = time.monotonic() - before
                    action["phones_done"] = shared.done[k]
                    acked = sum(1 for p in phones if k in p.acked)
                    if projector is not None and args.check_projector:
                        action["projector_answered"] = {"expected": acked}
                        checks.append(asyncio.create_task(projector.answered(
                            action["projector_answered"], k, acked, 15)))
                    if args.show_results:
                        before, after = await facilitator.press("toggle_results")
                        actions.append({"kind": "results", "step": k, "click": before, "clicked": after})
                        await asyncio.sleep(args.results_seconds)
                marks["steps_end"] = time.monotonic()
                before, after = await facilitator.end_session()
                actions.append({"kind": "end", "click": before, "clicked": after})
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(shared.all_ended.wait(), 30)
                marks["phones_end"] = time.monotonic()
                if profiler is not None:
                    profiler.stop()
                if checks:
                    await asyncio.wait(checks, timeout=35)
            except Exception:
                if facilitator is not None and facilitator.page is not None:
                    with contextlib.suppress(Exception):
                        shot = RESULTS / f"phones-{stamp}-n{n}-facilitator.png"
                        await asyncio.wait_for(facilitator.page.screenshot(path=str(shot)), 10)
                        result["notes"].append(f"facilitator screenshot: {shot.relative_to(ROOT)}")
                raise
            finally:
                for task in checks:
                    task.cancel()
                if shared is not None:
                    shared.stop.set()
                for task in phone_tasks:
                    task.cancel()
                if phone_tasks:
                    await asyncio.wait(phone_tasks, timeout=20)
                if projector is not None:
                    result["projector"] = projector.stats()
                    with contextlib.suppress(Exception):
                        await asyncio.wait_for(projector.close(), 10)
                if facilitator is not None:
                    result["browser_console_errors"] = facilitator.console_errors[:20]
                    result["browser_console_error_count"] = len(facilitator.console_errors)
                    result["browser_failed_responses"] = dict(facilitator.failed_responses.most_common(10))
                with contextlib.suppress(Exception):
                    await asyncio.wait_for(browser.close(), 20)
    except (TimeoutError, Exception, asyncio.CancelledError) as exc:
        result["collapsed"] = True
        result["notes"].append(f"run aborted: {type(exc).__name__}: {exc}"[:500])
        if isinstance(exc, asyncio.CancelledError):
            raise
    finally:
        marks.setdefault("phones_end", time.monotonic())
        if profiler is not None:
            profiler.stop()
        side_stop.set()
        if side_tasks:
            await asyncio.wait(side_tasks, timeout=5)
        if sampler is not None:
            with contextlib.suppress(Exception):
                sampler.take()
        if nginx is not None:
            nginx.stop()
            text = nginx.error_log()
            (RESULTS / f"phones-{stamp}-n{n}-nginx-error.log").write_text(text)
            result["nginx_log"] = log_lines(text, r"\[(error|crit|alert|emerg)\]")
        for server in servers:
            server.stop(SERVER_STOP_SECONDS)
        marks["server_stopped"] = time.monotonic()
        logs = [log_problems(s.log) for s in servers]
        result["server_log"] = logs[0] if len(logs) == 1 else {
            "tracebacks": sum(g["tracebacks"] for g in logs), "error_lines": sum(g["error_lines"] for g in logs),
            "first_errors": [e for g in logs for e in g["first_errors"]][:10], "per_server": logs}
        try:
            if shared is not None and result.get("code") is not None:
                result.update(summarise(n, shared, phones, actions, marks, sampler, lags,
                                        database_url or folder / "workshop.duckdb", result["code"],
                                        projector.seen if projector else []))
                result["notes"].extend(result.get("anomalies", []))
                if profiler is not None:
                    result["profile"] = profile_of(profiler, shared)
        finally:
            if cluster is not None:
                with contextlib.suppress(OSError):
                    text = (cluster.root / "log").read_text(errors="replace")
                    (RESULTS / f"phones-{stamp}-n{n}-postgres.log").write_text(text)
                    result["postgres_log"] = log_lines(text, r"\b(ERROR|FATAL|PANIC|WARNING):")
                atexit.unregister(cluster.stop)
                with contextlib.suppress(Exception):
                    cluster.stop()
            shutil.rmtree(folder, ignore_errors=True)
    return result


def kind_summary(phones: list[Any], actions: list[dict[str, Any]], counted: dict[Any, float]) -> dict[str, Any]:
    """The latencies of one kind of phone (simulated or real Chromium), for the cross-check."""
    nexts = [a for a in actions if a["kind"] == "next"]
    out: dict[str, Any] = {
        "phones": len(phones),
        "next_to_phone": dist([p.step_arrival[a["step"]] - a["click"] for a in nexts for p in phones
                               if a["step"] in p.step_arrival]),
        "submit_to_counted": dist([v for (i, _), v in counted.items() if i in {p.index for p in phones}]),
        "submit": dist([t for p in phones for t in p.submit_times]),
        "answers_sent": sum(len(p.acked) for p in phones)}
    shown = [p.step_shown[a["step"]] - a["click"] for a in nexts for p in phones
             if a["step"] in getattr(p, "step_shown", {})]
    if shown:
        out["next_to_screen"] = dist(shown)  # real pages: until the step counter changed on screen
    return out


def profile_of(profiler: Profiler, shared: Shared) -> dict[str, Any]:
    """py-spy's samples sorted by what the server was doing, per answer posted and per poll."""
    polls = sum(b.get("polls answered", 0) for b in shared.seconds.values())
    joins = len(shared.join_times)
    events = {"answer_posts": shared.answer_posts, "polls": polls, "joins": joins,
              "requests": shared.answer_posts + polls + 4 * joins}  # a join: page, js, css, /api/join
    if not profiler.output.exists():
        return {"error": f"no py-spy output: {profiler.log.read_text(errors='replace')[-500:]}"}
    profile = analyse(profiler.output, events)
    profile["file"] = str(profiler.output.relative_to(ROOT))
    print(summary(profile), flush=True)
    return profile


def summarise(n: int, shared: Shared, phones: list[Phone], actions: list[dict[str, Any]],
              marks: dict[str, float], sampler: Sampler | None, lags: list[float],
              database: Path | str, code: str, projector_seen: list[Seen]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    connected = [p for p in phones if p.connected]
    out["connected"] = len(connected)

    # Latencies: facilitator click -> each phone's long-poll returning the change.
    next_all: list[float] = []
    missed = 0
    per_step = []
    for action in actions:
        if action["kind"] == "next":
            k = action["step"]
            lat = [p.step_arrival[k] - action["click"] for p in connected if k in p.step_arrival]
            missed += len(connected) - len(lat)
            early = sum(1 for t in lat if t < 0)
            if early:
                # Phones had this step before its click: an earlier click advanced two steps.
                out.setdefault("anomalies", []).append(
                    f"step {k}: {early} phones had it before its click (an earlier click advanced two steps); "
                    "left out of next→phone")
            else:
                next_all.extend(lat)
            rows = {"step": k, "type": shared.exercises.get(k, {}).get("type"),
                    "exercise": shared.exercises.get(k, {}).get("id"),
                    "next_to_phone": dist(lat), "missed": len(connected) - len(lat),
                    "click_seconds": action["clicked"] - action["click"],
                    "facilitator_seen": action.get("facilitator_seen"),
                    "answered_after": action.get("answered_after"),
                    "phones_done": action.get("phones_done"),
                    "answers_sent": sum(1 for p in connected if k in p.acked),
                    "projector_answered": action.get("projector_answered")}
            per_step.append(rows)
        elif action["kind"] == "results":
            k = action["step"]
            lat = []
            for p in connected:
                if k not in p.step_version:
                    continue
                want = p.step_version[k] + 1
                seen = [t for v, t in p.version_arrival.items() if v >= want]
                if seen:
                    lat.append(min(seen) - action["click"])
            for rows in per_step:
                if rows["step"] == k:
                    rows["results_to_phone"] = dist(lat)
        elif action["kind"] == "end":
            lat = [p.ended_at - action["click"] for p in connected if p.ended_at is not None]
            out["end_to_phone"] = dist(lat)
            out["end_missed"] = len(connected) - len(lat)
    out["next_to_phone"] = dist(next_all)
    out["next_missed"] = missed
    out["per_step"] = per_step
    out["results_to_phone_p95_max"] = max(
        (r["results_to_phone"]["p95"] for r in per_step
         if r.get("results_to_phone") and r["results_to_phone"]["p95"] is not None), default=None)
    out["submit"] = dist(shared.submit_times)
    first_acks = [((p.index, k), k, sent, acked) for p in connected for k, (sent, acked) in p.first_ack.items()]
    counted = counted_latencies(first_acks, projector_seen)
    out["submit_to_counted"] = dist(list(counted.values()))
    out["submit_to_counted_missed"] = len(first_acks) - len(counted) if projector_seen else None
    if any(p.real for p in phones):
        out["by_kind"] = {kind: kind_summary([p for p in connected if p.real == real], actions, counted)
                          for kind, real in (("simulated", False), ("real", True))}
    out["answer_to_ack"] = dist(shared.ack_times)
    # Per second since the phones started: answers acknowledged (by when they were sent),
    # their mean round trip, and errors by kind.
    offset = int(shared.t0 - marks["phones_start"])
    out["timeline"] = {
        str(sec + offset): {k: (round(v, 3) if isinstance(v, float) else v) for k, v in sorted(b.items())}
        for sec, b in sorted(shared.seconds.items())}
    for b in out["timeline"].values():
        if b.get("answers ok"):
            b["answer seconds"] = round(b["answer seconds"] / b["answers ok"], 3)
    out["submit_refused"] = dict(shared.submit_other)
    out["answer_posts"] = shared.answer_posts
    out["join"] = dist(shared.join_times)
    out["page"] = dist(shared.page_times)
    out["errors"] = dict(shared.errors.most_common())
    out["facilitator_seen"] = dist([a["facilitator_seen"] for a in actions
                                    if a["kind"] == "next" and a.get("facilitator_seen") is not None])

    # Answers sent (latest acknowledged per phone and step) against rows stored.
    expected = {(k, p.token): v for p in phones for k, v in p.acked.items()}
    out["answers_sent"] = len(expected)
    out["answers_given_up"] = sum(sum(p.given_up.values()) for p in phones)
    out["steps_answered_by_phones"] = sum(len(p.answer_tasks) for p in phones)
    try:
        rows, participants = read_answers(database, code)
    except Exception as exc:  # noqa: BLE001 - the comparison is the point: report, don't crash
        out["answers_stored"] = None
        out["db_error"] = f"{type(exc).__name__}: {exc}"
        return out
    out["participants_stored"] = participants
    out["answers_stored"] = len(rows)
    stored = {(k, token): (None if value_json is None else json.loads(value_json), passed)
              for k, token, value_json, passed, _ in rows}
    out["answers_missing"] = sum(1 for key in expected if key not in stored)
    out["answers_extra"] = sum(1 for key in stored if key not in expected)
    out["answers_value_mismatch"] = sum(1 for key, v in expected.items() if key in stored and stored[key] != v)
    out["answers_revised"] = sum(1 for *_, revisions in rows if revisions > 1)

    # Server CPU and memory.
    if sampler is not None and sampler.samples:
        idle = sampler.between(marks["idle_start"], marks["idle_end"]) or [sampler.at(marks["idle_end"])]
        phase = sampler.between(marks["phones_start"], marks["phones_end"])
        start, end = sampler.at(marks["phones_start"]), sampler.at(marks["phones_end"])
        wall = max(1e-6, end["t"] - start["t"])
        idle_wall = max(1e-6, idle[-1]["t"] - idle[0]["t"])
        idle_rss = min(s["server_rss_kb"] for s in idle)
        peak = max(s["server_rss_kb"] for s in phase) if phase else end["server_rss_kb"]
        out["phase_seconds"] = wall
        out["server_cpu_s"] = end["server_cpu"] - start["server_cpu"]
        out["server_cpu_pct"] = 100 * out["server_cpu_s"] / wall
        out["server_idle_cpu_pct"] = 100 * (idle[-1]["server_cpu"] - idle[0]["server_cpu"]) / idle_wall
        # The busiest sampling interval: how close the server came to a full core.
        busiest = 0.0
        for a, b in itertools.pairwise(phase):
            if b["t"] > a["t"]:
                busiest = max(busiest, 100 * (b["server_cpu"] - a["server_cpu"]) / (b["t"] - a["t"]))
        out["server_cpu_pct_peak"] = busiest
        out["server_idle_rss_mb"] = idle_rss / 1024
        out["server_peak_rss_mb"] = peak / 1024
        out["rss_per_phone_kb"] = (peak - idle_rss) / max(1, n)
        out["server_threads_max"] = max((s["server_threads"] for s in phase), default=None)
        out["server_fds_max"] = max((s["server_fds"] for s in phase), default=None)
        out["bench_cpu_s"] = end["bench_cpu"] - start["bench_cpu"]
        out["bench_cpu_pct"] = 100 * out["bench_cpu_s"] / wall
        out["browser_cpu_s"] = end["browser_cpu"] - start["browser_cpu"]
        out["browser_cpu_pct"] = 100 * out["browser_cpu_s"] / wall
        out["system_cpu_pct"] = 100 * (end["system_busy"] - start["system_busy"]) / wall
        # Each app server apart, and PostgreSQL and nginx when they run.
        out["per_server_cpu_pct"] = [100 * (end[key] - start[key]) / wall
                                     for key in sorted(k for k in end if re.fullmatch(r"server\d+_cpu", k))]
        stack = 0.0
        for name in sampler.others:
            out[f"{name}_cpu_s"] = end[f"{name}_cpu"] - start[f"{name}_cpu"]
            out[f"{name}_cpu_pct"] = 100 * out[f"{name}_cpu_s"] / wall
            out[f"{name}_peak_rss_mb"] = max((s[f"{name}_rss_kb"] for s in phase), default=0) / 1024
            stack += out[f"{name}_cpu_pct"]
        # Whatever else ran on the machine during the phase (other users' processes).
        out["other_cpu_pct"] = (out["system_cpu_pct"] - out["server_cpu_pct"] - out["bench_cpu_pct"]
                                - out["browser_cpu_pct"] - stack)
        out["samples"] = [{k: (round(v - marks["phones_start"], 2) if k == "t" else round(v, 3))
                           for k, v in s.items()} for s in sampler.samples]
    out["bench_loop_lag"] = dist(lags)
    out["marks"] = {k: round(v - marks.get("server_start", v), 3) for k, v in marks.items()}
    return out


# ---------------------------------------------------------------------------- report

def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=20,
                          check=False).stdout


def machine() -> dict[str, Any]:
    cpu = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    versions = {}
    for name in ("streamlit", "uvicorn", "starlette", "anyio", "h11", "httptools", "uvloop",
                 "duckdb", "psycopg", "psycopg-pool", "httpx", "httpcore", "playwright", "plotly"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    chromium = None
    with contextlib.suppress(Exception):
        chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=20,
                                  check=False).stdout.strip()
    tools = {}
    postgres = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"))
    for name, command in (("nginx", ["nginx", "-v"]), ("postgres", [str(postgres[-1]) if postgres else "postgres", "-V"])):
        with contextlib.suppress(Exception):
            done = subprocess.run(command, capture_output=True, text=True, timeout=20, check=False)
            tools[name] = (done.stdout + done.stderr).strip()
    git: dict[str, Any] = {}
    with contextlib.suppress(Exception):
        git["commit"] = _git("rev-parse", "--short", "HEAD").strip()
        git["uncommitted"] = _git("status", "--porcelain").splitlines()
        git["diff_stat"] = _git("diff", "HEAD", "--stat").splitlines()
    return {"git": git, "nproc": os.cpu_count(), "cpu_model": cpu, "mem_gb": round(mem_kb / 1024 / 1024, 1),
            "kernel": platform.release(), "python": platform.python_version(),
            "packages": versions, "chromium": chromium, "tools": tools,
            "nofile_limit": resource.getrlimit(resource.RLIMIT_NOFILE)}


def _fmt(v: float | None, scale: float = 1.0, digits: int = 2) -> str:
    return "-" if v is None else f"{v * scale:.{digits}f}"


def table(results: list[dict[str, Any]]) -> str:
    head = ("| N | connected | answers sent / stored | submit→counted on projector p50 / p95 / max (s) | "
            "next→phone p50 / p95 / max (s) | submit round trip p50 / p95 / max (ms) | "
            "server CPU s (mean %, peak %) | peak RSS MB | RSS / phone kB | bench CPU % | other CPU % | errors |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in results:
        nx, sb, sc = r.get("next_to_phone") or {}, r.get("submit") or {}, r.get("submit_to_counted") or {}
        errors = ", ".join(f"{k} ×{v}" for k, v in (r.get("errors") or {}).items()) or "none"
        if r.get("collapsed"):
            errors += " (run aborted)"
        lines.append(
            f"| {r['n']} | {r.get('connected', '-')} | {r.get('answers_sent', '-')} / {r.get('answers_stored', '-')} | "
            f"{_fmt(sc.get('p50'))} / {_fmt(sc.get('p95'))} / {_fmt(sc.get('max'))} | "
            f"{_fmt(nx.get('p50'))} / {_fmt(nx.get('p95'))} / {_fmt(nx.get('max'))} | "
            f"{_fmt(sb.get('p50'), 1000, 0)} / {_fmt(sb.get('p95'), 1000, 0)} / {_fmt(sb.get('max'), 1000, 0)} | "
            f"{_fmt(r.get('server_cpu_s'), 1, 1)} ({_fmt(r.get('server_cpu_pct'), 1, 0)} %, "
            f"{_fmt(r.get('server_cpu_pct_peak'), 1, 0)} %) | "
            f"{_fmt(r.get('server_peak_rss_mb'), 1, 0)} | {_fmt(r.get('rss_per_phone_kb'), 1, 0)} | "
            f"{_fmt(r.get('bench_cpu_pct'), 1, 0)} | {_fmt(r.get('other_cpu_pct'), 1, 0)} | {errors} |")
    return "\n".join(lines)


def stack_table(results: list[dict[str, Any]]) -> str:
    """Where the CPU went with several servers, PostgreSQL and nginx (in % of one core)."""
    head = ("| N | servers | database | nginx | app servers CPU % (each) | PostgreSQL CPU % | nginx CPU % | "
            "bench CPU % | Chromium CPU % | other CPU % | machine CPU % (of 200) | app servers peak RSS MB |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in results:
        each = " + ".join(_fmt(v, 1, 0) for v in r.get("per_server_cpu_pct") or [])
        lines.append(
            f"| {r['n']} | {r.get('servers', 1)} | {r.get('database', 'duckdb')} | "
            f"{'yes' if r.get('nginx') else 'no'} | {_fmt(r.get('server_cpu_pct'), 1, 0)} ({each}) | "
            f"{_fmt(r.get('postgres_cpu_pct'), 1, 0)} | {_fmt(r.get('nginx_cpu_pct'), 1, 0)} | "
            f"{_fmt(r.get('bench_cpu_pct'), 1, 0)} | {_fmt(r.get('browser_cpu_pct'), 1, 0)} | "
            f"{_fmt(r.get('other_cpu_pct'), 1, 0)} | {_fmt(r.get('system_cpu_pct'), 1, 0)} | "
            f"{_fmt(r.get('server_peak_rss_mb'), 1, 0)} |")
    return "\n".join(lines)


def crosscheck_table(results: list[dict[str, Any]]) -> str:
    """Simulated against real Chromium phones of the same runs (`--real-phones`)."""
    head = ("| N | phones | kind | answers sent | next→phone p50 / p95 / max (s) | next→on screen p50 / p95 (s) | "
            "submit→counted p50 / p95 / max (s) | submit round trip p50 / p95 (ms) |")
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    for r in results:
        for kind, k in (r.get("by_kind") or {}).items():
            nx, sc, sb, sh = (k.get(key) or {} for key in ("next_to_phone", "submit_to_counted", "submit",
                                                            "next_to_screen"))
            lines.append(
                f"| {r['n']} | {k['phones']} | {kind} | {k['answers_sent']} | "
                f"{_fmt(nx.get('p50'))} / {_fmt(nx.get('p95'))} / {_fmt(nx.get('max'))} | "
                f"{_fmt(sh.get('p50'))} / {_fmt(sh.get('p95'))} | "
                f"{_fmt(sc.get('p50'))} / {_fmt(sc.get('p95'))} / {_fmt(sc.get('max'))} | "
                f"{_fmt(sb.get('p50'), 1000, 0)} / {_fmt(sb.get('p95'), 1000, 0)} |")
    return "\n".join(lines) if len(lines) > 2 else ""


KNEE_MEASURES = (("next_to_phone", "next→phone"), ("submit_to_counted", "submit→counted"),
                 ("submit", "submit round trip"))


def knee(results: list[dict[str, Any]]) -> str:
    """The first N at which a p95 latency passes KNEE_SECONDS."""
    for r in results:
        for key, name in KNEE_MEASURES:
            p95 = (r.get(key) or {}).get("p95")
            if p95 is not None and p95 > KNEE_SECONDS:
                return f"{name} p95 passes {KNEE_SECONDS:g} s at N = {r['n']} (p95 {p95:.2f} s)"
    return f"no knee: every p95 latency stays under {KNEE_SECONDS:g} s for every N run"


def chart(results: list[dict[str, Any]], path: Path) -> None:
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    ok = [r for r in results if r.get("next_to_phone")]
    xs = [r["n"] for r in ok]
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12,
                        subplot_titles=("Latency (s)", "Server CPU (% of one core) and RSS per phone (kB)"))
    for key, name in KNEE_MEASURES:
        for q, dash in (("p50", "solid"), ("p95", "dash")):
            fig.add_trace(go.Scatter(x=xs, y=[(r.get(key) or {}).get(q) for r in ok], mode="lines+markers",
                                     name=f"{name} {q}", line={"dash": dash}), row=1, col=1)
    fig.add_hline(y=KNEE_SECONDS, line_dash="dot", line_color="red", row=1, col=1,
                  annotation_text=f"{KNEE_SECONDS:g} s")
    fig.add_trace(go.Scatter(x=xs, y=[r.get("server_cpu_pct") for r in ok], mode="lines+markers",
                             name="server CPU % (mean)"), row=2, col=1)
    fig.add_trace(go.Scatter(x=xs, y=[r.get("server_cpu_pct_peak") for r in ok], mode="lines+markers",
                             name="server CPU % (busiest interval)"), row=2, col=1)
    fig.add_trace(go.Scatter(x=xs, y=[r.get("rss_per_phone_kb") for r in ok], mode="lines+markers",
                             name="RSS per phone kB"), row=2, col=1)
    fig.update_xaxes(title_text="phones (N)", row=2, col=1)
    fig.update_layout(title="Live workshop: N phones against one `streamlit run app.py`", height=800)
    fig.write_html(str(path), include_plotlyjs=True)


def collapsed(r: dict[str, Any]) -> str | None:
    if r.get("collapsed"):
        return "run aborted"
    n = r["n"]
    if r.get("connected", 0) < 0.9 * n:
        return f"only {r.get('connected')} of {n} phones connected"
    if r.get("next_missed", 0) > 0.05 * n * max(1, r.get("steps", 1)):
        return f"{r['next_missed']} step changes never reached a phone"
    p95 = (r.get("next_to_phone") or {}).get("p95")
    if p95 is not None and p95 > 10:
        return f"next→phone p95 {p95:.1f} s"
    return None


# ---------------------------------------------------------------------------- main

def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench.phones", description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--phones", type=int, nargs="+", default=[50, 100, 300, 500, 1000],
                   help="numbers of simulated phones, one fresh server each")
    p.add_argument("--steps", type=int, default=7,
                   help="agenda steps to play (steps 0..6 of nine-domains-intro: single_choice, scale, "
                        "single_choice, spectrum, single_choice, single_choice, word)")
    p.add_argument("--join-seconds", type=float, default=10.0, help="phones arrive spread over this time")
    p.add_argument("--connect-timeout", type=float, default=60.0,
                   help="extra time allowed for every phone to be connected")
    p.add_argument("--think-min", type=float, default=0.5)
    p.add_argument("--think-max", type=float, default=4.0)
    p.add_argument("--change-rate", type=float, default=0.2, help="share of phones that change their answer once")
    p.add_argument("--pass-rate", type=float, default=0.05, help="share of phones that pass")
    p.add_argument("--step-timeout", type=float, default=60.0,
                   help="the facilitator waits at most this long for the phones before moving on")
    p.add_argument("--show-results", action=argparse.BooleanOptionalAction, default=True,
                   help="reveal results on the projector after each step (one more broadcast per step)")
    p.add_argument("--results-seconds", type=float, default=2.0, help="time results stay up before Next")
    p.add_argument("--projector", choices=("ws", "chromium", "none"), default="ws",
                   help="the projector page (it refreshes every second): a Streamlit websocket client "
                        "speaking BackMsg/ForwardMsg (ws), a Chromium tab (chromium), or none")
    p.add_argument("--real-phones", type=int, default=0,
                   help="of the N phones, this many are real headless Chromium pages on /join (touch viewport) "
                        "answering through the page, timed apart from the simulated ones (cross-check)")
    p.add_argument("--server-env", action="append", default=[], metavar="NAME=VALUE",
                   help="extra environment variable for the server (repeatable), to measure a setting "
                        "without editing the app, e.g. STREAMLIT_RUNNER_POST_SCRIPT_GC=false")
    p.add_argument("--profile", action="store_true",
                   help="attach py-spy to the server while phones are connected; report CPU per submit and per "
                        "poll and the top frames (bench/profile.py)")
    p.add_argument("--check-projector", action=argparse.BooleanOptionalAction, default=True,
                   help="check the projector's joined/answered counts")
    p.add_argument("--idle-seconds", type=float, default=3.0, help="idle sampling before phones connect")
    p.add_argument("--sample-interval", type=float, default=0.5)
    p.add_argument("--source-ips", type=int, default=1,
                   help="spread phones over 127.0.0.1..127.0.0.K as source addresses (1 = one NAT'd room)")
    p.add_argument("--run-timeout", type=float, default=900.0, help="hard limit for one N")
    p.add_argument("--stop-on-collapse", action=argparse.BooleanOptionalAction, default=True,
                   help="skip larger N once a run collapses")
    p.add_argument("--source", choices=("worktree", "head"), default="worktree",
                   help="run the app from a copy of the working tree taken at start, or from a clean "
                        "`git archive` of HEAD; either way edits made during the run do not reach it")
    p.add_argument("--quiet-threshold", type=float, default=25.0,
                   help="before each N, wait until other processes use less than this %% of one core")
    p.add_argument("--quiet-wait", type=float, default=600.0, help="longest wait for a quiet machine (s)")
    p.add_argument("--disturbed-retries", type=int, default=1,
                   help="run an N again (after waiting for quiet) when other processes used more than "
                        "twice --quiet-threshold during it")
    p.add_argument("--servers", type=int, default=1,
                   help="app servers (`streamlit run app.py` each) sharing one database; more than 1 needs "
                        "--database postgresql. The facilitator drives the first, the projector watches the "
                        "last, the phones go through nginx")
    p.add_argument("--database", choices=("duckdb", "postgresql"), default="duckdb",
                   help="duckdb: a DuckDB file (one server); postgresql: a throwaway PostgreSQL cluster "
                        "(harness/postgres.py) whose one database every server uses")
    p.add_argument("--nginx", action=argparse.BooleanOptionalAction, default=None,
                   help="put Debian's nginx with deploy/nginx-workshop.conf in front of the servers and send "
                        "the phones (and the join links) through it; default: on with 2 or more servers")
    p.add_argument("--nginx-worker-connections", type=int, default=8192,
                   help="nginx's worker_connections (a phone's long-poll holds two connections in nginx)")
    p.add_argument("--seed", type=int, default=1)
    args = p.parse_args(argv)
    if not 1 <= args.servers <= 8:
        p.error("--servers must be between 1 and 8")
    if args.servers > 1 and args.database != "postgresql":
        p.error("--servers above 1 needs --database postgresql (a DuckDB file has one writing process)")
    if args.nginx is None:
        args.nginx = args.servers > 1
    if args.servers > 1 and not args.nginx:
        p.error("--servers above 1 needs nginx in front (--nginx)")
    if args.profile and args.servers > 1:
        p.error("--profile attaches to one server: use it with --servers 1")
    if not all(1 <= n <= 5000 for n in args.phones):
        p.error("--phones must be between 1 and 5000")
    if any("=" not in item for item in args.server_env):
        p.error("--server-env takes NAME=VALUE")
    if not 0 <= args.real_phones <= min(args.phones):
        p.error("--real-phones must be between 0 and the smallest --phones")
    if not 1 <= args.source_ips <= 250:
        p.error("--source-ips must be between 1 and 250")
    if not 1 <= args.steps <= 13:
        p.error("--steps must be between 1 and 13")
    return args


def wait_for_quiet(threshold: float, max_wait: float, window: float = 5.0) -> tuple[float, float]:
    """Wait until the machine's busy CPU (other users' work) is below `threshold` % of one core.

    Returns (last measured busy %, seconds waited); gives up after `max_wait` seconds.
    """
    t0 = time.monotonic()
    busy = 0.0
    for _ in range(int(max_wait / window) + 1):
        before = _system_busy()
        time.sleep(window)
        busy = 100 * (_system_busy() - before) / window
        if busy < threshold or time.monotonic() - t0 >= max_wait:
            break
    return busy, time.monotonic() - t0


def snapshot_head() -> Path:
    """The committed tree of HEAD in a temporary folder: others may be editing the working tree."""
    folder = Path(tempfile.mkdtemp(prefix="bench-phones-head-"))
    archive = subprocess.run(["git", "archive", "--format=tar", "HEAD"], cwd=ROOT, capture_output=True,
                             check=True, timeout=60).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True, timeout=60)
    return folder


def snapshot_worktree() -> Path:
    """A copy of the working tree as it is now (tracked and untracked, not ignored files),
    so that edits made while the bench runs do not reach the server half-way."""
    folder = Path(tempfile.mkdtemp(prefix="bench-phones-tree-"))
    listing = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                             cwd=ROOT, capture_output=True, check=True, timeout=60).stdout
    for name in sorted(set(filter(None, listing.decode().split("\0")))):
        source = ROOT / name
        if source.is_file():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, folder / name)
    return folder


def raise_fd_limit() -> tuple[int, int]:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        target = hard if hard != resource.RLIM_INFINITY else 1_048_576
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"Chromium not found at {CHROMIUM}", file=sys.stderr)
        return 2
    soft, _ = raise_fd_limit()
    need = 3 * max(args.phones) + 500  # each phone: a poll and an answer socket, on both ends
    if soft < need:
        print(f"warning: RLIMIT_NOFILE {soft} < ~{need} needed for {max(args.phones)} phones", file=sys.stderr)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    json_path = RESULTS / f"phones-{stamp}.json"
    html_path = RESULTS / f"phones-{stamp}.html"
    report: dict[str, Any] = {"command": "python -m bench.phones " + " ".join(sys.argv[1:] if argv is None else argv),
                              "started": datetime.now(UTC).isoformat(timespec="seconds"),
                              "args": vars(args), "machine": machine(), "runs": []}
    rng = random.Random(args.seed)
    SERVER_ENV.update(item.split("=", 1) for item in args.server_env)
    stopped_early = None
    global APP_DIR
    snapshot = None
    commit = report["machine"].get("git", {}).get("commit")
    if args.source == "head":
        snapshot = APP_DIR = snapshot_head()
        report["app"] = f"git archive of HEAD {commit}"
    else:
        snapshot = APP_DIR = snapshot_worktree()
        dirty = report["machine"].get("git", {}).get("uncommitted")
        report["app"] = f"copy of the working tree at start (HEAD {commit}" + (
            f" + {len(dirty)} uncommitted paths)" if dirty else ", clean)")
    try:
        for n in args.phones:
            disturbed: list[str] = []
            for attempt in range(1 + args.disturbed_retries):
                busy, waited = wait_for_quiet(args.quiet_threshold, args.quiet_wait)
                print(f"--- N = {n}: machine busy {busy:.0f} % of a core before the run (waited {waited:.0f} s); "
                      "starting a fresh server ...", flush=True)
                t = time.monotonic()
                r = asyncio.run(run_once(n, args, stamp, rng))
                r["wall_seconds"] = time.monotonic() - t
                r["busy_before_pct"], r["quiet_waited_s"] = busy, waited
                other = r.get("other_cpu_pct", 0.0)
                if other <= 2 * args.quiet_threshold:
                    break
                disturbed.append(f"attempt {attempt + 1}: other processes used {other:.0f} % of a core")
                print(f"    disturbed: {disturbed[-1]}", flush=True)
            r["disturbed_attempts"] = disturbed  # runs of this N thrown away (or kept, if the last)
            if r.get("other_cpu_pct", 0.0) > args.quiet_threshold:
                r["notes"].append(f"other processes used {r['other_cpu_pct']:.0f} % of a core during the run: "
                                  "timings are disturbed")
            report["runs"].append(r)
            json_path.write_text(json.dumps(report, indent=1, default=str))
            nx, sb = r.get("next_to_phone") or {}, r.get("submit") or {}
            print(f"    connected {r.get('connected')}/{n}, answers {r.get('answers_sent')}/{r.get('answers_stored')}, "
                  f"next→phone p95 {_fmt(nx.get('p95'))} s, submit p95 {_fmt(sb.get('p95'), 1000, 0)} ms, "
                  f"server CPU {_fmt(r.get('server_cpu_pct'), 1, 0)} %, errors {r.get('errors')}, "
                  f"{r['wall_seconds']:.0f} s", flush=True)
            for note in r.get("notes", []):
                print(f"    note: {note}", flush=True)
            why = collapsed(r)
            if why and args.stop_on_collapse and n != args.phones[-1]:
                stopped_early = f"stopped after N = {n}: {why}"
                print(f"    {stopped_early}", flush=True)
                break
    except KeyboardInterrupt:
        stopped_early = "interrupted"
        print("interrupted: servers and browsers stopped", file=sys.stderr)
    finally:
        if snapshot is not None:
            shutil.rmtree(snapshot, ignore_errors=True)
    report["stopped_early"] = stopped_early
    report["knee"] = knee(report["runs"])
    report["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    json_path.write_text(json.dumps(report, indent=1, default=str))
    if report["runs"]:
        chart(report["runs"], html_path)
    print()
    print(table(report["runs"]))
    print()
    print(stack_table(report["runs"]))
    print()
    if crosscheck_table(report["runs"]):
        print(crosscheck_table(report["runs"]))
        print()
    print(report["knee"])
    if stopped_early:
        print(stopped_early)
    print(f"results: {json_path.relative_to(ROOT)}, chart: {html_path.relative_to(ROOT)}")
    return 0 if stopped_early is None or stopped_early.startswith("stopped") else 130


if __name__ == "__main__":
    sys.exit(main())
