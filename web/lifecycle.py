"""Stopping the server promptly: Ctrl+C or SIGTERM ends it in about a second, with phones parked.

uvicorn (which runs st.App in Streamlit 1.67) stops in this order on a signal: it stops
accepting connections, lets the requests in progress finish (with no time limit), then runs
the app's lifespan shutdown. A phone's long-poll waits up to 25 s for a change, so 1,000
parked phones held the stop for about 24 s (bench/shutdown.py). The lifespan is too late to
release them, so at startup it wraps the handlers uvicorn has already installed for SIGINT
and SIGTERM: the wrapper asks the event loop to release every parked poll (each is answered
with the current live state, and the phone retries until the server is back), then lets
uvicorn's handler go on as before. The lifespan's shutdown, run once every request has been
answered, closes the store, which writes what the group-commit writers still hold.

One race is uvicorn's: it asks the connections it knows to close, but a connection accepted
just before the signal may reach the app only after that (asyncio hands it over a loop turn
later); its request is served with keep-alive on and the connection then idles until
uvicorn's 5 s keep-alive timeout, holding the exit (bench/shutdown.py, 1,000 phones: 1 run
in 3 took 6.3 s). `CloseWhenStopping` marks every response begun after the signal
`Connection: close`, so no connection outlives its reply.

Measured with bench/shutdown.py (2 cores, 1,000 parked phones, docs/benchmarks.md): the
process is gone 0.3–0.8 s after SIGINT or SIGTERM; it was 23 s.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import signal
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from types import FrameType
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from web.nodelay import no_delay_on_listeners
from workshop import runtime

SIGNALS = (signal.SIGINT, signal.SIGTERM)
_log = logging.getLogger("workshop")
_stopping = threading.Event()   # set by the first SIGINT or SIGTERM


def wake_on_signals(loop: asyncio.AbstractEventLoop, wake: Callable[[], None]) -> Callable[[], None]:
    """Chain `wake` (run on `loop`, not in the handler) before each current signal handler;
    returns what puts the handlers back. A handler that is not a function (the default
    action, ignored) is left alone, so a signal never loses its usual effect."""
    previous: dict[signal.Signals, Any] = {}
    if threading.current_thread() is not threading.main_thread():
        return lambda: None  # only the main thread may set handlers (a test's TestClient)
    for sig in SIGNALS:
        handler = signal.getsignal(sig)
        if not callable(handler):
            continue

        def chained(signum: int, frame: FrameType | None, handler: Callable[..., Any] = handler) -> None:
            # Only thread-safe calls here: the handler interrupts the event loop's own
            # thread, which may hold the board's lock.
            _stopping.set()
            loop.call_soon_threadsafe(wake)
            handler(signum, frame)

        previous[sig] = handler
        signal.signal(sig, chained)

    def restore() -> None:
        for sig, handler in previous.items():
            signal.signal(sig, handler)

    return restore


@asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[None]:
    restore = wake_on_signals(asyncio.get_running_loop(), runtime.stopping)
    no_delay_on_listeners()     # web/nodelay.py: 43 ms → 1 ms per kept-alive request
    try:
        yield
    finally:
        restore()
        runtime.stopping()
        await run_in_threadpool(runtime.close)
        _log.warning("Stopped: the database is closed")
        # Nothing of ours is left to tidy: spare the interpreter's final garbage collections
        # the ~100,000 objects of a server that served 1,000 phones (up to 0.9 s on 2 cores).
        gc.freeze()


class CloseWhenStopping:
    """Once the server is stopping, every HTTP response says `Connection: close` (see above).

    A request begun before the signal passes through untouched: its connection was open
    before the signal, so uvicorn knows it and closes it after the reply itself.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _stopping.is_set():
            await self.app(scope, receive, send)
            return

        async def send_closing(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"connection"]
                message = {**message, "headers": [*headers, (b"connection", b"close")]}
            await send(message)

        await self.app(scope, receive, send_closing)
