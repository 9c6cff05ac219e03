"""What one app server tells the others through the database, and how it travels (JSON over
PostgreSQL NOTIFY)."""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class StoreEvent:
    """A change another app server made to a session: what to reload from the database.

    kind: "live" (the live step), "settings", "answers" and "moderation" (of `step`),
    "joined" (new phones), "pending" (phones waiting to be let in, or a decision on them),
    "erased" (a deleted session or purged text) or "projector_key" (a new projector link
    replaced the old one).
    """

    kind: str
    code: str
    step: int | None = None
    detail: str | None = None


def encode(origin: str, event: StoreEvent) -> str:
    return json.dumps({"origin": origin, "kind": event.kind, "code": event.code, "step": event.step,
                       "detail": event.detail})


def decode(payload: str) -> tuple[str | None, StoreEvent]:
    """(the sending server's origin, the event)."""
    data = json.loads(payload)
    return data.get("origin"), StoreEvent(data["kind"], data["code"], data.get("step"), data.get("detail"))
