"""Facilitator commands and participant actions: the rules of a live session.

`Workshop` ties the content library, the store, the rooms (each session's state in this
server's memory) and the live board (the phones waiting for a change) together. Pages and
phone routes call it; it never imports Streamlit.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hmac
import secrets
from datetime import datetime, timezone
from typing import Any

import plotly.graph_objects as go

from workshop.admission import JoinWatch, new_room_secret
from workshop.aggregate import aggregate_step, rows_for_phones
from workshop.answers import InvalidAnswer, normalise_answer
from workshop.charts import summary_line
from workshop.content import Library
from workshop.live import LiveBoard
from workshop.models import Answer, LiveState, Session, SessionSettings, SessionSummary, Status
from workshop.questions import KINDS, figure_for, kind_of
from workshop.refusals import CLOSED, ENDED, NOT_LIVE, WorkshopError
from workshop.results import StepResults
from workshop.join_codes import new_join_code
from workshop.rooms import AnswerKept, Room, RoomEvent, Rooms
from workshop.service.agenda_shelf import AgendaShelf
from workshop.service.joining import Joining, sha256_hex
from workshop.service import phone_view
from workshop.service.moderating import Moderating
from workshop.storage.events import (Event, PauseRequested, PausesCleared, PhonesJoined, ProjectorKeyChanged,
                                     SessionErased)
from workshop.storage.store import Store

MAX_EXPECTED_SIZE = 5_000
MAX_MIN_ANSWERS = 50

THANKS = "Thank you — you can change your answer until the facilitator closes it."
PASS_THANKS = "Passed — that's always fine. You can still answer until the facilitator closes it."


class Workshop(AgendaShelf, Joining, Moderating):
    def __init__(self, store: Store, library: Library) -> None:
        self.store = store
        self.library = library
        self.board = LiveBoard()
        # A room entering memory (started here, or loaded after a restart or from another
        # server) is put on the board at once: phones may wait for it from then on.
        self.rooms = Rooms(store, on_open=lambda room: self.board.publish(room.session.live))
        self.unknown_codes = self.rooms.unknown_codes
        self.join_watch = JoinWatch()
        store.subscribe(self._on_store_event)

    # -- sessions -------------------------------------------------------------
    def start_session(self, agenda_id: str, settings: SessionSettings = SessionSettings()) -> Session:
        agenda = self.agendas().get(agenda_id)
        if agenda is None:
            raise WorkshopError("unknown_agenda", f"No agenda with id {agenda_id!r}.")
        _check_settings(settings)
        code = new_join_code()
        while code in self.rooms or self.store.session_exists(code):
            code = new_join_code()
        session = self.store.create_session(code, agenda.id, agenda.title, agenda.steps, settings,
                                            room_secret=new_room_secret())
        self.rooms.open(session)
        return session

    def room(self, code: str) -> Room:
        """A session's state in memory; loaded on first use (after a restart, or for a session
        another server started). UNKNOWN_SESSION if there is none."""
        return self.rooms.get(code)

    def session(self, code: str) -> Session:
        """The session with its current live state."""
        return self.room(code).session

    def sessions(self) -> list[SessionSummary]:
        return self.store.list_sessions()

    def participant_count(self, code: str) -> int:
        return self.room(code).participants

    # -- projector link -----------------------------------------------------------
    def new_projector_key(self, code: str) -> str:
        """A fresh projector key for this session; the previous link stops working.

        128 random bits with no relation to the passcode, so a projector URL seen in a tab,
        a browser history or over a shoulder gives away nothing but this one projector.
        Only its SHA-256 is stored (a slow hash is not needed for a random 128-bit key).
        """
        code = self.room(code).code
        key = secrets.token_urlsafe(16)
        self.store.save_projector_key_hash(code, sha256_hex(key))
        self.apply(ProjectorKeyChanged(code))
        return key

    def projector_key_matches(self, code: str, key: Any) -> bool:
        if not isinstance(key, str) or not key or len(key) > 64:
            return False
        try:
            digest = self.room(code).projector_digest()
        except WorkshopError:
            return False  # no such session: random codes must not fill memory
        return digest is not None and hmac.compare_digest(digest, sha256_hex(key))

    # -- facilitator commands ---------------------------------------------------
    def _change(self, code: str, **changes: Any) -> LiveState:
        room = self.room(code)
        with room.changing():
            live = room.session.live
            if live.ended:
                raise ENDED
            new = dataclasses.replace(live, version=live.version + 1, **changes)
            self.apply(self.store.save_live(new))  # read back and published, as from another server
            return new

    def go_to_step(self, code: str, index: int) -> LiveState:
        """Show a step; answering opens and results start hidden, to avoid anchoring.

        Going to the step already shown changes nothing: a repeated click must not
        reopen answering, hide results or restart the timer.
        """
        session = self.session(code)
        if not -1 <= index < len(session.steps):
            raise WorkshopError("bad_step", f"There is no step {index + 1}.")
        if index == session.live.step_index and not session.live.ended:
            return session.live
        return self._change(code, step_index=index, is_open=index >= 0, results_shown=False,
                            step_started_at=datetime.now(timezone.utc).replace(tzinfo=None))

    def next_step(self, code: str) -> LiveState:
        session = self.session(code)
        return self.go_to_step(code, min(session.live.step_index + 1, len(session.steps) - 1))

    def previous_step(self, code: str) -> LiveState:
        return self.go_to_step(code, max(self.session(code).live.step_index - 1, -1))

    def set_open(self, code: str, is_open: bool) -> LiveState:
        return self._change(code, is_open=is_open)

    def set_results_shown(self, code: str, shown: bool) -> LiveState:
        return self._change(code, results_shown=shown)

    def set_blank(self, code: str, blank: bool) -> LiveState:
        return self._change(code, blank=blank)

    def set_join_hidden(self, code: str, hidden: bool) -> LiveState:
        """Hide the QR and code beside exercises once everyone has joined (the welcome keeps them)."""
        return self._change(code, join_hidden=hidden)

    def end_session(self, code: str) -> LiveState:
        return self._change(code, is_open=False, ended=True)

    def update_settings(self, code: str, settings: SessionSettings) -> None:
        _check_settings(settings)
        self.apply(self.store.save_settings(self.room(code).code, settings))

    # -- retention ------------------------------------------------------------------
    def delete_session(self, code: str) -> None:
        """Erase a session and everything phones sent to it."""
        self.apply(self.store.delete_session(self.room(code).code))

    def purge_typed_text(self, code: str) -> int:
        """Forget every word and text typed in a session; counts and other answers stay."""
        session = self.session(code)
        typed = sorted({step.id for step in session.steps if KINDS[step.type].moderated})
        purged = self.store.purge_typed_text(session.code, typed)
        self.apply(SessionErased(session.code))
        return purged

    def purge_text_of_sessions_ended_before(self, cutoff: datetime) -> list[str]:
        codes = self.store.sessions_ended_before(cutoff)
        for code in codes:
            self.purge_typed_text(code)
        return codes

    # -- pause signal ---------------------------------------------------------------
    def request_pause(self, code: str, token: Any) -> None:
        session = self.session(code)
        if session.live.ended:
            raise ENDED
        self.check_token(session.code, token)
        marker = sha256_hex(f"{session.code}:{token}")[:20]
        self.apply(self.store.announce(PauseRequested(session.code, marker)))

    def pause_count(self, code: str) -> int:
        """How many phones asked for a pause in the last few minutes; no identities."""
        return self.room(code).pause_count()

    def clear_pauses(self, code: str) -> None:
        self.apply(self.store.announce(PausesCleared(self.room(code).code)))

    # -- answers --------------------------------------------------------------------
    def submit(self, code: str, token: Any, step_index: Any, value: Any = None,
               passed: bool = False) -> str:
        """Store this phone's answer to the live step; return the message to show."""
        code, answer = self._accepted_answer(code, token, step_index, value, passed)
        self.store.save_answer(code, answer)  # returns once stored (group commit)
        return self._kept(code, answer)

    async def submit_async(self, code: str, token: Any, step_index: Any, value: Any = None,
                           passed: bool = False) -> str:
        """`submit` for a caller on an event loop: the checks run from memory, and the wait
        for the group commit holds no thread, so every answer that arrived joins one batch
        (bench/plumbing.py, docs/benchmarks.md). Acknowledged still means stored."""
        code, answer = self._accepted_answer(code, token, step_index, value, passed)
        await asyncio.wrap_future(self.store.save_answer_later(code, answer))
        return self._kept(code, answer)

    def _accepted_answer(self, code: str, token: Any, step_index: Any, value: Any,
                         passed: bool) -> tuple[str, Answer]:
        """The session's code and the answer to store, once the session, token, step and value
        are checked."""
        room = self.room(code)
        session = room.session
        if session.live.ended:
            raise ENDED
        self.check_token(session.code, token)
        exercise = session.current_exercise
        if exercise is None or step_index != session.live.step_index or isinstance(step_index, bool):
            raise NOT_LIVE
        if not session.live.is_open:
            raise CLOSED
        if passed:
            stored = None
        else:
            try:
                stored = normalise_answer(exercise, value)
            except InvalidAnswer as exc:
                raise WorkshopError("invalid_value", str(exc)) from None
        return session.code, Answer(step_index=session.live.step_index, exercise_id=exercise.id,
                                    token=token, value=stored, passed=passed)

    def _kept(self, code: str, answer: Answer) -> str:
        self.apply(AnswerKept(code, answer))
        return PASS_THANKS if answer.passed else THANKS

    def live_view(self, session: Session, token: Any) -> dict[str, Any]:
        """What one phone sees: the live step and its own answer, nothing of others."""
        return phone_view.as_dict(self._shared_part(session), self._own_answer(self.room(session.code), session, token))

    def live_view_json(self, code: str, token: Any) -> bytes:
        """`live_view` of the session as it is now, as the JSON bytes a phone is sent: the part
        every phone shares is encoded once per state of the session (workshop/service/phone_view.py)."""
        room = self.room(code)
        session, shared = room.shared_view(lambda now: phone_view.encoded_parts(self._shared_part(now)))
        return phone_view.encoded(shared, self._own_answer(room, session, token))

    def _shared_part(self, session: Session) -> dict[str, Any]:
        """The view every phone of the session is sent, with the group's counts when shared."""
        group = (self.group_view(session.code, session.live.version) if phone_view.shows_group(session)
                 else phone_view.NOT_SHARED)
        return phone_view.shared_part(session, group)

    @staticmethod
    def _own_answer(room: Room, session: Session, token: Any) -> dict[str, Any] | None:
        live = session.live
        if live.status is not Status.LIVE or session.current_exercise is None:
            return None
        mine = room.answer_of(live.step_index, token) if room.knows(token) else None
        return None if mine is None else {"value": mine.value, "passed": mine.passed}

    def group_view(self, code: str, version: int) -> dict[str, Any] | None:
        """The group's result as phones may see it: a snapshot taken when results are shown,
        once per live version and shared by every phone, not once per phone."""
        room = self.room(code)

        def snapshot() -> dict[str, Any] | None:
            results = self.step_results(code, room.session.live.step_index)
            return None if results.suppressed else {"summary": summary_line(results),
                                                    "rows": rows_for_phones(results)}
        return room.group_snapshot(version, snapshot)

    # -- results ----------------------------------------------------------------
    def step_results(self, code: str, step_index: int) -> StepResults:
        """One step's results, tallied once per change of the room (a refresh when nothing
        changed reads them from memory)."""
        room = self.room(code)

        def tally() -> StepResults:
            session = room.session
            exercise = session.steps[step_index]
            moderation = room.moderation(step_index) if kind_of(exercise).moderated else None
            return aggregate_step(exercise, room.answers(step_index), participants=room.participants,
                                  min_answers=session.settings.min_answers, moderation=moderation,
                                  hold=session.settings.hold)
        return room.derived(("results", step_index), tally)

    def step_figure(self, code: str, step_index: int, height: int | None = None) -> go.Figure | None:
        """The step's chart (None: a text wall), drawn `height` px tall, once per change of the
        room and shared by every projector and preview: never change the figure returned."""
        room = self.room(code)

        def draw() -> go.Figure | None:
            figure = figure_for(self.step_results(code, step_index))
            if figure is not None and height:
                figure.update_layout(height=height)
            return figure
        return room.derived(("figure", step_index, height), draw)

    # -- the one path for changes ----------------------------------------------------
    def apply(self, event: RoomEvent) -> None:
        """Bring this server's memory up to date with one event: changes made here (the store's
        writes return the event they caused) and those another server made go the same way. A
        session never loaded here is left alone: it is read fresh on first use."""
        room = self.rooms.loaded(event.code)
        if room is None:
            return
        room.apply(event)
        if room.gone:  # deleted: its waiting phones wake and learn it is gone
            self.rooms.close(room.code)
            self.join_watch.forget(room.code)
            self.board.forget(room.code)
            return
        current = self.board.get(room.code)
        if current is None or current.version != room.session.live.version:
            self.board.publish(room.session.live)  # wakes the phones waiting here

    def _on_store_event(self, event: Event | None) -> None:
        """Another app server sharing the database changed a session (PostgreSQL only; runs in
        the store's listener thread). None means the listener reconnected and may have missed
        events, so every room is read again."""
        if event is not None:
            self.apply(event)
            return
        for room in self.rooms.all():
            for missed in (SessionErased(room.code), PhonesJoined(room.code), ProjectorKeyChanged(room.code)):
                self.apply(missed)


def _check_settings(settings: SessionSettings) -> None:
    if not 1 <= settings.min_answers <= MAX_MIN_ANSWERS:
        raise WorkshopError("bad_settings",
                            f"The minimum number of answers must be between 1 and {MAX_MIN_ANSWERS}.")
    if not 0 <= settings.expected_size <= MAX_EXPECTED_SIZE:
        raise WorkshopError("bad_settings",
                            f"The expected group size must be between 0 (no limit) and {MAX_EXPECTED_SIZE}.")
