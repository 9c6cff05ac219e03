"""Debian's Chromium, headless, as the browser tests and the load bench drive it.

One place for the path and the flags, so a test and a bench measure the same browser.
"""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("WORKSHOP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def launch(playwright):
    """Playwright's `chromium.launch` with this browser: a Browser (sync API) or an awaitable
    of one (async API)."""
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
