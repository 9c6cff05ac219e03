"""The facilitator page in headless Chromium (Playwright): start a session, press its buttons,
and time when something shows on a page."""

from __future__ import annotations

import collections
import contextlib
import re
import time
from typing import Any

from bench.load.settings import BENCH_PASSCODE


class Facilitator:
    """The facilitator and projector pages in headless Chromium."""

    def __init__(self, browser: Any, base: str) -> None:
        self.browser = browser
        self.base = base
        self.page: Any = None
        self.projector: Any = None
        self.console_errors: list[str] = []
        self.failed_responses: collections.Counter = collections.Counter()

    def _watch(self, page: Any, name: str) -> None:
        page.on("console", lambda m: self.console_errors.append(f"{name}: {m.text}"[:300])
                if m.type == "error" else None)
        page.on("pageerror", lambda exc: self.console_errors.append(f"{name}: {exc}"[:300]))
        page.on("response", lambda r: self.failed_responses.update(
            [f"{name}: {r.status} {re.sub(r'[0-9a-f]{16,}', '<id>', r.url.split('?')[0])}"])
            if r.status >= 400 else None)

    async def start_session(self, agenda_title: str) -> tuple[str, str]:
        from playwright.async_api import expect

        self.page = await self.browser.new_page(viewport={"width": 1400, "height": 1000})
        self._watch(self.page, "facilitator")
        await self.page.goto(self.base + "/")
        start = self.page.locator(".st-key-start_session button")
        gate = self.page.locator(".st-key-passcode_input input")
        await start.or_(gate).first.wait_for(timeout=30_000)
        if await gate.count():
            # Facilitator pages behind a passcode: the bench sets WORKSHOP_PASSCODE.
            await gate.fill(BENCH_PASSCODE)
            await self.page.locator(".st-key-passcode_submit button").click()
            await start.wait_for(timeout=30_000)
        # The select box is a skeleton until the first script run has rendered it.
        select = self.page.locator(".st-key-agenda_select")
        await select.locator("[data-baseweb='select'], input").first.wait_for(state="attached", timeout=30_000)
        option = self.page.get_by_role("option", name=re.compile(re.escape(agenda_title)))
        for attempt in range(3):
            await select.click(timeout=30_000)
            try:
                await option.wait_for(timeout=5_000)
                break
            except Exception:
                if attempt == 2:
                    raise
        await option.click()
        await self.page.locator(".st-key-start_session button").click()
        block = self.page.locator("[data-testid='stCode']").first
        await expect(block).to_contain_text("/join?code=", timeout=30_000)
        join_url = (await block.inner_text()).strip()
        return join_url.rsplit("=", 1)[1], join_url

    async def projector_href(self, code: str) -> str:
        """The facilitator's own "Open projector view" link: it carries the session's key."""
        href = f"/projector?code={code}"
        link = self.page.locator(".st-key-open_projector a")
        with contextlib.suppress(Exception):
            await link.wait_for(timeout=10_000)
            href = await link.get_attribute("href") or href
        return href

    async def open_projector(self, code: str) -> None:
        """The projector tab in Chromium, opened from the facilitator's link."""
        from playwright.async_api import expect

        href = await self.projector_href(code)
        self.projector = await self.browser.new_page(viewport={"width": 1920, "height": 1080})
        self._watch(self.projector, "projector")
        await self.projector.goto(self.base + href if href.startswith("/") else href)
        await expect(self.projector.get_by_text(code, exact=True)).to_be_visible(timeout=30_000)

    async def press(self, key: str) -> tuple[float, float]:
        """Click a facilitator button once it is enabled; the click time is taken just before."""
        from playwright.async_api import expect

        button = self.page.locator(f".st-key-{key} button")
        await expect(button).to_be_enabled(timeout=30_000)
        before = time.monotonic()
        await button.click(timeout=30_000)
        return before, time.monotonic()

    async def end_session(self) -> tuple[float, float]:
        await self.page.locator(".st-key-end_popover button").first.click(timeout=30_000)
        return await self.press("end_session")

    async def seen(self, page: Any, text: str | re.Pattern[str], timeout: float, exact: bool = False) -> float | None:
        """Seconds until `text` is visible on `page`, or None."""
        from playwright.async_api import expect

        t = time.monotonic()
        try:
            await expect(page.get_by_text(text, exact=exact).first).to_be_visible(timeout=timeout * 1000)
        except AssertionError:
            return None
        return time.monotonic() - t

    async def record(self, target: dict[str, Any], key: str, page: Any, text: str | re.Pattern[str],
                     since: float, timeout: float) -> None:
        """target[key] = seconds from `since` until `text` shows on `page` (None if it never does)."""
        target[key] = None
        try:
            if await self.seen(page, text, timeout) is not None:
                target[key] = time.monotonic() - since
            elif page is self.projector:
                target["shown"] = await self.projector_counts()
        except Exception as exc:  # noqa: BLE001 - the page went away: the check is optional
            target["check_error"] = f"{type(exc).__name__}"

    async def projector_counts(self) -> str:
        with contextlib.suppress(Exception):
            return " | ".join(t.strip() for t in await self.projector.locator(".count").all_inner_texts())
        return ""
