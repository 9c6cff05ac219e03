"""The live step of every session, held in memory so a phone's poll costs microseconds.

Facilitator commands run in Streamlit's script threads; phones wait in the
server's event loop. `publish` wakes every waiting phone of a session at once
(one broadcast per step change, not one query per phone). `close` wakes them all
when the server stops, so no parked poll holds the shutdown.
"""

from __future__ import annotations

import asyncio
import threading

from workshop.models import LiveState


def _wake(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


class LiveBoard:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._states: dict[str, LiveState] = {}
        self._waiters: dict[str, set[tuple[asyncio.AbstractEventLoop, asyncio.Future[None]]]] = {}
        self._closed = False

    def get(self, code: str) -> LiveState | None:
        return self._states.get(code)

    def publish(self, state: LiveState) -> None:
        with self._lock:
            self._states[state.code] = state
            waiters = self._waiters.pop(state.code, set())
        for loop, future in waiters:
            loop.call_soon_threadsafe(_wake, future)

    def forget(self, code: str) -> None:
        """Drop a deleted session; waiting phones wake and learn it is gone."""
        with self._lock:
            self._states.pop(code, None)
            waiters = self._waiters.pop(code, set())
        for loop, future in waiters:
            loop.call_soon_threadsafe(_wake, future)

    def close(self) -> None:
        """The server is stopping: answer every waiting phone now and every later poll at once.

        uvicorn's graceful shutdown waits for open requests, and a parked poll would hold it
        for up to its 25 s; answered with the current state, a phone polls again and retries
        until the server is back.
        """
        with self._lock:
            self._closed = True
            waiters = [entry for entries in self._waiters.values() for entry in entries]
            self._waiters.clear()
        for loop, future in waiters:
            loop.call_soon_threadsafe(_wake, future)

    def waiting(self, code: str) -> int:
        return len(self._waiters.get(code, ()))

    async def wait_for_change(self, code: str, since: int | None, timeout: float) -> LiveState | None:
        """Return the state once its version differs from `since`, or after `timeout`."""
        state = self._states.get(code)
        if state is None or since is None or state.version != since or self._closed:
            return state
        loop = asyncio.get_running_loop()
        future: asyncio.Future[None] = loop.create_future()
        entry = (loop, future)
        with self._lock:
            state = self._states.get(code)
            if state is None or state.version != since or self._closed:
                return state
            self._waiters.setdefault(code, set()).add(entry)
        try:
            await asyncio.wait_for(future, timeout)
        except asyncio.TimeoutError:
            pass
        finally:
            with self._lock:
                waiters = self._waiters.get(code)
                if waiters is not None:
                    waiters.discard(entry)
        return self._states.get(code)
