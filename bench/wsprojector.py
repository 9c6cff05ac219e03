"""The projector page as a Streamlit client over `/_stcore/stream`, without a browser.

A browser tab holding `/projector?code=...&key=...` does three things on the wire:

1. opens the websocket `/_stcore/stream` (subprotocol `streamlit`) and sends one
   `BackMsg.rerun_script` carrying the page's query string and its URL path as
   `page_name` (the script hash is not known yet);
2. receives `ForwardMsg`s: `new_session` (with the page's script hash), deltas for
   every element, `auto_rerun` (interval and fragment id of `st.fragment(run_every=...)`)
   and `script_finished`;
3. for each `auto_rerun`, runs a fixed-rate timer (`setInterval` in the frontend's
   `handleAutoRerun`) that sends `rerun_script` again with that `fragment_id`,
   `is_auto_rerun=True`, the same query string and the page's script hash, until a
   `stop_auto_rerun` names the fragment.

This client does exactly that, so the server does the same work per projector as for a
real tab, while the bench pays a few protobuf parses instead of a Chromium renderer.
From the `st.html` deltas it reads what the room sees: "Step k of n", "N responded" and
"N joined", each with the time its frame arrived, which is what submit->counted on the
projector is measured from.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

STEP_RE = re.compile(r"Step (\d+) of (\d+)")
# "N responded" (answers and passes) since a28c44e, "N answered" before: --source REV may be older.
ANSWERED_RE = re.compile(r'class="count">(\d+) (?:responded|answered)<')
JOINED_RE = re.compile(r'class="count">(\d+) joined<')
MAX_FRAME_BYTES = 64 * 1024 * 1024  # a results chart with its data can be a few MB


def _protos() -> tuple[Any, Any]:
    """Streamlit's own protobuf classes; imported late because `import streamlit` is slow."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    return BackMsg, ForwardMsg


@dataclass
class Seen:
    """One count the projector showed: arrival time of the frame, the live step (0-based,
    None on the waiting screen) and the numbers in its count panel."""

    t: float
    step: int | None
    answered: int | None
    joined: int | None


class WsProjector:
    """One projector tab, spoken over Streamlit's websocket protocol."""

    def __init__(self, base: str, href: str, http: httpx.AsyncClient | None = None) -> None:
        parts = urlsplit(href)
        self.base = base
        self.query_string = parts.query
        self.page_name = parts.path.strip("/")
        self.page_script_hash = ""
        self.http = http
        self.seen: list[Seen] = []
        self.frames = 0
        self.bytes = 0
        self.runs_requested = 0
        self.runs_finished = 0
        self.exceptions: list[str] = []
        self.media: set[str] = set()
        self._ws: Any = None
        self._timers: dict[str, tuple[float, asyncio.Task[None]]] = {}
        self._run_step: int | None = None
        self._run_counts: dict[str, int] = {}
        self._changed = asyncio.Event()
        self._reader: asyncio.Task[None] | None = None

    # ------------------------------------------------------------------ connection

    async def open(self) -> None:
        """Connect and ask for the first full run, as the page load does."""
        import websockets

        ws_url = self.base.replace("http://", "ws://").replace("https://", "wss://") + "/_stcore/stream"
        self._ws = await websockets.connect(ws_url, subprotocols=["streamlit"], max_size=MAX_FRAME_BYTES,
                                            open_timeout=30, ping_interval=20, ping_timeout=60)
        self._reader = asyncio.create_task(self._read())
        await self._rerun(fragment_id="", auto=False)

    async def close(self) -> None:
        for _, task in self._timers.values():
            task.cancel()
        self._timers.clear()
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(BaseException):
                await self._reader
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await asyncio.wait_for(self._ws.close(), 5)

    async def _rerun(self, fragment_id: str, auto: bool) -> None:
        """`rerun_script` as the frontend's sendRerunBackMsg builds it (no widgets on this page)."""
        back_msg_cls, _ = _protos()
        msg = back_msg_cls()
        state = msg.rerun_script
        state.query_string = self.query_string
        if self.page_script_hash:
            state.page_script_hash = self.page_script_hash
        else:
            state.page_name = self.page_name
        state.widget_states.SetInParent()
        if fragment_id:
            state.fragment_id = fragment_id
        state.is_auto_rerun = auto
        self.runs_requested += 1
        await self._ws.send(msg.SerializeToString())

    # ------------------------------------------------------------------ receiving

    async def _read(self) -> None:
        _, forward_msg_cls = _protos()
        async for frame in self._ws:
            now = time.monotonic()
            self.frames += 1
            self.bytes += len(frame)
            msg = forward_msg_cls()
            msg.ParseFromString(frame)
            self._handle(msg, now)

    def _handle(self, msg: Any, now: float) -> None:
        kind = msg.WhichOneof("type")
        if kind == "new_session":
            self.page_script_hash = msg.new_session.page_script_hash
        elif kind == "delta":
            self._delta(msg.delta, now)
        elif kind == "auto_rerun":
            self._start_timer(msg.auto_rerun.fragment_id, msg.auto_rerun.interval)
        elif kind == "stop_auto_rerun":
            for fragment_id in msg.stop_auto_rerun.fragment_ids:
                self._stop_timer(fragment_id)
        elif kind == "script_finished":
            self.runs_finished += 1
            self._run_step = None

    def _delta(self, delta: Any, now: float) -> None:
        if delta.WhichOneof("type") != "new_element":
            return
        element = delta.new_element
        which = element.WhichOneof("type")
        if which == "exception":
            self.exceptions.append(element.exception.message[:300])
        elif which == "imgs":
            self._fetch_media([img.url for img in element.imgs.imgs])
        elif which == "html":
            self._read_html(element.html.body, now)

    def _read_html(self, body: str, now: float) -> None:
        step = STEP_RE.search(body)
        if step:
            self._run_step = int(step.group(1)) - 1
        answered, joined = ANSWERED_RE.search(body), JOINED_RE.search(body)
        if answered or joined:
            self.seen.append(Seen(now, self._run_step, int(answered.group(1)) if answered else None,
                                  int(joined.group(1)) if joined else None))
            self._changed.set()

    def _fetch_media(self, urls: list[str]) -> None:
        """A browser loads each new image URL once (the QR code); so does this client."""
        for url in urls:
            if url and url not in self.media and self.http is not None:
                self.media.add(url)
                full = url if url.startswith("http") else self.base + url
                asyncio.get_running_loop().create_task(self._get(full))

    async def _get(self, url: str) -> None:
        with contextlib.suppress(httpx.HTTPError):
            await self.http.get(url)

    # ------------------------------------------------------------------ auto-rerun timers

    def _start_timer(self, fragment_id: str, interval: float) -> None:
        """handleAutoRerun: one timer per fragment, replaced only if its interval changes."""
        if not fragment_id:
            return
        current = self._timers.get(fragment_id)
        if current is not None and current[0] == interval:
            return
        self._stop_timer(fragment_id)
        self._timers[fragment_id] = (interval, asyncio.create_task(self._tick(fragment_id, interval)))

    def _stop_timer(self, fragment_id: str) -> None:
        entry = self._timers.pop(fragment_id, None)
        if entry is not None:
            entry[1].cancel()

    async def _tick(self, fragment_id: str, interval: float) -> None:
        """setInterval: fixed rate, whether or not the previous run has finished."""
        next_at = time.monotonic() + interval
        while True:
            await asyncio.sleep(max(0.0, next_at - time.monotonic()))
            next_at += interval
            with contextlib.suppress(Exception):
                await self._rerun(fragment_id, auto=True)

    # ------------------------------------------------------------------ waiting for counts

    async def wait_for(self, check: Callable[[Seen], bool], timeout: float, since: float = 0.0) -> Seen | None:
        """The first count shown at or after `since` for which `check` holds (waits up to `timeout`)."""
        deadline = time.monotonic() + timeout
        start = 0
        while True:
            for seen in self.seen[start:]:
                if seen.t >= since and check(seen):
                    return seen
            start = len(self.seen)
            left = deadline - time.monotonic()
            if left <= 0:
                return None
            self._changed.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self._changed.wait(), left)

    def stats(self) -> dict[str, Any]:
        return {"frames": self.frames, "bytes": self.bytes, "runs_requested": self.runs_requested,
                "runs_finished": self.runs_finished, "counts_seen": len(self.seen),
                "timers": {k: v[0] for k, v in self._timers.items()}, "media_fetched": len(self.media),
                "exceptions": self.exceptions[:5]}
