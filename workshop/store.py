"""The one module that talks to DuckDB: schema, migrations and every query.

One connection per process is opened; each thread reads through its own
cursor (DuckDB cursors are not shared between threads), and every write goes
through one lock so concurrent phones can never interleave an upsert.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import duckdb

from workshop.models import (Answer, Exercise, LiveState, Moderation, Session, SessionSettings,
                             SessionSummary, value_json_of)

# Each entry is applied once, in order; the number is stored in schema_version.
MIGRATIONS: tuple[tuple[int, str], ...] = (
    (1, """
        CREATE TABLE sessions (
            code          VARCHAR PRIMARY KEY,
            agenda_id     VARCHAR NOT NULL,
            title         VARCHAR NOT NULL,
            steps_json    VARCHAR NOT NULL,
            created_at    TIMESTAMP NOT NULL,
            step_index    INTEGER NOT NULL DEFAULT -1,
            is_open       BOOLEAN NOT NULL DEFAULT FALSE,
            results_shown BOOLEAN NOT NULL DEFAULT FALSE,
            ended_at      TIMESTAMP,
            version       INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE participants (
            session_code VARCHAR NOT NULL,
            token        VARCHAR NOT NULL,
            joined_at    TIMESTAMP NOT NULL,
            PRIMARY KEY (session_code, token)
        );
        CREATE TABLE answers (
            session_code VARCHAR NOT NULL,
            step_index   INTEGER NOT NULL,
            exercise_id  VARCHAR NOT NULL,
            token        VARCHAR NOT NULL,
            value_json   VARCHAR,
            passed       BOOLEAN NOT NULL,
            answered_at  TIMESTAMP NOT NULL,
            revisions    INTEGER NOT NULL DEFAULT 1,
            PRIMARY KEY (session_code, step_index, token)
        );
    """),
    (2, """
        ALTER TABLE sessions ADD COLUMN min_answers INTEGER NOT NULL DEFAULT 3;
        ALTER TABLE sessions ADD COLUMN hold_text BOOLEAN NOT NULL DEFAULT TRUE;
        ALTER TABLE sessions ADD COLUMN blank BOOLEAN NOT NULL DEFAULT FALSE;
        ALTER TABLE sessions ADD COLUMN step_started_at TIMESTAMP;
        -- Moderation is per distinct value: approving "calm" approves every "calm",
        -- and a phone that changes its text is pending again.
        CREATE TABLE moderation (
            session_code VARCHAR NOT NULL,
            step_index   INTEGER NOT NULL,
            value_json   VARCHAR NOT NULL,
            state        VARCHAR NOT NULL,
            PRIMARY KEY (session_code, step_index, value_json)
        );
        CREATE TABLE agendas (
            id          VARCHAR PRIMARY KEY,
            title       VARCHAR NOT NULL,
            description VARCHAR NOT NULL,
            minutes     INTEGER NOT NULL,
            steps_json  VARCHAR NOT NULL,
            saved_at    TIMESTAMP NOT NULL
        );
    """),
    (3, """
        ALTER TABLE sessions ADD COLUMN share_with_phones BOOLEAN NOT NULL DEFAULT FALSE;
    """),
    (4, """
        ALTER TABLE sessions ADD COLUMN join_hidden BOOLEAN NOT NULL DEFAULT FALSE;
    """),
)

SCHEMA_VERSION = MIGRATIONS[-1][0]

# Only the number of "(?, ...)" row groups varies; values are always bound parameters.
_UPSERT_ANSWERS = """
    INSERT INTO answers (session_code, step_index, exercise_id, token, value_json, passed, answered_at)
    VALUES {rows}
    ON CONFLICT (session_code, step_index, token) DO UPDATE SET
        value_json = excluded.value_json,
        passed = excluded.passed,
        answered_at = excluded.answered_at,
        revisions = CASE
            WHEN answers.value_json IS NOT DISTINCT FROM excluded.value_json
                 AND answers.passed = excluded.passed
            THEN answers.revisions ELSE answers.revisions + 1 END
"""
UPSERT_CHUNK = 200

# One SessionSummary per row: counts of phones joined and of real (non-pass) answers.
_SESSION_SUMMARIES = """
    SELECT s.code, s.title, s.created_at, s.ended_at IS NOT NULL,
           (SELECT count(*) FROM participants p WHERE p.session_code = s.code),
           (SELECT count(*) FROM answers a WHERE a.session_code = s.code AND NOT a.passed)
    FROM sessions s
"""


class GroupCommit:
    """Writes queued rows in batches from one thread: one commit per batch, not per answer.

    A DuckDB commit costs milliseconds whatever its size, so when hundreds of phones
    answer at once, batching is what keeps submit latency flat. Callers block until
    their row is committed (or get the error), so an acknowledged answer is stored.
    """

    def __init__(self, write: Callable[[list[tuple[Any, ...]]], None]) -> None:
        self._write = write
        self._cond = threading.Condition()
        self._queue: list[tuple[tuple[Any, ...], Future[None]]] = []
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="answer-writer", daemon=True)
        self._thread.start()

    def write(self, row: tuple[Any, ...]) -> None:
        future: Future[None] = Future()
        with self._cond:
            if self._stopping:
                raise RuntimeError("the store is closed")
            self._queue.append((row, future))
            self._cond.notify()
        future.result()

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._queue and not self._stopping:
                    self._cond.wait()
                if not self._queue:
                    return
                batch, self._queue = self._queue, []
            try:
                self._write([row for row, _ in batch])
            except BaseException as exc:  # every waiting caller learns of the failure
                for _, future in batch:
                    future.set_exception(exc)
            else:
                for _, future in batch:
                    future.set_result(None)

    def stop(self) -> None:
        """Write what is queued, then end the thread."""
        with self._cond:
            self._stopping = True
            self._cond.notify()
        self._thread.join()


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Store:
    """Owns the DuckDB file. Safe to share between threads."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = duckdb.connect(str(path))
        self._write_lock = threading.Lock()
        self._local = threading.local()
        self._migrate()
        self._answers = GroupCommit(self._upsert_answers)

    # -- plumbing -----------------------------------------------------------
    def _cursor(self) -> duckdb.DuckDBPyConnection:
        cursor = getattr(self._local, "cursor", None)
        if cursor is None:
            cursor = self._conn.cursor()
            self._local.cursor = cursor
        return cursor

    @contextmanager
    def _writing(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with self._write_lock:
            cursor = self._cursor()
            cursor.execute("BEGIN TRANSACTION")
            try:
                yield cursor
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            cursor.execute("COMMIT")

    def _migrate(self) -> None:
        with self._write_lock:
            cur = self._cursor()
            cur.execute("CREATE TABLE IF NOT EXISTS schema_version "
                        "(version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)")
            current = cur.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()[0]
            for version, sql in MIGRATIONS:
                if version <= current:
                    continue
                cur.execute("BEGIN TRANSACTION")
                cur.execute(sql)
                cur.execute("INSERT INTO schema_version VALUES (?, ?)", [version, _now()])
                cur.execute("COMMIT")

    def schema_version(self) -> int:
        return self._cursor().execute("SELECT max(version) FROM schema_version").fetchone()[0]

    def close(self) -> None:
        self._answers.stop()
        self._conn.close()

    # -- sessions -----------------------------------------------------------
    def create_session(self, code: str, agenda_id: str, title: str, steps: tuple[Exercise, ...],
                       settings: SessionSettings = SessionSettings()) -> Session:
        created = _now()
        steps_json = json.dumps([step.to_dict() for step in steps])
        with self._writing() as cur:
            cur.execute(
                "INSERT INTO sessions (code, agenda_id, title, steps_json, created_at, min_answers, "
                "hold_text, share_with_phones) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [code, agenda_id, title, steps_json, created, settings.min_answers, settings.hold_text,
                 settings.share_with_phones])
        live = LiveState(code=code, step_index=-1, is_open=False, results_shown=False,
                         ended=False, version=0)
        return Session(code=code, agenda_id=agenda_id, title=title, steps=steps,
                       created_at=created, live=live, settings=settings)

    def session_exists(self, code: str) -> bool:
        row = self._cursor().execute("SELECT 1 FROM sessions WHERE code = ?", [code]).fetchone()
        return row is not None

    def load_session(self, code: str) -> Session | None:
        row = self._cursor().execute(
            "SELECT code, agenda_id, title, steps_json, created_at, step_index, is_open, "
            "results_shown, ended_at IS NOT NULL, version, blank, step_started_at, min_answers, "
            "hold_text, share_with_phones, join_hidden FROM sessions WHERE code = ?",
            [code]).fetchone()
        if row is None:
            return None
        (code, agenda_id, title, steps_json, created, index, is_open, shown, ended, version,
         blank, step_started_at, min_answers, hold_text, share, join_hidden) = row
        steps = tuple(Exercise.from_dict(item) for item in json.loads(steps_json))
        live = LiveState(code=code, step_index=index, is_open=is_open, results_shown=shown,
                         ended=ended, version=version, blank=blank, step_started_at=step_started_at,
                         join_hidden=join_hidden)
        return Session(code=code, agenda_id=agenda_id, title=title, steps=steps,
                       created_at=created, live=live,
                       settings=SessionSettings(min_answers=min_answers, hold_text=hold_text,
                                                share_with_phones=share))

    def save_settings(self, code: str, settings: SessionSettings) -> None:
        with self._writing() as cur:
            cur.execute("UPDATE sessions SET min_answers = ?, hold_text = ?, share_with_phones = ? "
                        "WHERE code = ?",
                        [settings.min_answers, settings.hold_text, settings.share_with_phones, code])

    def save_live(self, live: LiveState) -> None:
        with self._writing() as cur:
            cur.execute(
                "UPDATE sessions SET step_index = ?, is_open = ?, results_shown = ?, version = ?, "
                "blank = ?, step_started_at = ?, join_hidden = ?, "
                "ended_at = CASE WHEN ? THEN coalesce(ended_at, ?) ELSE NULL END WHERE code = ?",
                [live.step_index, live.is_open, live.results_shown, live.version, live.blank,
                 live.step_started_at, live.join_hidden, live.ended, _now(), live.code])

    def list_sessions(self) -> list[SessionSummary]:
        rows = self._cursor().execute(_SESSION_SUMMARIES + " ORDER BY s.created_at DESC").fetchall()
        return [SessionSummary(*row) for row in rows]

    # -- participants -------------------------------------------------------
    def add_participant(self, code: str, token: str) -> None:
        with self._writing() as cur:
            cur.execute("INSERT INTO participants VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                        [code, token, _now()])

    def participant_tokens(self, code: str) -> set[str]:
        rows = self._cursor().execute(
            "SELECT token FROM participants WHERE session_code = ?", [code]).fetchall()
        return {row[0] for row in rows}

    # -- answers ------------------------------------------------------------
    def save_answer(self, code: str, answer: Answer) -> None:
        """Insert or replace this phone's answer to this step: the latest one counts.

        Returns once the answer is committed. Answers arriving together are written
        in one transaction by the group-commit thread.
        """
        value_json = None if answer.passed else value_json_of(answer.value)
        self._answers.write((code, answer.step_index, answer.exercise_id, answer.token, value_json,
                             answer.passed, _now()))

    def _upsert_answers(self, rows: list[tuple[Any, ...]]) -> None:
        latest = {(row[0], row[1], row[3]): row for row in rows}  # one row per key: the last sent
        unique = list(latest.values())
        with self._writing() as cur:
            for start in range(0, len(unique), UPSERT_CHUNK):
                chunk = unique[start:start + UPSERT_CHUNK]
                cur.execute(_UPSERT_ANSWERS.format(rows=", ".join(["(?, ?, ?, ?, ?, ?, ?)"] * len(chunk))),
                            [value for row in chunk for value in row])

    def answers_for_step(self, code: str, step_index: int) -> list[Answer]:
        rows = self._cursor().execute(
            "SELECT step_index, exercise_id, token, value_json, passed, answered_at FROM answers "
            "WHERE session_code = ? AND step_index = ? ORDER BY answered_at, token",
            [code, step_index]).fetchall()
        return [_answer(row) for row in rows]

    def moderation_states(self, code: str, step_index: int) -> dict[str, Moderation]:
        """Decisions so far for a step, keyed by the stored value's JSON."""
        rows = self._cursor().execute(
            "SELECT value_json, state FROM moderation WHERE session_code = ? AND step_index = ?",
            [code, step_index]).fetchall()
        return {value_json: Moderation(state) for value_json, state in rows}

    def moderate(self, code: str, step_index: int, value: Any, state: Moderation) -> None:
        with self._writing() as cur:
            cur.execute(
                "INSERT INTO moderation VALUES (?, ?, ?, ?) ON CONFLICT (session_code, step_index, "
                "value_json) DO UPDATE SET state = excluded.state",
                [code, step_index, value_json_of(value), state.value])

    def count_answers(self, code: str) -> int:
        return self._cursor().execute(
            "SELECT count(*) FROM answers WHERE session_code = ?", [code]).fetchone()[0]

    # -- saved agendas -------------------------------------------------------
    def save_agenda(self, agenda: dict[str, Any]) -> None:
        """Insert or replace a facilitator's agenda (steps as exercise ids)."""
        with self._writing() as cur:
            cur.execute(
                "INSERT OR REPLACE INTO agendas VALUES (?, ?, ?, ?, ?, ?)",
                [agenda["id"], agenda["title"], agenda["description"], agenda["minutes"],
                 json.dumps(agenda["steps"]), _now()])

    def saved_agendas(self) -> list[dict[str, Any]]:
        rows = self._cursor().execute(
            "SELECT id, title, description, minutes, steps_json FROM agendas ORDER BY title").fetchall()
        return [{"id": i, "title": t, "description": d, "minutes": m, "steps": json.loads(s)}
                for i, t, d, m, s in rows]

    def delete_agenda(self, agenda_id: str) -> None:
        with self._writing() as cur:
            cur.execute("DELETE FROM agendas WHERE id = ?", [agenda_id])

    # -- retention ------------------------------------------------------------
    def delete_session(self, code: str) -> None:
        """Remove every row of a session, then checkpoint so the file no longer holds it."""
        with self._writing() as cur:
            for table, column in (("answers", "session_code"), ("moderation", "session_code"),
                                  ("participants", "session_code"), ("sessions", "code")):
                cur.execute(f"DELETE FROM {table} WHERE {column} = ?", [code])  # names are constants
        self._cursor().execute("CHECKPOINT")

    def purge_typed_text(self, code: str, exercise_ids: list[str]) -> int:
        """Forget what people typed for these exercises; keep that they answered (counts stay)."""
        if not exercise_ids:
            return 0
        with self._writing() as cur:
            purged = cur.execute(
                "UPDATE answers SET value_json = NULL WHERE session_code = ? AND NOT passed "
                "AND value_json IS NOT NULL AND list_contains(?, exercise_id)",
                [code, exercise_ids]).fetchone()[0]
            cur.execute("DELETE FROM moderation WHERE session_code = ?", [code])
        self._cursor().execute("CHECKPOINT")
        return purged

    def sessions_ended_before(self, cutoff: datetime) -> list[str]:
        rows = self._cursor().execute(
            "SELECT code FROM sessions WHERE ended_at IS NOT NULL AND ended_at < ?", [cutoff]).fetchall()
        return [row[0] for row in rows]

    # -- reports --------------------------------------------------------------
    def export_rows(self, code: str) -> list[tuple[Any, ...]]:
        """One row per stored answer of a session, in EXPORT_COLUMNS order (see EXPORT_SQL)."""
        return self._cursor().execute(EXPORT_SQL, {"code": code}).fetchall()

    def write_parquet(self, code: str, path: Path | str) -> None:
        """Write the rows of `export_rows` to a Parquet file with DuckDB's own COPY."""
        self._cursor().execute(f"COPY ({EXPORT_SQL}) TO $path (FORMAT PARQUET)",
                               {"code": code, "path": str(path)})

    def sessions_with_agenda(self, agenda_id: str) -> list[SessionSummary]:
        """Every session run from this agenda, oldest first (for trends across sessions)."""
        rows = self._cursor().execute(
            _SESSION_SUMMARIES + " WHERE s.agenda_id = ? ORDER BY s.created_at, s.code",
            [agenda_id]).fetchall()
        return [SessionSummary(*row) for row in rows]


# The answers export, shared by the CSV and the Parquet file so both have the same
# columns. The raw token never leaves the database: each phone gets a pseudonym
# p001, p002, ... numbered by order of joining *this* session, so exports of two
# sessions cannot be linked. A value the facilitator hid in moderation is blanked.
EXPORT_COLUMNS: tuple[str, ...] = ("session", "step", "exercise_id", "domain", "question_type",
                                   "value", "passed", "moderation", "participant", "answered_at")
EXPORT_SQL = """
    WITH pseudonyms AS (
        SELECT token, printf('p%03d', row_number() OVER (ORDER BY joined_at, token)) AS participant
        FROM participants WHERE session_code = $code
    ), steps AS (
        -- The session's own snapshot of its steps, parsed once rather than once per answer.
        SELECT unnest(range(CAST(json_array_length(steps_json) AS BIGINT))) AS step_index,
               unnest(json_extract_string(steps_json, '$[*].domain')) AS domain,
               unnest(json_extract_string(steps_json, '$[*].type')) AS question_type
        FROM sessions WHERE code = $code
    ), rows AS (
        SELECT a.session_code, a.step_index, a.exercise_id, a.value_json, a.passed, a.answered_at,
               s.domain, s.question_type, m.state, p.participant
        FROM answers a
        JOIN steps s ON s.step_index = a.step_index
        LEFT JOIN pseudonyms p ON p.token = a.token
        LEFT JOIN moderation m ON m.session_code = a.session_code
             AND m.step_index = a.step_index AND m.value_json = a.value_json
        WHERE a.session_code = $code
    )
    SELECT session_code AS session,
           step_index + 1 AS step,
           exercise_id,
           domain,
           question_type,
           CASE WHEN passed OR state = 'hidden' THEN NULL
                ELSE json_extract_string(value_json, '$') END AS value,
           passed,
           CASE WHEN passed THEN NULL
                WHEN question_type IN ('word', 'text') THEN coalesce(state, 'undecided')
           END AS moderation,
           participant,
           answered_at
    FROM rows
    ORDER BY step, answered_at, participant
"""


def _answer(row: tuple[Any, ...]) -> Answer:
    step_index, exercise_id, token, value_json, passed, answered_at = row
    value = None if value_json is None else json.loads(value_json)
    return Answer(step_index=step_index, exercise_id=exercise_id, token=token, value=value,
                  passed=passed, answered_at=answered_at)
