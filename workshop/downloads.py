"""Short-lived, few-use download tokens bound to one browser (pure: no web framework)."""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass

from workshop import config


@dataclass(frozen=True)
class Download:
    content: bytes
    filename: str
    media_type: str
    browser: str
    tag: str
    expires: float


class DownloadTokens:
    """128-bit random tokens; each serves its file to its own browser `uses` times within `ttl` s."""

    def __init__(self, ttl: float = 120.0, uses: int = 3) -> None:
        self.ttl, self.uses = ttl, uses
        self._lock = threading.Lock()
        self._items: dict[str, tuple[Download, int]] = {}

    def issue(self, content: bytes, filename: str, media_type: str, browser: str, tag: str,
              now: float | None = None) -> str:
        now = time.monotonic() if now is None else now
        token = secrets.token_urlsafe(16)
        with self._lock:
            self._items = {t: v for t, v in self._items.items() if v[0].expires > now}
            self._items[token] = (Download(content, filename, media_type, browser, tag, now + self.ttl), 0)
        return token

    def take(self, token: str, browser: str | None, now: float | None = None) -> Download | None:
        """The file, if the token is live and `browser` is the one it was issued to."""
        now = time.monotonic() if now is None else now
        with self._lock:
            item = self._items.get(token)
            if item is None or item[0].expires <= now or browser is None or \
                    not secrets.compare_digest(item[0].browser, browser):
                return None
            download, used = item
            if used + 1 >= self.uses:
                del self._items[token]
            else:
                self._items[token] = (download, used + 1)
            return download

    def revoke(self, tag: str) -> None:
        with self._lock:
            self._items = {t: v for t, v in self._items.items() if v[0].tag != tag}


tokens = DownloadTokens(ttl=config.download_link_seconds())
