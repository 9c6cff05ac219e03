"""Fixtures for the browser tests: a real `streamlit run app.py` server (harness/streamlit_server.py)
and Debian's headless Chromium (harness/chromium.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect

# A 2-core CI machine runs the server, Chromium and the tests at once: give the
# page time to catch up (the first chart waits for Plotly's script to load).
expect.set_options(timeout=15_000)

from harness import chromium
from harness.content import copy_content_with_all_types
from harness.streamlit_server import Server, start_streamlit

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True,
         "device_scale_factor": 2}


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
    if not Path(chromium.CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {chromium.CHROMIUM}: install Debian's chromium (see .ci/run)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = chromium.launch(playwright)
        yield browser
        browser.close()


def join_as_phone(phone, join_url: str) -> None:
    """Open the join link, pass the welcome, and wait for the first exercise like a participant."""
    phone.goto(join_url)
    phone.locator("#start-button").click()
    expect(phone.locator("#waiting")).to_be_visible(timeout=10_000)
