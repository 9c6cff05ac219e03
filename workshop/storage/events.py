"""Named events: what a write changed, told to the other app servers over PostgreSQL NOTIFY.

Each write of the store causes one of these (the event class names its NOTIFY kind), and
`Workshop.apply` is the one place that brings this server's memory up to date with it,
whether the change was made here or arrived from another server.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass(frozen=True)
class Event:
    """Something that changed a session (`code`); `kind` is its name on the NOTIFY channel."""

    kind: ClassVar[str]
    code: str


@dataclass(frozen=True)
class LiveChanged(Event):
    kind = "live"


@dataclass(frozen=True)
class SettingsChanged(Event):
    kind = "settings"


@dataclass(frozen=True)
class AnswersStored(Event):
    kind = "answers"
    step: int


@dataclass(frozen=True)
class ModerationChanged(Event):
    kind = "moderation"
    step: int


@dataclass(frozen=True)
class PhonesJoined(Event):
    kind = "joined"


@dataclass(frozen=True)
class JoinsPending(Event):
    """Phones are waiting to be let in, or the facilitator decided on them."""

    kind = "pending"


@dataclass(frozen=True)
class SessionErased(Event):
    """A session was deleted, or its typed text purged."""

    kind = "erased"


@dataclass(frozen=True)
class ProjectorKeyChanged(Event):
    """A new projector link replaced the old one."""

    kind = "projector_key"


@dataclass(frozen=True)
class PauseRequested(Event):
    """Kept in memory only: `marker` is a one-way hash of the phone's token."""

    kind = "pause"
    marker: str


@dataclass(frozen=True)
class PausesCleared(Event):
    kind = "pauses_cleared"


EVENTS: dict[str, type[Event]] = {cls.kind: cls for cls in (
    LiveChanged, SettingsChanged, AnswersStored, ModerationChanged, PhonesJoined, JoinsPending,
    SessionErased, ProjectorKeyChanged, PauseRequested, PausesCleared)}


def encode(origin: str, event: Event) -> str:
    return json.dumps({"origin": origin, "kind": event.kind, **dataclasses.asdict(event)})


def decode(payload: str) -> tuple[str | None, Event | None]:
    """(the sending server's origin, the event); None for a kind this server does not know
    (a newer server sharing the database)."""
    data: dict[str, Any] = json.loads(payload)
    cls = EVENTS.get(data.pop("kind", None))
    origin = data.pop("origin", None)
    if cls is None:
        return origin, None
    names = {f.name for f in dataclasses.fields(cls)}
    return origin, cls(**{name: value for name, value in data.items() if name in names})
