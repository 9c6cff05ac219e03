"""Domain objects: exercises, agendas, sessions, the live step and answers."""

from __future__ import annotations

import json

from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from typing import Any

DOMAIN_LABELS: dict[str, str] = {
    "consciousness": "Consciousness",
    "bilateral": "Bilateral (horizontal)",
    "vertical": "Vertical",
    "memory": "Memory",
    "narrative": "Narrative",
    "state": "State",
    "interpersonal": "Interpersonal",
    "temporal": "Temporal",
    "transpirational": "Transpirational (identity / MWe)",
    "general": "Whole workshop",
}

NINE_DOMAINS: tuple[str, ...] = tuple(d for d in DOMAIN_LABELS if d != "general")


class QuestionType(str, Enum):
    SCALE = "scale"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    WORD = "word"
    TEXT = "text"
    SPECTRUM = "spectrum"
    POSITION2D = "position2d"
    WINDOW = "window"
    POINTS = "points"
    RANKING = "ranking"
    MOOD = "mood"
    STATEMENTS = "statements"

    @property
    def label(self) -> str:
        return {
            "scale": "Scale",
            "single_choice": "Single choice",
            "multiple_choice": "Multiple choice",
            "word": "A word",
            "text": "Short text",
            "spectrum": "Spectrum position",
            "position2d": "2-D position",
            "window": "Window of tolerance",
            "points": "Points to share",
            "ranking": "Ranking",
            "mood": "Mood map",
            "statements": "Statements on one scale",
        }[self.value]


@dataclass(frozen=True)
class Exercise:
    id: str
    title: str
    type: QuestionType
    prompt: str
    domain: str
    settings: dict[str, Any]
    minutes: int
    notes: str
    content_note: str | None = None
    source: str = field(default="", compare=False)  # where it was read from, for error messages

    @property
    def domain_label(self) -> str:
        return DOMAIN_LABELS[self.domain]

    def to_public_dict(self, settings: dict[str, Any] | None = None) -> dict[str, Any]:
        """What a phone may see: never the facilitator notes. `settings` are what its kind sends
        phones (workshop/questions/, limits included); the stored ones by default."""
        return {
            "id": self.id,
            "type": self.type.value,
            "title": self.title,
            "prompt": self.prompt,
            "domain": self.domain,
            "domain_label": self.domain_label,
            "content_note": self.content_note,
            "settings": dict(self.settings if settings is None else settings),
        }

    def to_dict(self) -> dict[str, Any]:
        data = self.to_public_dict()
        del data["domain_label"]
        data.update(minutes=self.minutes, notes=self.notes)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Exercise:
        """Rebuild a snapshot stored with a session (already validated at load)."""
        return cls(
            id=data["id"], title=data["title"], type=QuestionType(data["type"]),
            prompt=data["prompt"], domain=data["domain"], settings=dict(data["settings"]),
            minutes=int(data["minutes"]), notes=data["notes"],
            content_note=data.get("content_note"),
        )


@dataclass(frozen=True)
class Agenda:
    id: str
    title: str
    description: str
    minutes: int
    steps: tuple[Exercise, ...]
    source: str = field(default="", compare=False)


class Status(str, Enum):
    WAITING = "waiting"
    LIVE = "live"
    ENDED = "ended"


@dataclass(frozen=True)
class LiveState:
    """Where a session stands: which step is on, and what phones may do.

    `step_index` is -1 before the first exercise. `version` grows with every
    change so phones can long-poll for "anything new since version V".
    """

    code: str
    step_index: int
    is_open: bool
    results_shown: bool
    ended: bool
    version: int
    blank: bool = False                       # projector shows nothing at all
    step_started_at: datetime | None = None   # for the presenter's timer
    join_hidden: bool = False                 # projector hides the QR and code during exercises

    @property
    def status(self) -> Status:
        if self.ended:
            return Status.ENDED
        return Status.WAITING if self.step_index < 0 else Status.LIVE


class Hold(str, Enum):
    """Which typed answers wait for the facilitator's approval before the projector shows them."""

    WORDS_AND_TEXTS = "words_and_texts"  # the default: nothing typed reaches the room unseen
    TEXTS = "texts"                      # single words go straight to the word cloud
    NOTHING = "nothing"                  # every word and text is shown until hidden

    @property
    def label(self) -> str:
        return {"words_and_texts": "Words and texts", "texts": "Texts only", "nothing": "Nothing"}[self.value]

    def holds(self, kind: QuestionType) -> bool:
        return (kind is QuestionType.TEXT and self is not Hold.NOTHING) or \
            (kind is QuestionType.WORD and self is Hold.WORDS_AND_TEXTS)


@dataclass(frozen=True)
class SessionSettings:
    """Per-session privacy choices, set by the facilitator."""

    min_answers: int = 3      # no chart or text wall below this many answers
    hold: Hold = Hold.WORDS_AND_TEXTS  # typed answers that wait for approval before the projector shows them
    share_with_phones: bool = False  # phones also see the group's result when it is shown
    room_code: bool = False   # new phones type the 4-digit code the projector shows (workshop/admission.py)
    expected_size: int = 0    # phones beyond this many wait for the facilitator; 0: no limit


@dataclass(frozen=True)
class Session:
    code: str
    agenda_id: str
    title: str
    steps: tuple[Exercise, ...]
    created_at: datetime
    live: LiveState
    settings: SessionSettings = SessionSettings()

    @property
    def current_exercise(self) -> Exercise | None:
        index = self.live.step_index
        if self.live.ended or not 0 <= index < len(self.steps):
            return None
        return self.steps[index]


@dataclass(frozen=True)
class Answer:
    """One phone's latest answer to one step; `value` is None for a pass."""

    step_index: int
    exercise_id: str
    token: str
    value: Any
    passed: bool
    answered_at: datetime | None = None


def value_json_of(value: Any) -> str:
    """The one serialisation of an answer value, so equal answers compare equal."""
    return json.dumps(value, ensure_ascii=False)


class Moderation(str, Enum):
    PENDING = "pending"
    APPROVED = "approved"
    HIDDEN = "hidden"


@dataclass(frozen=True)
class SessionSummary:
    code: str
    title: str
    created_at: datetime
    ended: bool
    participants: int
    answers: int      # real answers, passes not included
    passes: int = 0
