"""Everything this server holds in memory about one session: its room.

A `Room` holds the session and its live step, the phones' tokens, their latest answer per
step, the moderation decisions, pause requests, the projector key's hash and the room-code
secret. It changes only by `apply(event)`: the events the store returns for writes made
here, the same events heard from another server over NOTIFY, and two local ones that carry
what only this server has in hand (`AnswerKept`, `TokenIssued`: reading every answer or
token back from the database would cost a query per phone).

Every change bumps `changes`, and what is derived from the room (a step's results, its
figure) is cached against that counter: a projector refresh when nothing changed is a
dictionary lookup instead of a tally and a Plotly figure (25-120 ms for a chart of 300-1,000
answers; bench/projector_tick.py, docs/benchmarks.md).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar

from workshop.join_codes import UnknownCodes, normalise_code
from workshop.models import Answer, Moderation, Session
from workshop.refusals import UNKNOWN_SESSION
from workshop.storage.events import (AnswersStored, Event, JoinsPending, LiveChanged, ModerationChanged,
                                     PauseRequested, PausesCleared, PhonesJoined, ProjectorKeyChanged,
                                     SessionErased, SettingsChanged)
from workshop.storage.store import Store

PAUSE_WINDOW_SECONDS = 300  # a pause request counts for five minutes

T = TypeVar("T")


@dataclass(frozen=True)
class AnswerKept:
    """This server stored a phone's answer: it replaces the phone's earlier one, and moves last.
    (Other servers hear `AnswersStored(step)`, never the answer or the token.)"""
    code: str
    answer: Answer


@dataclass(frozen=True)
class TokenIssued:
    """A phone's token became known here: this server let it in (other servers hear
    `PhonesJoined`), or it joined through another server and was found in the database."""
    code: str
    token: str


RoomEvent = Event | AnswerKept | TokenIssued


class Room:
    """One session's state in this server's memory; see the module docstring."""

    def __init__(self, session: Session, store: Store) -> None:
        self.code = session.code
        self.session = session          # with its live state; replaced, never changed in place
        self.gone = False               # deleted (here or on another server)
        self.changes = 0
        self._store = store
        self._lock = threading.RLock()
        self._tokens: set[str] = store.participant_tokens(self.code)
        self._answers: dict[int, dict[str, Answer]] = {}   # step -> token -> latest, last changed last
        self._moderation: dict[int, dict[str, Moderation]] = {}
        # Pause requests live only in memory, never stored or shown: a hash of the phone's
        # token -> when (the hash is what other app servers hear of).
        self._pauses: dict[str, float] = {}
        self._projector_digest: str | None = None
        self._room_secret: str | None = None
        self._joining = 0               # joins under way here, held against the expected size
        self._derived: dict[Hashable, tuple[int, Any]] = {}
        self._group: tuple[int, Any] | None = None
        self._view: tuple[Session, Any] | None = None

    # -- what pages and phones read ---------------------------------------------------
    @property
    def participants(self) -> int:
        return len(self._tokens)

    def knows(self, token: Any) -> bool:
        return isinstance(token, str) and token in self._tokens

    def answers(self, step: int) -> list[Answer]:
        """The latest answer of each phone to a step, in the order they were last changed."""
        with self._lock:
            return list(self._step(step).values())

    def answer_of(self, step: int, token: str) -> Answer | None:
        with self._lock:
            return self._step(step).get(token)

    def moderation(self, step: int) -> dict[str, Moderation]:
        with self._lock:
            if step not in self._moderation:
                self._moderation[step] = self._store.moderation_states(self.code, step)
            return dict(self._moderation[step])

    def pause_count(self) -> int:
        """How many phones asked for a pause in the last few minutes; no identities."""
        cutoff = time.monotonic() - PAUSE_WINDOW_SECONDS
        with self._lock:
            for marker in [m for m, at in self._pauses.items() if at < cutoff]:
                del self._pauses[marker]
            return len(self._pauses)

    def projector_digest(self) -> str | None:
        """SHA-256 of the projector key, read once: the projector checks it every refresh."""
        with self._lock:
            if self._projector_digest is None:
                self._projector_digest = self._store.projector_key_hash(self.code)
            return self._projector_digest

    def room_secret(self, new_secret: Callable[[], str]) -> str:
        """The secret the room code is made from; a session older than room codes gets one."""
        with self._lock:
            if self._room_secret is None:
                self._room_secret = (self._store.room_secret(self.code)
                                     or self._store.save_room_secret_if_none(self.code, new_secret()))
            return self._room_secret

    def derived(self, key: Hashable, compute: Callable[[], T]) -> T:
        """`compute()`, cached until the room next changes. Callers share the value: never
        change it."""
        with self._lock:
            cached = self._derived.get(key)
            if cached is not None and cached[0] == self.changes:
                return cached[1]
            value = compute()
            self._derived[key] = (self.changes, value)
            return value

    def group_snapshot(self, version: int, compute: Callable[[], T]) -> T:
        """The group's result phones see, taken once per live version and shared by every
        phone (later answers do not change it until the live step changes)."""
        with self._lock:
            if self._group is None or self._group[0] != version:
                self._group = (version, compute())
            return self._group[1]

    def shared_view(self, compute: Callable[[Session], T]) -> tuple[Session, T]:
        """What every phone is sent of the session as it is now (all but the phone's own answer),
        computed once per state: the session is replaced on every change, never changed in
        place, so the one it was computed from says whether it still holds."""
        with self._lock:
            session = self.session
            if self._view is None or self._view[0] is not session:
                self._view = (session, compute(session))
            return self._view

    def changing(self) -> threading.RLock:
        """Held while a command reads the live state and writes the next one, so that two
        clicks at once make two versions, not one version twice."""
        return self._lock

    # -- joins under way ------------------------------------------------------------
    def hold_place(self, joined: int, expected_size: int) -> bool:
        """Reserve a place for a join under way if the group is not full yet."""
        with self._lock:
            if max(joined, len(self._tokens)) + self._joining >= expected_size:
                return False
            self._joining += 1
            return True

    def release_place(self) -> None:
        with self._lock:
            self._joining -= 1

    # -- the one way in ------------------------------------------------------------------
    def apply(self, event: RoomEvent) -> None:
        """Bring the room up to date with one event, made here or on another server."""
        with self._lock:
            self.changes += 1
            match event:
                case AnswerKept(answer=answer):
                    step = self._answers.get(answer.step_index)
                    if step is not None:  # not in memory: its next read loads it, this one included
                        step.pop(answer.token, None)
                        step[answer.token] = answer
                case TokenIssued(token=token):
                    self._tokens.add(token)
                case LiveChanged() | SettingsChanged():
                    self._reread()
                case SessionErased():
                    self._answers.clear()
                    self._moderation.clear()
                    self._reread()  # gone: deleted; purged: read again
                case AnswersStored(step=step):
                    self._answers.pop(step, None)
                case ModerationChanged(step=step):
                    self._moderation.pop(step, None)
                case PhonesJoined():
                    self._tokens |= self._store.participant_tokens(self.code)
                case PauseRequested(marker=marker):
                    self._pauses[marker] = time.monotonic()
                case PausesCleared():
                    self._pauses.clear()
                case ProjectorKeyChanged():
                    self._projector_digest = None
                case JoinsPending():
                    pass  # waiting phones are counted in the database each time

    def _reread(self) -> None:
        fresh = self._store.load_session(self.code)
        self._group = self._view = None
        if fresh is None:
            self.gone = True
        else:
            self.session = fresh

    def _step(self, step: int) -> dict[str, Answer]:
        answers = self._answers.get(step)
        if answers is None:
            answers = self._answers[step] = {a.token: a for a in self._store.answers_for_step(self.code, step)}
        return answers


class Rooms:
    """The rooms of the sessions this server has used, loaded on first use (after a restart, or
    for a session started on another server)."""

    def __init__(self, store: Store, on_open: Callable[[Room], None] = lambda room: None) -> None:
        self._store = store
        self._on_open = on_open   # told once of each room as it enters memory, loaded or opened
        self._lock = threading.Lock()
        self._rooms: dict[str, Room] = {}
        self.unknown_codes = UnknownCodes()

    def get(self, code: str) -> Room:
        """The room of a session; UNKNOWN_SESSION if there is none (also for a recent miss,
        without a query: a phone retrying a wrong code must not reach the database)."""
        code = normalise_code(code)
        room = self._rooms.get(code)
        if room is not None:
            return room
        if not code or self.unknown_codes.known_unknown(code):
            raise UNKNOWN_SESSION
        with self._lock:
            room = self._rooms.get(code)
            if room is not None:
                return room
            session = self._store.load_session(code)
            if session is None:
                self.unknown_codes.note(code)
                raise UNKNOWN_SESSION
            room = Room(session, self._store)
            self._on_open(room)   # before it is in _rooms: nobody gets a room the board lacks
            self._rooms[code] = room
        return room

    def loaded(self, code: str) -> Room | None:
        return self._rooms.get(code)

    def open(self, session: Session) -> Room:
        """The room of a session started here."""
        room = Room(session, self._store)
        with self._lock:
            self.unknown_codes.forget(session.code)
            self._on_open(room)
            self._rooms[session.code] = room
        return room

    def close(self, code: str) -> None:
        with self._lock:
            self._rooms.pop(code, None)

    def all(self) -> list[Room]:
        with self._lock:
            return list(self._rooms.values())

    def __contains__(self, code: str) -> bool:
        return code in self._rooms
