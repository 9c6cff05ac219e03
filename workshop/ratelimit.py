"""In-memory rate limits: nothing about who sent what is ever persisted.

Each key costs one float (the "generic cell rate algorithm": the time at which
the key's budget is whole again), so a flood of keys stays small, and the
number of keys has a hard cap with O(1) eviction of the least recently used.
"""

from __future__ import annotations

import threading
import time


class RateLimiter:
    """Allow at most `limit` events at once per key, refilled at `limit` per `window` seconds."""

    def __init__(self, limit: int, window: float, max_keys: int = 20_000) -> None:
        self.limit = limit
        self.window = window
        self.max_keys = max_keys
        self._interval = window / limit
        # key -> when its budget is whole again; insertion order = least recently used first.
        self._full_at: dict[str, float] = {}
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._full_at)

    def __contains__(self, key: str) -> bool:
        return key in self._full_at

    def _due(self, key: str, now: float) -> float:
        """When the key's budget would be whole again after one more event."""
        return max(self._full_at.get(key, now), now) + self._interval

    def allow(self, key: str, now: float | None = None) -> bool:
        """Count one event for `key`; False (and nothing counted) when its budget is spent."""
        now = time.monotonic() if now is None else now
        with self._lock:
            due = self._due(key, now)
            if due - now > self.window + 1e-9:
                return False
            self._full_at.pop(key, None)
            if len(self._full_at) >= self.max_keys:
                # The oldest entry is the least recently used: dropping it is O(1).
                del self._full_at[next(iter(self._full_at))]
            self._full_at[key] = due
            return True

    def refund(self, key: str) -> None:
        """Take back one event counted by `allow` (e.g. a lookup that found what it sought)."""
        with self._lock:
            if key in self._full_at:
                self._full_at[key] -= self._interval

    def exhausted(self, key: str, now: float | None = None) -> bool:
        """Would the next event for `key` be refused? Counts nothing."""
        now = time.monotonic() if now is None else now
        with self._lock:
            return self._due(key, now) - now > self.window + 1e-9
