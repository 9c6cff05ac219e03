"""Session codes (how they are made, what can be one, a short memory of codes not found) and
the shape of the tokens and tickets issued to phones."""

from __future__ import annotations

import re
import secrets
import threading
import time
from typing import Any

# No 0/O, 1/I/L: a code read off a projector must not be mistyped.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def new_join_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


_CODE_SHAPE = re.compile(r"[A-Z0-9]{1,16}")
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,64}")  # what secrets.token_urlsafe issues: phones' tokens, tickets
UNKNOWN_CODE_TTL_SECONDS = 5.0  # short: another server may create a code meanwhile
MAX_UNKNOWN_CODES = 10_000


def normalise_code(raw: Any) -> str:
    """A code as stored, or "" for anything that cannot be one (never reaches the database)."""
    if not isinstance(raw, str):
        return ""
    code = raw.strip().upper()
    return code if _CODE_SHAPE.fullmatch(code) else ""


class UnknownCodes:
    """Codes recently looked up and not found, so a repeated wrong code costs no query.

    Bounded (oldest dropped first) and short-lived; `queries` counts the lookups that
    did reach the database and found nothing.
    """

    def __init__(self, ttl: float = UNKNOWN_CODE_TTL_SECONDS, max_codes: int = MAX_UNKNOWN_CODES) -> None:
        self.ttl = ttl
        self.max_codes = max_codes
        self.queries = 0
        self._until: dict[str, float] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._until)

    def known_unknown(self, code: str) -> bool:
        with self._lock:
            until = self._until.get(code)
            if until is None:
                return False
            if until > time.monotonic():
                return True
            del self._until[code]
            return False

    def note(self, code: str) -> None:
        with self._lock:
            self.queries += 1
            self._until.pop(code, None)
            while len(self._until) >= self.max_codes:
                del self._until[next(iter(self._until))]
            self._until[code] = time.monotonic() + self.ttl

    def forget(self, code: str) -> None:
        with self._lock:
            self._until.pop(code, None)
