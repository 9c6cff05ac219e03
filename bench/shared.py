"""What the load bench's phones share, simulated (bench/phones.py) or real Chromium pages
(bench/realphones.py): the answers they give and the state of one run.

Apart from phones.py so that realphones.py, which phones.py loads, need not import it back.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import random
import time
from dataclasses import dataclass, field
from typing import Any

from workshop.answers import normalise_answer
from workshop.models import Exercise

WORDS = ("calm", "curious", "tired", "open", "warm", "steady", "hopeful", "busy", "present",
         "grateful", "restless", "clear", "heavy", "light", "alive")


def make_value(exercise: dict[str, Any], rng: random.Random) -> Any:
    """A valid value for this exercise, as the phone page would send it."""
    kind, s = exercise["type"], exercise.get("settings") or {}
    if kind == "scale":
        return rng.randint(int(s["min"]), int(s["max"]))
    if kind == "single_choice":
        return rng.choice(s["options"])
    if kind == "multiple_choice":
        options = list(s["options"])
        return rng.sample(options, rng.randint(1, max(1, min(int(s.get("max_choices", 1)), len(options)))))
    if kind == "word":
        return rng.choice(WORDS)
    if kind == "text":
        return f"bench answer {rng.randint(1, 1_000_000)}"
    if kind == "spectrum":
        return rng.randint(0, 100)
    if kind == "position2d":
        return [rng.randint(0, 100), rng.randint(0, 100)]
    raise ValueError(f"unknown question type {kind!r}")


def stored_form(exercise: dict[str, Any], value: Any) -> Any:
    """What the server stores for a valid value: the kind's own rule (workshop/questions/),
    applied to the exercise as the phone received it."""
    public = {"minutes": 1, "notes": "", **exercise}
    return normalise_answer(Exercise.from_dict(public), value)


@dataclass
class Shared:
    """State the phones and the facilitator share inside the one bench process."""

    n: int
    base: str
    code: str
    args: argparse.Namespace
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
