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
    """Slows down repeated wrong passcodes for the whole server, not per tab.

    After `free_attempts` failures each further attempt must wait twice as long
    as the previous one (1 s, 2 s, 4 s, ... up to `max_wait`); a success resets.
    """

    free_attempts: int = 3
    max_wait: float = 300.0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._failures = 0
        self._next_allowed = 0.0

    def wait_seconds(self, now: float | None = None) -> float:
        now = time.monotonic() if now is None else now
        with self._lock:
            return max(0.0, self._next_allowed - now)

    def record(self, ok: bool, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self._lock:
            if ok:
                self._failures = 0
                self._next_allowed = 0.0
                return
            self._failures += 1
            if self._failures >= self.free_attempts:
                delay = min(self.max_wait, 2.0 ** (self._failures - self.free_attempts))
                self._next_allowed = now + delay
