"""A real `streamlit run app.py` server and Debian's headless Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

# A 2-core CI machine runs the server, Chromium and the tests at once: give the
# page time to catch up (the first chart waits for Plotly's script to load).
expect.set_options(timeout=15_000)

from tests.conftest import ROOT, copy_content_with_all_types

CHROMIUM = os.environ.get("WORKSHOP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSCODE = "test-river-001"
PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True,
         "device_scale_factor": 2}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    url: str
    db_path: Path | str  # a DuckDB file, or the PostgreSQL URL
    log: Path
    process: subprocess.Popen

    def stop(self) -> None:
        """Stop the server, e.g. to read its DuckDB file (one process may hold it)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_streamlit(folder: Path, port: int | None = None, address: str = "127.0.0.1",
                    **settings: str) -> Server:
    """`streamlit run app.py` on a free port (or `port`, to restart a server where it was) with
    these WORKSHOP_* settings; waits until healthy. `address=None` keeps config.toml's."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "WORKSHOP_PUBLIC_URL": url, "WORKSHOP_PASSCODE": PASSCODE, **settings}
    log = folder / f"server-{port}.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             *(["--server.address", address] if address else []), "--server.headless", "true"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    running = Server(url=url, db_path=settings.get("WORKSHOP_DATABASE_URL")
                     or settings.get("WORKSHOP_DB_PATH", ""), log=log, process=process)
    if not healthy(url, process, seconds=60):
        running.stop()
        raise RuntimeError(f"streamlit did not start:\n{log.read_text()}")
    return running


def healthy(url: str, process: subprocess.Popen, seconds: float) -> bool:
    """Wait until Streamlit's health route answers at `url` (directly or through a proxy)."""
    deadline = time.monotonic() + seconds
    while process.poll() is None and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.2)
    return False


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("server")
    content = copy_content_with_all_types(folder / "content")
    running = start_streamlit(folder, WORKSHOP_DB_PATH=str(folder / "workshop.duckdb"),
                              WORKSHOP_CONTENT_DIR=str(content))
    try:
        yield running
    finally:
        running.stop()


# Module scope: Playwright's sync API keeps an event loop running in this thread while
# it is open, which would make asyncio.run() in later (non-browser) tests fail.
@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium (see .ci/run)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def join_as_phone(phone, join_url: str) -> None:
    """Open the join link, pass the welcome, and wait for the first exercise like a participant."""
    phone.goto(join_url)
    phone.locator("#start-button").click()
    expect(phone.locator("#waiting")).to_be_visible(timeout=10_000)
