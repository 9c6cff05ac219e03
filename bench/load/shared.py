"""The state of one run that the phones, simulated (bench/load/phone.py) or real Chromium pages
(bench/load/realphone.py), and the facilitator share inside the one bench process."""

from __future__ import annotations

import asyncio
import collections
import time
from dataclasses import dataclass, field
from typing import Any

from bench.load.settings import Settings


@dataclass
class Shared:
    """State the phones and the facilitator share inside the one bench process."""

    n: int
    base: str
    code: str
    args: Settings
    stop: asyncio.Event = field(default_factory=asyncio.Event)
    errors: collections.Counter = field(default_factory=collections.Counter)
    connected: int = 0
    all_connected: asyncio.Event = field(default_factory=asyncio.Event)
    done: collections.Counter = field(default_factory=collections.Counter)
    done_events: dict[int, asyncio.Event] = field(default_factory=dict)
    ended: int = 0
    all_ended: asyncio.Event = field(default_factory=asyncio.Event)
    exercises: dict[int, dict[str, Any]] = field(default_factory=dict)
    submit_times: list[float] = field(default_factory=list)        # 200 OK round trips
    submit_other: collections.Counter = field(default_factory=collections.Counter)
    join_times: list[float] = field(default_factory=list)
    page_times: list[float] = field(default_factory=list)
    assets_fetched: int = 0                                        # scripts and style sheets of the pages
    answer_posts: int = 0
    deadline: float = 0.0
    t0: float = field(default_factory=time.monotonic)
    seconds: collections.defaultdict = field(default_factory=lambda: collections.defaultdict(collections.Counter))
    ack_times: list[float] = field(default_factory=list)          # first attempt -> acknowledged

    def mark_connected(self) -> None:
        self.connected += 1
        if self.connected >= self.n:
            self.all_connected.set()

    def mark_ended(self) -> None:
        self.ended += 1
        if self.ended >= self.connected:
            self.all_ended.set()

    def done_event(self, step: int) -> asyncio.Event:
        return self.done_events.setdefault(step, asyncio.Event())

    def step_done(self, step: int) -> None:
        self.done[step] += 1
        if self.done[step] >= self.connected:
            self.done_event(step).set()

    def error(self, kind: str, started: float | None = None) -> None:
        """Count an error by kind, and in the per-second timeline by when its request started."""
        self.errors[kind] += 1
        self.timeline(started if started is not None else time.monotonic())[f"error {kind}"] += 1

    def timeline(self, t: float) -> collections.Counter:
        return self.seconds[int(t - self.t0)]
