"""CPU and memory of the app servers, the bench, the browser and PostgreSQL/nginx, from /proc,
and the machine's busy time (to wait for quiet and to tell other users' load apart)."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import itertools
import os
import re
import resource
import time
from typing import Any

CLK_TCK = os.sysconf("SC_CLK_TCK")


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


def system_busy() -> float:
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
                       "browser_cpu": b_cpu, "browser_rss_kb": b_rss, "system_busy": system_busy()})
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


def wait_for_quiet(threshold: float, max_wait: float, window: float = 5.0) -> tuple[float, float]:
    """Wait until the machine's busy CPU (other users' work) is below `threshold` % of one core.

    Returns (last measured busy %, seconds waited); gives up after `max_wait` seconds.
    """
    t0 = time.monotonic()
    busy = 0.0
    for _ in range(int(max_wait / window) + 1):
        before = system_busy()
        time.sleep(window)
        busy = 100 * (system_busy() - before) / window
        if busy < threshold or time.monotonic() - t0 >= max_wait:
            break
    return busy, time.monotonic() - t0


def cpu_and_memory(sampler: Sampler, marks: dict[str, float], n: int) -> dict[str, Any]:
    """Server CPU and memory over the phones' phase (`marks`), against the idle phase before it."""
    out: dict[str, Any] = {}
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
    return out
