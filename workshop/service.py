"""Facilitator commands and participant actions: the rules of a live session.

`Workshop` ties the content library, the DuckDB store and the in-memory live
board together. Pages and phone routes call it; it never imports Streamlit.
"""

from __future__ import annotations

import dataclasses
import hashlib
import hmac
import secrets
import threading
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from typing import Any

from workshop.admission import JoinWatch, new_room_secret, room_code_matches
from workshop.admission import room_code as room_code_at
from workshop.agendas import AgendaError, agenda_from_dict, agenda_from_yaml, agenda_to_dict
from workshop.answer_cache import AnswerCache
from workshop.aggregate import aggregate_step, is_shown, rows_for_phones
from workshop.questions import KINDS, kind_of
from workshop.results import StepResults
from workshop.charts import summary_line
from workshop.answers import InvalidAnswer, normalise_answer
from workshop.content import Library
from workshop.live import LiveBoard
from workshop.models import (Agenda, Answer, LiveState, Moderation, Session, SessionSettings, SessionSummary,
                             Status, value_json_of)
from workshop.storage.events import (AnswersStored, Event, JoinsPending, LiveChanged, ModerationChanged,
                                     PauseRequested, PausesCleared, PhonesJoined, ProjectorKeyChanged,
                                     SessionErased, SettingsChanged)
from workshop.join_codes import TOKEN_SHAPE, UnknownCodes, new_join_code, normalise_code
from workshop.refusals import (CLOSED, ENDED, NOT_LIVE, REFUSED, ROOM_CODE_NEEDED, ROOM_CODE_WRONG,
                               UNKNOWN_SESSION, UNKNOWN_TOKEN, JoinWaits, WorkshopError)
from workshop.storage.store import Store

# A waiting phone asks again every 3 s; one silent for this long has gone and is not counted.
PENDING_SEEN_SECONDS = 30
MAX_EXPECTED_SIZE = 5_000

QUEUE_ORDERS = ("frequent", "newest")
PAUSE_WINDOW_SECONDS = 300  # a pause request counts for five minutes
MAX_MIN_ANSWERS = 50

THANKS = "Thank you — you can change your answer until the facilitator closes it."
PASS_THANKS = "Passed — that's always fine. You can still answer until the facilitator closes it."


class Workshop:
    def __init__(self, store: Store, library: Library) -> None:
        self.store = store
        self.library = library
        self.board = LiveBoard()
        self._lock = threading.RLock()
        self._sessions: dict[str, Session] = {}
        self._tokens: dict[str, set[str]] = {}
        # Pause requests live only in memory, never stored or shown: a hash of the
        # phone's token -> when (the hash is what other app servers hear of).
        self._pauses: dict[str, dict[str, float]] = {}
        self._group_cache: dict[str, tuple[int, dict[str, Any] | None]] = {}
        # SHA-256 of each session's projector key, read once: the projector checks it every tick.
        self._projector_keys: dict[str, str] = {}
        self._answers = AnswerCache(store.answers_for_step, store.moderation_states)
        self._room_secrets: dict[str, str] = {}
        self._joining: Counter[str] = Counter()  # joins under way, held against the expected size
        self.join_watch = JoinWatch()
        self.unknown_codes = UnknownCodes()
        store.subscribe(self._on_store_event)

    # -- agendas --------------------------------------------------------------
    def saved_agendas(self) -> tuple[dict[str, Agenda], list[str]]:
        """The facilitators' own agendas that load, and a problem for each one that no longer
        does (e.g. after an exercise was removed from content/)."""
        loaded: dict[str, Agenda] = {}
        problems: list[str] = []
        for data in self.store.saved_agendas():
            try:
                loaded[data["id"]] = agenda_from_dict(data, self.library.exercises,
                                                      f"saved agenda {data['id']!r}")
            except AgendaError as exc:
                problems.append(str(exc))
        return loaded, problems

    def agendas(self, saved: dict[str, Agenda] | None = None) -> dict[str, Agenda]:
        """Built-in agendas from content/, then the facilitators' own (read now unless given)."""
        merged = dict(self.library.agendas)
        for agenda_id, agenda in (self.saved_agendas()[0] if saved is None else saved).items():
            merged.setdefault(agenda_id, agenda)
        return merged

    def save_agenda(self, agenda: Agenda) -> Agenda:
        if agenda.id in self.library.agendas:
            raise WorkshopError("builtin_agenda",
                                f"“{agenda.id}” is a built-in agenda. Save yours under another name.")
        self.store.save_agenda(agenda_to_dict(agenda))
        return agenda

    def import_agenda(self, text: str | bytes, filename: str, replace: bool = False) -> Agenda:
        """Save an agenda file; an id already taken is imported as a copy (`<id>-copy`, then
        `<id>-copy-2`, ...) titled "... (copy)", unless `replace` overwrites a saved one."""
        try:
            agenda = agenda_from_yaml(text, self.library.exercises, filename)
        except AgendaError as exc:
            raise WorkshopError("bad_agenda", str(exc)) from None
        taken = set(self.library.agendas) | {data["id"] for data in self.store.saved_agendas()}
        if agenda.id in taken and not (replace and agenda.id not in self.library.agendas):
            base, number = agenda.id[:52], 1
            new_id = f"{base}-copy"
            while new_id in taken:
                number += 1
                new_id = f"{base}-copy-{number}"
            agenda = dataclasses.replace(agenda, id=new_id, title=f"{agenda.title[:113]} (copy)")
        return self.save_agenda(agenda)

    def delete_agenda(self, agenda_id: str) -> None:
        if agenda_id in self.library.agendas:
            raise WorkshopError("builtin_agenda", "Built-in agendas live in content/agendas/.")
        self.store.delete_agenda(agenda_id)

    # -- sessions -------------------------------------------------------------
    def start_session(self, agenda_id: str, settings: SessionSettings = SessionSettings()) -> Session:
        agenda = self.agendas().get(agenda_id)
        if agenda is None:
            raise WorkshopError("unknown_agenda", f"No agenda with id {agenda_id!r}.")
        _check_settings(settings)
        with self._lock:
            code = new_join_code()
            while code in self._sessions or self.store.session_exists(code):
                code = new_join_code()
            session = self.store.create_session(code, agenda.id, agenda.title, agenda.steps, settings,
                                                room_secret=new_room_secret())
            self.unknown_codes.forget(code)
            self._sessions[code] = session
            self._tokens[code] = set()
            self.board.publish(session.live)
        return session

    def session(self, code: str) -> Session:
        """The session with its current live state; loads it after a restart."""
        code = normalise_code(code)
        if code not in self._sessions and (not code or self.unknown_codes.known_unknown(code)):
            raise UNKNOWN_SESSION  # without taking the lock the facilitator's pages need
        with self._lock:
            cached = self._sessions.get(code)
            if cached is None:
                cached = self.store.load_session(code)
                if cached is None:
                    self.unknown_codes.note(code)
                    raise UNKNOWN_SESSION
                self._sessions[code] = cached
                self._tokens[code] = self.store.participant_tokens(code)
                self.board.publish(cached.live)
            live = self.board.get(code) or cached.live
        return dataclasses.replace(cached, live=live)

    def sessions(self) -> list[SessionSummary]:
        return self.store.list_sessions()

    def participant_count(self, code: str) -> int:
        self.session(code)
        return len(self._tokens.get(normalise_code(code), ()))

    # -- projector link -----------------------------------------------------------
    def new_projector_key(self, code: str) -> str:
        """A fresh projector key for this session; the previous link stops working.

        128 random bits with no relation to the passcode, so a projector URL seen in a tab,
        a browser history or over a shoulder gives away nothing but this one projector.
        Only its SHA-256 is stored (a slow hash is not needed for a random 128-bit key).
        """
        code = self.session(code).code
        key = secrets.token_urlsafe(16)
        digest = _sha256(key)
        self.store.save_projector_key_hash(code, digest)
        with self._lock:
            self._projector_keys[code] = digest
        return key

    def projector_key_matches(self, code: str, key: Any) -> bool:
        code = normalise_code(code)
        if not isinstance(key, str) or not key or len(key) > 64:
            return False
        with self._lock:
            digest = self._projector_keys.get(code)
        if digest is None:
            digest = self.store.projector_key_hash(code) if code else None
            if digest is None:
                return False  # not cached: random codes must not fill memory
            with self._lock:
                self._projector_keys[code] = digest
        return hmac.compare_digest(digest, _sha256(key))

    # -- facilitator commands ---------------------------------------------------
    def _change(self, code: str, **changes: Any) -> LiveState:
        with self._lock:
            live = self.session(code).live
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
        self.apply(self.store.save_settings(self.session(code).code, settings))

    # -- moderation ---------------------------------------------------------------
    def moderation_queue(self, code: str, step_index: int, order: str = "frequent", search: str = "",
                         waiting_only: bool = False) -> list[tuple[str, int, Moderation | None]]:
        """Every distinct word or text of a step with its count and decision, none left out.

        `order` is "frequent" (most sent first) or "newest" (most recently sent first, so a
        real answer typed after a burst of junk is on top); `search` keeps values containing
        it (case-insensitive); `waiting_only` keeps values the projector does not show yet.
        Values, never tokens: the facilitator moderates what was said, not who said it.
        """
        if order not in QUEUE_ORDERS:
            raise ValueError(f"order must be one of {QUEUE_ORDERS}")
        session = self.session(code)
        if not KINDS[session.steps[step_index].type].moderated:
            return []
        answers = self._answers.answers(session.code, step_index)  # in the order last changed
        counts: Counter[str] = Counter()
        newest: dict[str, int] = {}
        for position, answer in enumerate(answers):
            if not answer.passed and answer.value is not None:
                counts[answer.value] += 1
                newest[answer.value] = position
        states = self._answers.moderation(session.code, step_index)
        needle = search.strip().casefold()
        items = [(value, n, states.get(value_json_of(value))) for value, n in counts.items()
                 if needle in value.casefold()]
        if waiting_only:
            items = [item for item in items if self.is_waiting(session, step_index, item[2])]
        if order == "newest":
            return sorted(items, key=lambda item: -newest[item[0]])
        return sorted(items, key=lambda item: (-item[1], item[0]))

    def moderate(self, code: str, step_index: int, value: str, state: Moderation) -> None:
        self.moderate_many(code, step_index, [value], state)

    def moderate_many(self, code: str, step_index: int, values: list[str], state: Moderation) -> None:
        """One decision for many values in one write: "show all waiting", "hide all shown here"."""
        self.apply(self.store.moderate(self.session(code).code, step_index, values, state))

    def holds(self, session: Session, step_index: int) -> bool:
        """Whether this step's typed answers wait for approval (the session's Hold choice)."""
        return session.settings.hold.holds(session.steps[step_index].type)

    def is_value_shown(self, session: Session, step_index: int, state: Moderation | None) -> bool:
        return is_shown(state, self.holds(session, step_index))

    def is_waiting(self, session: Session, step_index: int, state: Moderation | None) -> bool:
        """Not on the projector yet and not hidden: the facilitator still has to decide."""
        return not self.is_value_shown(session, step_index, state) and state is not Moderation.HIDDEN

    # -- retention ------------------------------------------------------------------
    def delete_session(self, code: str) -> None:
        """Erase a session and everything phones sent to it."""
        self.apply(self.store.delete_session(self.session(code).code))

    def _drop(self, code: str) -> None:
        """Forget a deleted session here; its waiting phones wake and learn it is gone."""
        with self._lock:
            self._forget_cached(code)
            for cache in (self._sessions, self._tokens, self._pauses, self._projector_keys,
                          self._room_secrets):
                cache.pop(code, None)
        self.join_watch.forget(code)
        self.board.forget(code)

    def purge_typed_text(self, code: str) -> int:
        """Forget every word and text typed in a session; counts and other answers stay."""
        session = self.session(code)
        typed = sorted({step.id for step in session.steps if KINDS[step.type].moderated})
        purged = self.store.purge_typed_text(session.code, typed)
        self.apply(SessionErased(session.code))
        return purged

    def _forget_cached(self, code: str) -> None:
        """Drop every in-memory copy of a session's answers, including the phones' group snapshot."""
        with self._lock:
            self._answers.forget(code)
            self._group_cache.pop(code, None)

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
        marker = hashlib.sha256(f"{session.code}:{token}".encode()).hexdigest()[:20]
        self.apply(self.store.announce(PauseRequested(session.code, marker)))

    def _note_pause(self, code: str, marker: str) -> None:
        with self._lock:
            self._pauses.setdefault(code, {})[marker] = time.monotonic()

    def pause_count(self, code: str) -> int:
        """How many phones asked for a pause in the last few minutes; no identities."""
        cutoff = time.monotonic() - PAUSE_WINDOW_SECONDS
        with self._lock:
            requests = self._pauses.get(normalise_code(code), {})
            for marker in [m for m, at in requests.items() if at < cutoff]:
                del requests[marker]
            return len(requests)

    def clear_pauses(self, code: str) -> None:
        self.apply(self.store.announce(PausesCleared(normalise_code(code))))

    # -- participants -----------------------------------------------------------
    def join(self, code: str, token: Any = None, *, room_code: Any = None, ticket: Any = None,
             address: str = "") -> tuple[Session, str]:
        """Return the phone's token: the one it had if this session knows it, else a new one.

        A phone that already joined is never asked again. A new phone must type the room code
        if the session asks for one (ROOM_CODE_NEEDED / ROOM_CODE_WRONG), and once the group
        has its expected size it waits (JoinWaits, with a ticket to ask again with) until the
        facilitator lets it in or turns it away (REFUSED). `address` only feeds the in-memory
        join-burst warning.
        """
        session = self.session(code)
        if session.live.ended:
            raise ENDED
        code = session.code
        known = self._tokens[code]
        if isinstance(token, str) and (token in known or self._joined_elsewhere(code, token)):
            return session, token
        settings = session.settings
        if isinstance(ticket, str) and TOKEN_SHAPE.fullmatch(ticket) and \
                self._ticket_admitted(code, ticket, settings.expected_size):
            return session, self._new_token(code)
        if settings.room_code:
            if room_code is None or room_code == "":
                raise ROOM_CODE_NEEDED
            if not room_code_matches(self._room_secret(code), room_code):
                raise ROOM_CODE_WRONG
        self.join_watch.note(code, address)
        if not settings.expected_size:
            return session, self._new_token(code)
        in_database = self._joined_in_database(code)  # (a query: not under the lock)
        with self._lock:  # this server's count and its joins under way, read together
            has_place = max(in_database, len(known)) + self._joining[code] < settings.expected_size
            if has_place:
                self._joining[code] += 1
        if not has_place:
            ticket = secrets.token_urlsafe(18)
            self.store.add_pending_join(code, _sha256(ticket))
            raise JoinWaits(ticket)
        try:
            return session, self._new_token(code)
        finally:
            with self._lock:
                self._joining[code] -= 1

    def _new_token(self, code: str) -> str:
        token = secrets.token_urlsafe(18)
        self.store.add_participant(code, token)
        with self._lock:
            self._tokens[code].add(token)
        return token

    def _joined_in_database(self, code: str) -> int:
        """Phones joined through any server, for the expected size: other servers' joins reach
        this one's memory a moment later (0 with DuckDB, where this server is the only one)."""
        return self.store.participant_count(code) if self.store.shared else 0

    def _ticket_admitted(self, code: str, ticket: str, expected_size: int) -> bool:
        """A waiting phone asks again: True once let in; JoinWaits while waiting; REFUSED if turned
        away. An unknown ticket (already used, or made up) is False: the phone joins afresh.
        A waiting phone is let in by itself once there is room (the facilitator raised the
        expected size, or turned the limit off)."""
        digest = _sha256(ticket)
        state = self.store.pending_join_state(code, digest)
        if state == "waiting":
            if expected_size and max(self._joined_in_database(code), len(self._tokens[code])) >= expected_size:
                raise JoinWaits(ticket)
            state = "admitted"
        if state is None or not self.store.drop_pending_join(code, digest):
            return False  # (dropped by a twin request first: one admission is one phone)
        if state == "refused":
            raise REFUSED
        return True

    def _room_secret(self, code: str) -> str:
        with self._lock:
            secret = self._room_secrets.get(code)
        if secret is None:
            secret = self.store.room_secret(code) or self.store.save_room_secret_if_none(code, new_room_secret())
            with self._lock:
                self._room_secrets[code] = secret
        return secret

    def room_code(self, code: str) -> str | None:
        """The 4-digit code the projector shows now, or None if this session asks for none."""
        session = self.session(code)
        return room_code_at(self._room_secret(session.code)) if session.settings.room_code else None

    def _seen_since(self) -> datetime:
        return datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(seconds=PENDING_SEEN_SECONDS)

    def waiting_joins(self, code: str) -> int:
        """Phones waiting to be let in (still on the page: asked within the last 30 s)."""
        return self.store.waiting_joins(self.session(code).code, self._seen_since())

    def admit_waiting(self, code: str, limit: int | None = None) -> int:
        """Let in the phones waiting longest (`limit` of them, or all); returns how many."""
        return self.store.decide_pending_joins(self.session(code).code, "admitted", self._seen_since(), limit)

    def refuse_waiting(self, code: str) -> int:
        return self.store.decide_pending_joins(self.session(code).code, "refused", self._seen_since())

    def join_burst(self, code: str) -> int:
        """The most new phones that joined from one address in the last two minutes."""
        return self.join_watch.most_from_one_address(normalise_code(code))

    def check_token(self, code: str, token: Any) -> None:
        code = normalise_code(code)
        if not isinstance(token, str) or not (token in self._tokens.get(code, ())
                                              or self._joined_elsewhere(code, token)):
            raise UNKNOWN_TOKEN

    def _joined_elsewhere(self, code: str, token: str) -> bool:
        """A phone that joined through another app server (shared PostgreSQL only)."""
        if not self.store.shared or len(token) > 64 or not self.store.has_participant(code, token):
            return False
        with self._lock:
            self._tokens.setdefault(code, set()).add(token)
        return True

    def submit(self, code: str, token: Any, step_index: Any, value: Any = None,
               passed: bool = False) -> str:
        """Store this phone's answer to the live step; return the message to show."""
        session = self.session(code)
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
        answer = Answer(step_index=session.live.step_index, exercise_id=exercise.id, token=token,
                        value=stored, passed=passed)
        self.store.save_answer(session.code, answer)
        self._answers.record(session.code, answer)
        return PASS_THANKS if passed else THANKS

    def live_view(self, session: Session, token: Any) -> dict[str, Any]:
        """What one phone sees: the live step and its own answer, nothing of others."""
        live = session.live
        view: dict[str, Any] = {"version": live.version, "status": live.status.value,
                                "code": session.code, "title": session.title,
                                "step": None, "answer": None}
        exercise = session.current_exercise
        if live.status is Status.LIVE and exercise is not None:
            view["step"] = {"index": live.step_index, "total": len(session.steps),
                            "open": live.is_open,
                            "exercise": exercise.to_public_dict(kind_of(exercise).phone_settings(exercise))}
            if isinstance(token, str) and token in self._tokens.get(session.code, ()):
                mine = self._answers.answer_of(session.code, live.step_index, token)
                if mine is not None:
                    view["answer"] = {"value": mine.value, "passed": mine.passed}
            if live.results_shown and session.settings.share_with_phones:
                view["group"] = self.group_view(session.code, live.version)
        return view

    def group_view(self, code: str, version: int) -> dict[str, Any] | None:
        """The group's result as phones may see it: a snapshot taken when results are shown.

        Computed once per live version and shared by every phone, not once per phone.
        """
        with self._lock:
            cached = self._group_cache.get(code)
            if cached is not None and cached[0] == version:
                return cached[1]
            results = self.step_results(code, self.session(code).live.step_index)
            group = None if results.suppressed else {"summary": summary_line(results),
                                                     "rows": rows_for_phones(results)}
            self._group_cache[code] = (version, group)
            return group

    # -- other app servers --------------------------------------------------------
    def _on_store_event(self, event: Event | None) -> None:
        """Another app server sharing the database changed a session (PostgreSQL only; runs in
        the store's listener thread). None means the listener reconnected and may have missed
        events, so every cached session is reloaded."""
        if event is None:
            with self._lock:
                self._projector_keys.clear()
                codes = list(self._sessions)
            for code in codes:
                self.apply(SessionErased(code))  # everything read again
                self.apply(PhonesJoined(code))
            return
        self.apply(event)

    def apply(self, event: Event) -> None:
        """Bring this server's memory up to date with one event: the one path for changes made
        here (the live step, settings, moderation, erasure, pauses) and for those another
        server made. Answers and joins made here are recorded directly (the answer or token is
        in hand; reading them all back would cost a query per phone)."""
        with self._lock:
            if isinstance(event, ProjectorKeyChanged):
                self._projector_keys.pop(event.code, None)
                return
            if event.code not in self._sessions:
                return  # never loaded here: it will be read fresh on first use
        match event:
            case SessionErased():
                self._forget_cached(event.code)
                self._reload(event.code)  # gone: dropped; purged: read again
            case LiveChanged() | SettingsChanged():
                self._reload(event.code)
            case AnswersStored(step=step):
                self._answers.forget_step(event.code, step)
            case ModerationChanged(step=step):
                self._answers.forget_moderation(event.code, step)
            case PhonesJoined():
                self._add_tokens(event.code)
            case PauseRequested(marker=marker):
                self._note_pause(event.code, marker)
            case PausesCleared():
                with self._lock:
                    self._pauses.pop(event.code, None)
            case JoinsPending():
                pass  # waiting phones are counted in the database each time

    def _add_tokens(self, code: str) -> None:
        """Learn the phones that joined this session through other servers."""
        tokens = self.store.participant_tokens(code)
        with self._lock:
            if code in self._sessions:
                self._tokens.setdefault(code, set()).update(tokens)

    def _reload(self, code: str) -> None:
        """Read a session again and wake its phones here if its live step moved on."""
        fresh = self.store.load_session(code)
        if fresh is None:  # deleted on another server
            self._drop(code)
            return
        with self._lock:
            self._sessions[code] = fresh
            self._group_cache.pop(code, None)
            current = self.board.get(code)
            if current is None or current.version != fresh.live.version:
                self.board.publish(fresh.live)

    # -- results ----------------------------------------------------------------
    def step_results(self, code: str, step_index: int) -> StepResults:
        session = self.session(code)
        exercise = session.steps[step_index]
        answers = self._answers.answers(session.code, step_index)
        moderation = (self._answers.moderation(session.code, step_index)
                      if kind_of(exercise).moderated else None)
        return aggregate_step(exercise, answers, participants=len(self._tokens[session.code]),
                              min_answers=session.settings.min_answers, moderation=moderation,
                              hold=session.settings.hold)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _check_settings(settings: SessionSettings) -> None:
    if not 1 <= settings.min_answers <= MAX_MIN_ANSWERS:
        raise WorkshopError("bad_settings",
                            f"The minimum number of answers must be between 1 and {MAX_MIN_ANSWERS}.")
    if not 0 <= settings.expected_size <= MAX_EXPECTED_SIZE:
        raise WorkshopError("bad_settings",
                            f"The expected group size must be between 0 (no limit) and {MAX_EXPECTED_SIZE}.")
