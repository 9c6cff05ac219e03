"""After SIGINT or SIGTERM, no connection is kept alive (web/lifecycle.py).

uvicorn closes the connections it knows when it stops; one accepted just before the signal
could still be served with keep-alive and hold the exit for the 5 s keep-alive timeout
(tests/browser/test_shutdown.py, bench/shutdown.py). Here the signal is real, raised in this
process, and the app is a real Starlette app behind CloseWhenStopping.
"""

import asyncio
import signal

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient

from web import lifecycle


@pytest.fixture
def app():
    async def hello(request):
        return PlainTextResponse("hello", headers={"connection": "keep-alive"})

    yield lifecycle.CloseWhenStopping(Starlette(routes=[Route("/", hello)]))
    lifecycle._stopping.clear()


@pytest.fixture
def chained_signals():
    """uvicorn's handlers stand-in: each signal is noted, as uvicorn notes it to stop later."""
    caught, woken = [], []
    previous = {sig: signal.signal(sig, lambda signum, frame: caught.append(signum))
                for sig in lifecycle.SIGNALS}
    loop = asyncio.new_event_loop()
    restore = lifecycle.wake_on_signals(loop, lambda: woken.append(True))
    yield loop, caught, woken
    restore()
    loop.close()
    for sig, handler in previous.items():
        signal.signal(sig, handler)


@pytest.mark.parametrize("sig", lifecycle.SIGNALS, ids=["SIGINT", "SIGTERM"])
def test_after_the_signal_every_response_closes_its_connection(app, chained_signals, sig):
    loop, caught, woken = chained_signals
    client = TestClient(app)
    before = client.get("/")
    assert before.headers["connection"] == "keep-alive"  # a running server keeps connections

    signal.raise_signal(sig)
    loop.run_until_complete(asyncio.sleep(0))  # the wake runs on the loop, not in the handler

    assert caught == [sig] and woken == [True]  # the server's own handler still ran
    after = client.get("/")
    assert after.status_code == 200 and after.text == "hello"  # still served, in full
    assert after.headers.get_list("connection") == ["close"]  # replaced, not added beside


def test_without_a_signal_responses_pass_through_untouched(app):
    response = TestClient(app).get("/")
    assert response.headers.get_list("connection") == ["keep-alive"]
