"""Who may join a session: a room code seen only in the room, and a watch on join bursts.

Anyone holding the join link can open many browser tabs and join as several phones, and
made-up phones answering together defeat small-group suppression (k answers before a
chart). Two optional checks make that hard for someone outside the room and visible to the
facilitator for someone inside it:

- a 4-digit **room code** that the projector shows and that changes every two minutes, asked
  of new phones only (a phone that already joined never types it again);
- an **expected group size** (kept in the session's settings, enforced by `Workshop.join`):
  phones beyond it wait until the facilitator lets them in.

`JoinWatch` counts, in memory only, how many phones joined from one network address in the
last few minutes, so the facilitator sees a warning when one person joins many times.
Addresses are kept as salted hashes for minutes and never stored or shown.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque

ROOM_CODE_DIGITS = 4
ROOM_CODE_WINDOW_SECONDS = 120  # long enough to read off the screen and type; short enough to be useless outside
ROOM_CODE_ACCEPTED_WINDOWS = 2  # the current code and the one before: typing across a change still works

BURST_WINDOW_SECONDS = 120.0
BURST_WARNING_JOINS = 4   # new phones from one address within the window before the facilitator is warned
MAX_WATCHED = 5_000       # joins remembered per session; older ones fall off first


def new_room_secret() -> str:
    """A session's room-code secret: 128 random bits, stored with the session (every server
    sharing the database shows and accepts the same code)."""
    return secrets.token_hex(16)


def _window(at: float | None) -> int:
    return int((time.time() if at is None else at) // ROOM_CODE_WINDOW_SECONDS)


def _code_for(secret: str, window: int) -> str:
    digest = hmac.new(secret.encode("ascii"), f"room:{window}".encode("ascii"), hashlib.sha256).digest()
    return f"{int.from_bytes(digest[:8], 'big') % 10 ** ROOM_CODE_DIGITS:0{ROOM_CODE_DIGITS}d}"


def room_code(secret: str, at: float | None = None) -> str:
    """The code the projector shows now: HMAC-SHA256 of the secret and the current window."""
    return _code_for(secret, _window(at))


def room_code_matches(secret: str, typed: object, at: float | None = None) -> bool:
    """Whether a phone typed the code shown now or the one just before it."""
    if not isinstance(typed, str):
        return False
    typed = typed.strip()
    if len(typed) != ROOM_CODE_DIGITS or not (typed.isascii() and typed.isdigit()):
        return False
    now = _window(at)
    return any(hmac.compare_digest(_code_for(secret, now - back), typed)
               for back in range(ROOM_CODE_ACCEPTED_WINDOWS))


def seconds_until_next_code(at: float | None = None) -> int:
    now = time.time() if at is None else at
    return int(ROOM_CODE_WINDOW_SECONDS - now % ROOM_CODE_WINDOW_SECONDS)


class JoinWatch:
    """Recent joins per session and address, in memory, to warn of one person joining many times.

    On a laptop serving its own Wi-Fi each phone has its own address, so four new phones from
    one address within two minutes is one device (or a script). Behind a proxy that is not in
    WORKSHOP_TRUSTED_PROXIES every phone shares the proxy's address and the warning means
    nothing; docs/security.md says so.
    """

    def __init__(self, window: float = BURST_WINDOW_SECONDS, max_watched: int = MAX_WATCHED) -> None:
        self.window = window
        self.max_watched = max_watched
        self._salt = secrets.token_bytes(16)  # per process: the hashes mean nothing elsewhere
        self._joins: dict[str, deque[tuple[float, bytes]]] = {}
        self._lock = threading.Lock()

    def note(self, code: str, address: str) -> None:
        if not address:
            return
        marker = hashlib.blake2b(address.encode("utf-8", "replace"), key=self._salt, digest_size=8).digest()
        with self._lock:
            joins = self._joins.setdefault(code, deque(maxlen=self.max_watched))
            joins.append((time.monotonic(), marker))

    def most_from_one_address(self, code: str) -> int:
        """The largest number of recent joins that came from a single address."""
        cutoff = time.monotonic() - self.window
        with self._lock:
            joins = self._joins.get(code)
            if not joins:
                return 0
            while joins and joins[0][0] < cutoff:
                joins.popleft()
            counts: dict[bytes, int] = {}
            for _, marker in joins:
                counts[marker] = counts.get(marker, 0) + 1
        return max(counts.values(), default=0)

    def forget(self, code: str) -> None:
        with self._lock:
            self._joins.pop(code, None)
