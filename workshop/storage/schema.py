"""The database's schema: versioned migrations, applied once each under a lock, and the
statements that differ between DuckDB and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timezone

from workshop.storage.protocol import Database

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
    # The projector tab's key: random per session, unrelated to the passcode (it used to
    # be an HMAC of it, so one projector URL let the passcode be brute-forced offline).
    # Only its SHA-256 is kept; NULL means no projector link has been made yet.
    (5, """
        ALTER TABLE sessions ADD COLUMN projector_key_sha256 VARCHAR;
    """),
    # Who may join (workshop/admission.py). room_secret yields the rotating room code; a
    # phone beyond expected_size waits in pending_joins until the facilitator decides. A
    # pending join is a hash of the phone's ticket and times, never an address.
    (6, """
        ALTER TABLE sessions ADD COLUMN room_code BOOLEAN NOT NULL DEFAULT FALSE;
        ALTER TABLE sessions ADD COLUMN expected_size INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE sessions ADD COLUMN room_secret VARCHAR;
        CREATE TABLE pending_joins (
            session_code  VARCHAR NOT NULL,
            ticket_sha256 VARCHAR NOT NULL,
            asked_at      TIMESTAMP NOT NULL,
            seen_at       TIMESTAMP NOT NULL,
            state         VARCHAR NOT NULL,
            PRIMARY KEY (session_code, ticket_sha256)
        );
    """),
    # Which typed answers wait for approval: words and texts, texts only, or nothing
    # (models.Hold). It replaces hold_text (TRUE: words and texts, FALSE: nothing).
    (7, """
        ALTER TABLE sessions ADD COLUMN hold VARCHAR NOT NULL DEFAULT 'words_and_texts';
        UPDATE sessions SET hold = 'nothing' WHERE NOT hold_text;
        ALTER TABLE sessions DROP COLUMN hold_text;
    """),
)

SCHEMA_VERSION = MIGRATIONS[-1][0]

# -- where the two dialects differ -----------------------------------------------------
# Two app servers starting at once must not both apply a migration.
MIGRATION_LOCK: dict[str, str | None] = {
    "duckdb": None,  # one process owns the file
    "postgresql": "SELECT pg_advisory_xact_lock(7210431)",
}
# After deleting or purging, rewrite storage so the removed values are in no file.
# DuckDB does not zero the blocks it frees (a CHECKPOINT left them readable), so the live
# rows are copied into a fresh file that replaces the old one (`DuckDBDatabase.finish_erasure`
# attaches it as {new}). PostgreSQL's VACUUM FULL writes each table anew and truncates the
# old files; the CHECKPOINT flushes the new ones. The WAL keeps old values until its
# segments are recycled (docs/scaling.md, "Retention with PostgreSQL").
ERASE: dict[str, tuple[str, ...]] = {
    "duckdb": ("COPY FROM DATABASE {old} TO {new}",),
    "postgresql": ("VACUUM FULL answers, moderation, participants, pending_joins, sessions", "CHECKPOINT"),
}



def migrate(db: Database) -> None:
    """Apply the migrations this database has not had yet, in order, each in its own
    transaction (with PostgreSQL under an advisory lock: servers may start together)."""
    lock = MIGRATION_LOCK[db.dialect]
    with db.transaction() as tx:
        if lock:
            tx.execute(lock)
        tx.execute("CREATE TABLE IF NOT EXISTS schema_version "
                   "(version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)")
    for version, sql in MIGRATIONS:
        with db.transaction() as tx:
            if lock:
                tx.execute(lock)
            current = tx.execute("SELECT coalesce(max(version), 0) FROM schema_version")[0][0]
            if version > current:
                tx.execute(sql)
                tx.execute("INSERT INTO schema_version VALUES (?, ?)",
                           [version, datetime.now(timezone.utc).replace(tzinfo=None)])
