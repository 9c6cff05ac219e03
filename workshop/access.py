"""Who may open the facilitator, projector and report pages.

Phones never need this: they only reach /join and /api/. Everything else is
behind a facilitator passcode (or an OIDC login, see README). The projector
tab opens from the facilitator view with a per-session key, an HMAC of the
session code, so a participant who guesses the URL and a code sees nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from dataclasses import dataclass

PASSCODE_WORDS = ("river", "hub", "rim", "spoke", "flow", "bank", "choir", "window", "wheel", "bridge",
                  "harbour", "lantern", "meadow", "compass", "anchor", "willow", "ember", "tide")


def generate_passcode() -> str:
    """Easy to read aloud, about 40 bits: three words and three digits."""
    words = [secrets.choice(PASSCODE_WORDS) for _ in range(3)]
    return "-".join(words) + f"-{secrets.randbelow(1000):03d}"


def passcode_matches(expected: str, attempt: str) -> bool:
    return hmac.compare_digest(expected.encode("utf-8"), attempt.strip().encode("utf-8"))


def projector_key(secret: str, code: str) -> str:
    """A key that lets this session's projector tab open without typing the passcode."""
    return hmac.new(secret.encode("utf-8"), f"projector:{code}".encode("utf-8"),
                    hashlib.sha256).hexdigest()[:24]


def projector_key_matches(secret: str, code: str, key: str) -> bool:
    return hmac.compare_digest(projector_key(secret, code), key or "")


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
