"""Who may open the facilitator, projector and report pages.

Phones never need this: they only reach /join and /api/. Everything else is
behind a facilitator passcode (or an OIDC login, see README). The projector
tab opens from the facilitator view with a random per-session key kept by the
`Workshop` (see `Workshop.new_projector_key`): it says nothing about the passcode.
"""

from __future__ import annotations

import hmac
import math
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass
from functools import cache

from xkcdpass import xkcd_password

# Six words of 3-7 letters from the EFF long list that xkcdpass ships (4,438 such words):
# 6 x log2(4440) = 72.7 bits, beyond offline guessing, and still easy to read aloud.
PASSCODE_WORDS = 6
PASSCODE_WORD_LENGTHS = (3, 7)


@cache
def _wordlist() -> tuple[str, ...]:
    low, high = PASSCODE_WORD_LENGTHS
    words = xkcd_password.generate_wordlist(wordfile=xkcd_password.locate_wordfile(),
                                            min_length=low, max_length=high)
    return tuple(sorted({word for word in words if word.isalpha()}))  # no 't-shirt': '-' joins words


def passcode_bits() -> float:
    """How many bits of chance a generated passcode holds (a test keeps it at 64 or more)."""
    return PASSCODE_WORDS * math.log2(len(_wordlist()))


def generate_passcode() -> str:
    """Six random common words, e.g. 'ozone-bring-decaf-shun-lily-agency' (72 bits)."""
    words = _wordlist()
    return "-".join(secrets.choice(words) for _ in range(PASSCODE_WORDS))


def passcode_matches(expected: str, attempt: str) -> bool:
    return hmac.compare_digest(expected.encode("utf-8"), attempt.strip().encode("utf-8"))


@dataclass
class Throttle:
    """Slows down wrong passcodes per browser session and per client address, not server-wide.

    Each key (session, address) gets `free_attempts` misses, then must wait twice as long
    after each further miss (1 s, 2 s, 4 s, ... up to `max_wait`). Past `global_limit`
    misses in `window` seconds server-wide, a session or address with a miss on record is
    refused until the window slides. A browser that signed in before (its id, kept in
    memory) only waits for its own misses: someone in the room cannot lock it out.
    """

    free_attempts: int = 3
    max_wait: float = 300.0
    global_limit: int = 30
    window: float = 3600.0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._keys: dict[tuple[str, object], tuple[int, float, float]] = {}  # failures, next, last
        self._recent: deque[float] = deque()
        self._known: set[str] = set()

    def _wait(self, key: tuple[str, object], now: float) -> float:
        failures, next_allowed, last = self._keys.get(key, (0, 0.0, 0.0))
        return max(0.0, next_allowed - now)

    def _has_failures(self, key: tuple[str, object], now: float) -> bool:
        entry = self._keys.get(key)
        return entry is not None and now - entry[2] < self.window

    def _bump(self, key: tuple[str, object], now: float) -> None:
        failures, _, last = self._keys.get(key, (0, 0.0, 0.0))
        failures = failures + 1 if now - last < self.window else 1
        delay = min(self.max_wait, 2.0 ** (failures - self.free_attempts)) \
            if failures >= self.free_attempts else 0.0
        self._keys[key] = (failures, now + delay, now)

    def wait_seconds(self, now: float | None = None, *, address: str | None = None,
                     session: str | None = None, browser: str | None = None) -> float:
        now = time.monotonic() if now is None else now
        with self._lock:
            if browser is not None and browser in self._known:
                return self._wait(("browser", browser), now)
            while self._recent and now - self._recent[0] >= self.window:
                self._recent.popleft()
            keys = [("session", session), ("address", address)]
            if len(self._recent) >= self.global_limit and any(self._has_failures(k, now) for k in keys):
                return max(1.0, self._recent[0] + self.window - now)
            return max(self._wait(k, now) for k in keys)

    def record(self, ok: bool, now: float | None = None, *, address: str | None = None,
               session: str | None = None, browser: str | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            if ok:
                self._keys.pop(("session", session), None)
                if browser is not None:
                    self._known.add(browser)
                    self._keys.pop(("browser", browser), None)
                return
            if browser is not None and browser in self._known:
                self._bump(("browser", browser), now)
                return
            self._bump(("session", session), now)
            self._bump(("address", address), now)
            self._recent.append(now)
            if len(self._keys) > 10_000:  # forget keys whose misses are older than the window
                self._keys = {k: v for k, v in self._keys.items() if now - v[2] < self.window}
