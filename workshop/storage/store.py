"""Every query of the app, in the SQL DuckDB and PostgreSQL share, behind one `Store`.

The SQL is written once, with `?` placeholders; `connections.py` carries it to whichever
database `WORKSHOP_DATABASE_URL` names. Where the dialects differ the difference is named in
`schema.py` (`MIGRATION_LOCK`, `ERASE`). With PostgreSQL several app servers share one
database, so every write also notifies the others (`events`: each write returns the event it
caused, and the same event travels to the other servers).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from workshop.storage.connections import connect
from workshop.storage.events import (AnswersStored, Event, JoinsPending, LiveChanged, ModerationChanged,
                                     PhonesJoined, ProjectorKeyChanged, SessionErased, SettingsChanged, decode,
                                     encode)
from workshop.storage.exports import export_rows
from workshop.storage.protocol import Database, Transaction
from workshop.storage.schema import ERASE, migrate
from workshop.storage.upserts import INSERT_PARTICIPANTS, UPSERT_ANSWERS, UPSERT_MODERATION, insert_rows
from workshop.storage.writer import GroupCommit
from workshop.models import (
    Answer,
    Exercise,
    Hold,
    LiveState,
    Moderation,
    QuestionType,
    Session,
    SessionSettings,
    SessionSummary,
    value_json_of,
)

# One SessionSummary per row: counts of phones joined, of real answers and of passes.
_SESSION_SUMMARIES = """
    SELECT s.code, s.title, s.created_at, s.ended_at IS NOT NULL,
           (SELECT count(*) FROM participants p WHERE p.session_code = s.code),
           (SELECT count(*) FROM answers a WHERE a.session_code = s.code AND NOT a.passed),
           (SELECT count(*) FROM answers a WHERE a.session_code = s.code AND a.passed)
    FROM sessions s
"""

def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Store:
    """Owns the database: a DuckDB file path or a postgresql:// URL. Safe to share between threads."""

    def __init__(self, target: Path | str) -> None:
        self.target = target
        self.db: Database = connect(target)
        self.dialect = self.db.dialect
        self.origin = secrets.token_hex(8)  # tells this server's own notifications apart
        self._closed = False
        migrate(self.db)
        if self.db.erasure_interrupted():  # a delete or purge died before its rewrite ended
            self.db.finish_erasure(ERASE[self.dialect])
        self._answers = GroupCommit(self._upsert_answers, "answer-writer")
        self._joins = GroupCommit(self._insert_participants, "join-writer")

    # -- plumbing -----------------------------------------------------------
    def _one(self, sql: str, params: Sequence[Any] = ()) -> tuple[Any, ...] | None:
        rows = self.db.fetchall(sql, params)
        return rows[0] if rows else None

    @property
    def shared(self) -> bool:
        """Whether other app servers may write to this database too."""
        return self.dialect != "duckdb"

    def _notify(self, tx: Transaction, event: Event) -> Event:
        """Tell the other servers of `event` once `tx` commits; returns it for this server."""
        tx.notify(encode(self.origin, event))
        return event

    def announce(self, event: Event) -> Event:
        """Tell other app servers of something kept only in memory (a pause request)."""
        if self.shared:
            with self.db.transaction() as tx:
                self._notify(tx, event)
        return event

    def subscribe(self, handler: Callable[[Event | None], None]) -> None:
        """Hear what other app servers change; None means events may have been missed (reload all).

        Only PostgreSQL has other servers to hear from; with DuckDB this never calls back.
        """
        def on_payload(payload: str | None) -> None:
            if payload is None:
                handler(None)
                return
            origin, event = decode(payload)
            if origin != self.origin and event is not None:
                handler(event)

        self.db.listen(on_payload)

    def schema_version(self) -> int:
        return self._one("SELECT max(version) FROM schema_version")[0]

    def close(self) -> None:
        """Write what is queued, then close; closing twice is harmless."""
        if self._closed:
            return
        self._closed = True
        self._answers.stop()
        self._joins.stop()
        self.db.close()

    # -- sessions -----------------------------------------------------------
    def create_session(self, code: str, agenda_id: str, title: str, steps: tuple[Exercise, ...],
                       settings: SessionSettings = SessionSettings(), room_secret: str | None = None) -> Session:
        created = _now()
        steps_json = json.dumps([step.to_dict() for step in steps])
        with self.db.transaction() as tx:
            tx.execute(
                "INSERT INTO sessions (code, agenda_id, title, steps_json, created_at, min_answers, "
                "hold, share_with_phones, room_code, expected_size, room_secret) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [code, agenda_id, title, steps_json, created, settings.min_answers, settings.hold.value,
                 settings.share_with_phones, settings.room_code, settings.expected_size, room_secret])
        live = LiveState(code=code, step_index=-1, is_open=False, results_shown=False,
                         ended=False, version=0)
        return Session(code=code, agenda_id=agenda_id, title=title, steps=steps,
                       created_at=created, live=live, settings=settings)

    def session_exists(self, code: str) -> bool:
        return self._one("SELECT 1 FROM sessions WHERE code = ?", [code]) is not None

    def load_session(self, code: str) -> Session | None:
        row = self._one(
            "SELECT code, agenda_id, title, steps_json, created_at, step_index, is_open, "
            "results_shown, ended_at IS NOT NULL, version, blank, step_started_at, min_answers, "
            "hold, share_with_phones, join_hidden, room_code, expected_size FROM sessions "
            "WHERE code = ?",
            [code])
        if row is None:
            return None
        (code, agenda_id, title, steps_json, created, index, is_open, shown, ended, version,
         blank, step_started_at, min_answers, hold, share, join_hidden, room_code, expected_size) = row
        steps = tuple(Exercise.from_dict(item) for item in json.loads(steps_json))
        live = LiveState(code=code, step_index=index, is_open=is_open, results_shown=shown,
                         ended=ended, version=version, blank=blank, step_started_at=step_started_at,
                         join_hidden=join_hidden)
        return Session(code=code, agenda_id=agenda_id, title=title, steps=steps,
                       created_at=created, live=live,
                       settings=SessionSettings(min_answers=min_answers, hold=Hold(hold),
                                                share_with_phones=share, room_code=room_code,
                                                expected_size=expected_size))

    def save_settings(self, code: str, settings: SessionSettings) -> SettingsChanged:
        with self.db.transaction() as tx:
            tx.execute("UPDATE sessions SET min_answers = ?, hold = ?, share_with_phones = ?, "
                       "room_code = ?, expected_size = ? WHERE code = ?",
                       [settings.min_answers, settings.hold.value, settings.share_with_phones,
                        settings.room_code, settings.expected_size, code])
            return self._notify(tx, SettingsChanged(code))

    def room_secret(self, code: str) -> str | None:
        row = self._one("SELECT room_secret FROM sessions WHERE code = ?", [code])
        return row[0] if row else None

    def save_room_secret_if_none(self, code: str, secret: str) -> str | None:
        """Give a session made before migration 6 its secret; the first server to do so wins."""
        with self.db.transaction() as tx:
            tx.execute("UPDATE sessions SET room_secret = coalesce(room_secret, ?) WHERE code = ?",
                       [secret, code])
        return self.room_secret(code)

    def save_live(self, live: LiveState) -> LiveChanged:
        with self.db.transaction() as tx:
            tx.execute(
                "UPDATE sessions SET step_index = ?, is_open = ?, results_shown = ?, version = ?, "
                "blank = ?, step_started_at = ?, join_hidden = ?, "
                "ended_at = CASE WHEN ? THEN coalesce(ended_at, ?) ELSE NULL END WHERE code = ?",
                [live.step_index, live.is_open, live.results_shown, live.version, live.blank,
                 live.step_started_at, live.join_hidden, live.ended, _now(), live.code])
            return self._notify(tx, LiveChanged(live.code))

    def save_projector_key_hash(self, code: str, digest: str) -> None:
        """Replace the session's projector key: the old link stops working (on every server)."""
        with self.db.transaction() as tx:
            tx.execute("UPDATE sessions SET projector_key_sha256 = ? WHERE code = ?", [digest, code])
            self._notify(tx, ProjectorKeyChanged(code))

    def projector_key_hash(self, code: str) -> str | None:
        row = self._one("SELECT projector_key_sha256 FROM sessions WHERE code = ?", [code])
        return row[0] if row else None

    def list_sessions(self) -> list[SessionSummary]:
        rows = self.db.fetchall(_SESSION_SUMMARIES + " ORDER BY s.created_at DESC")
        return [SessionSummary(*row) for row in rows]

    # -- participants -------------------------------------------------------
    def add_participant(self, code: str, token: str) -> None:
        """Returns once the phone is stored; phones joining together share one commit."""
        self._joins.write((code, token, _now()))

    def _insert_participants(self, rows: list[tuple[Any, ...]]) -> None:
        with self.db.transaction() as tx:
            insert_rows(tx, INSERT_PARTICIPANTS, rows)
            for code in sorted({row[0] for row in rows}):
                self._notify(tx, PhonesJoined(code))

    def participant_tokens(self, code: str) -> set[str]:
        rows = self.db.fetchall("SELECT token FROM participants WHERE session_code = ?", [code])
        return {row[0] for row in rows}

    def participant_count(self, code: str) -> int:
        return self._one("SELECT count(*) FROM participants WHERE session_code = ?", [code])[0]

    def has_participant(self, code: str, token: str) -> bool:
        return self._one("SELECT 1 FROM participants WHERE session_code = ? AND token = ?",
                         [code, token]) is not None

    # -- phones waiting to be let in -----------------------------------------
    def add_pending_join(self, code: str, ticket_sha256: str) -> None:
        now = _now()
        with self.db.transaction() as tx:
            tx.execute("INSERT INTO pending_joins VALUES (?, ?, ?, ?, 'waiting')",
                       [code, ticket_sha256, now, now])
            self._notify(tx, JoinsPending(code))

    def pending_join_state(self, code: str, ticket_sha256: str) -> str | None:
        """'waiting', 'admitted' or 'refused'; a waiting phone's asking also marks it as still there."""
        with self.db.transaction() as tx:
            rows = tx.execute("UPDATE pending_joins SET seen_at = ? WHERE session_code = ? "
                              "AND ticket_sha256 = ? RETURNING state", [_now(), code, ticket_sha256])
        return rows[0][0] if rows else None

    def drop_pending_join(self, code: str, ticket_sha256: str) -> bool:
        """The phone has heard the decision: nothing of it is kept. False if already dropped."""
        with self.db.transaction() as tx:
            rows = tx.execute("DELETE FROM pending_joins WHERE session_code = ? AND ticket_sha256 = ? "
                              "RETURNING 1", [code, ticket_sha256])
            if rows:
                self._notify(tx, JoinsPending(code))
        return bool(rows)

    def waiting_joins(self, code: str, seen_since: datetime) -> int:
        return self._one("SELECT count(*) FROM pending_joins WHERE session_code = ? AND state = 'waiting' "
                         "AND seen_at >= ?", [code, seen_since])[0]

    def decide_pending_joins(self, code: str, state: str, seen_since: datetime, limit: int | None = None) -> int:
        """Admit or refuse the phones still waiting, oldest first (`limit` of them, or all)."""
        with self.db.transaction() as tx:
            rows = tx.execute(
                "UPDATE pending_joins SET state = ? WHERE session_code = ? AND ticket_sha256 IN ("
                "SELECT ticket_sha256 FROM pending_joins WHERE session_code = ? AND state = 'waiting' "
                "AND seen_at >= ? ORDER BY asked_at, ticket_sha256 LIMIT ?) RETURNING 1",
                [state, code, code, seen_since, 1_000_000 if limit is None else limit])
            self._notify(tx, JoinsPending(code))
        return len(rows)

    # -- answers ------------------------------------------------------------
    def save_answer(self, code: str, answer: Answer) -> None:
        """Insert or replace this phone's answer to this step: the latest one counts.

        Returns once the answer is committed. Answers arriving together are written
        in one transaction by the group-commit thread.
        """
        self.save_answer_later(code, answer).result()

    def save_answer_later(self, code: str, answer: Answer) -> Future[None]:
        """`save_answer` without the wait: the future is done once the answer is committed."""
        value_json = None if answer.passed else value_json_of(answer.value)
        return self._answers.submit((code, answer.step_index, answer.exercise_id, answer.token, value_json,
                                     answer.passed, _now()))

    def _upsert_answers(self, rows: list[tuple[Any, ...]]) -> None:
        latest = {(row[0], row[1], row[3]): row for row in rows}  # one row per key: the last sent
        unique = list(latest.values())
        with self.db.transaction() as tx:
            insert_rows(tx, UPSERT_ANSWERS, unique)
            for code, step in sorted({(row[0], row[1]) for row in unique}):
                self._notify(tx, AnswersStored(code, step))

    def answers_for_step(self, code: str, step_index: int) -> list[Answer]:
        rows = self.db.fetchall(
            "SELECT step_index, exercise_id, token, value_json, passed, answered_at FROM answers "
            "WHERE session_code = ? AND step_index = ? ORDER BY answered_at, token",
            [code, step_index])
        return [_answer(row) for row in rows]

    def moderation_states(self, code: str, step_index: int) -> dict[str, Moderation]:
        """Decisions so far for a step, keyed by the stored value's JSON."""
        rows = self.db.fetchall(
            "SELECT value_json, state FROM moderation WHERE session_code = ? AND step_index = ?",
            [code, step_index])
        return {value_json: Moderation(state) for value_json, state in rows}

    def moderate(self, code: str, step_index: int, values: Sequence[Any], state: Moderation) -> ModerationChanged:
        """One decision for each of these values, in one transaction."""
        rows = [(code, step_index, value_json_of(value), state.value) for value in values]
        with self.db.transaction() as tx:
            if rows:
                insert_rows(tx, UPSERT_MODERATION, rows)
            return self._notify(tx, ModerationChanged(code, step_index))

    def count_answers(self, code: str) -> int:
        return self._one("SELECT count(*) FROM answers WHERE session_code = ?", [code])[0]

    # -- saved agendas -------------------------------------------------------
    def save_agenda(self, agenda: dict[str, Any]) -> None:
        """Insert or replace a facilitator's agenda (steps as exercise ids)."""
        with self.db.transaction() as tx:
            tx.execute(
                "INSERT INTO agendas VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET "
                "title = excluded.title, description = excluded.description, "
                "minutes = excluded.minutes, steps_json = excluded.steps_json, "
                "saved_at = excluded.saved_at",
                [agenda["id"], agenda["title"], agenda["description"], agenda["minutes"],
                 json.dumps(agenda["steps"]), _now()])

    def saved_agendas(self) -> list[dict[str, Any]]:
        rows = self.db.fetchall(
            "SELECT id, title, description, minutes, steps_json FROM agendas ORDER BY title")
        return [{"id": i, "title": t, "description": d, "minutes": m, "steps": json.loads(s)}
                for i, t, d, m, s in rows]

    def delete_agenda(self, agenda_id: str) -> None:
        with self.db.transaction() as tx:
            tx.execute("DELETE FROM agendas WHERE id = ?", [agenda_id])

    # -- retention ------------------------------------------------------------
    @contextmanager
    def _erasing(self) -> Iterator[None]:
        """Around a delete or purge: once it returns, the removed values are in no file
        (a crash in between is finished at the next open)."""
        self.db.begin_erasure()
        yield
        self.db.finish_erasure(ERASE[self.dialect])

    def delete_session(self, code: str) -> SessionErased:
        """Remove every row of a session, then rewrite storage so no file holds it."""
        with self._erasing():
            with self.db.transaction() as tx:
                for table, column in (("answers", "session_code"), ("moderation", "session_code"),
                                      ("participants", "session_code"), ("pending_joins", "session_code"),
                                      ("sessions", "code")):
                    tx.execute(f"DELETE FROM {table} WHERE {column} = ?", [code])  # names are constants
                erased = self._notify(tx, SessionErased(code))
        return erased

    def purge_typed_text(self, code: str, exercise_ids: list[str]) -> int:
        """Forget what people typed for these exercises; keep that they answered (counts stay).

        The session's moderation decisions go too: they hold the typed values.
        """
        if not exercise_ids:
            return 0
        with self._erasing():
            with self.db.transaction() as tx:
                purged = tx.execute(
                    "UPDATE answers SET value_json = NULL WHERE session_code = ? AND NOT passed "
                    f"AND value_json IS NOT NULL AND exercise_id IN ({', '.join('?' * len(exercise_ids))}) "
                    "RETURNING 1",
                    [code, *exercise_ids])
                tx.execute("DELETE FROM moderation WHERE session_code = ?", [code])
                self._notify(tx, SessionErased(code))
        return len(purged)

    def sessions_ended_before(self, cutoff: datetime) -> list[str]:
        rows = self.db.fetchall(
            "SELECT code FROM sessions WHERE ended_at IS NOT NULL AND ended_at < ?", [cutoff])
        return [row[0] for row in rows]

    # -- reports --------------------------------------------------------------
    def export_rows(self, code: str, moderated: Collection[QuestionType]) -> list[tuple[Any, ...]]:
        """One row per stored answer of a session, in EXPORT_COLUMNS order (see exports.py)."""
        session = self.load_session(code)
        return [] if session is None else export_rows(self.db, session, moderated)

    def sessions_with_agenda(self, agenda_id: str) -> list[SessionSummary]:
        """Every session run from this agenda, oldest first (for trends across sessions)."""
        rows = self.db.fetchall(
            _SESSION_SUMMARIES + " WHERE s.agenda_id = ? ORDER BY s.created_at, s.code", [agenda_id])
        return [SessionSummary(*row) for row in rows]


def _answer(row: tuple[Any, ...]) -> Answer:
    step_index, exercise_id, token, value_json, passed, answered_at = row
    value = None if value_json is None else json.loads(value_json)
    return Answer(step_index=step_index, exercise_id=exercise_id, token=token, value=value,
                  passed=passed, answered_at=answered_at)
