"""The real server parses HTTP with httptools and runs on uvloop (requirements.txt): a phone
request costs 144 -> 61 µs of the server's CPU with them (docs/benchmarks.md), and uvicorn
and Streamlit fall back to h11 and asyncio's loop without a word if they are missing."""

import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/<pid>/maps")]


def loaded_libraries(pid: int) -> str:
    return Path(f"/proc/{pid}/maps").read_text()


def test_the_server_answers_phones_through_httptools_on_uvloop(server):
    assert httpx.get(server.url + "/join?code=ABCDEF").status_code == 200  # a request parsed
    maps = loaded_libraries(server.process.pid)
    assert "/httptools/parser/parser." in maps
    assert "/uvloop/loop." in maps


def test_kept_alive_requests_take_no_delayed_ack_stall_on_uvloop(server):
    """web/nodelay.py was written for asyncio's loop (a 44 ms stall a request with Nagle on);
    uvloop's connections must not bring it back."""
    with httpx.Client(base_url=server.url) as client:
        client.get("/join?code=ABCDEF")
        took = []
        for _ in range(5):
            start = time.perf_counter()
            client.get("/api/live", params={"code": "ABCDEF", "token": "x"})
            took.append(time.perf_counter() - start)
    assert sorted(took)[2] < 0.03, took
