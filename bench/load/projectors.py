"""The projector page, which refreshes every second: a Streamlit websocket client
(bench/wsprojector.py, the default) or a Chromium tab, opened with the facilitator's link."""

from __future__ import annotations

import re
import time
from typing import Any

import httpx

from bench.load.facilitator import Facilitator
from bench.wsprojector import Seen, WsProjector


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
        await f.record(target, "seconds", f.projector, re.compile(rf"(^|\D){expected} (responded|answered)"),
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
        self.http = httpx.AsyncClient(timeout=30.0)
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
