"""The multi-row writes: one statement per chunk of rows instead of one per row.

A group commit hands over every answer or join gathered in its window at once, and one
moderation click ("Hide all shown here") can decide many words; one INSERT ... VALUES (...),
(...) per UPSERT_CHUNK rows keeps the statement and its bound parameters small whichever
database runs it.
"""

from __future__ import annotations

from typing import Any

from workshop.storage.protocol import Transaction

# Only the number of "(?, ...)" row groups varies; values are always bound parameters.
UPSERT_ANSWERS = """
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
INSERT_PARTICIPANTS = """
    INSERT INTO participants (session_code, token, joined_at) VALUES {rows}
    ON CONFLICT DO NOTHING
"""
UPSERT_MODERATION = """
    INSERT INTO moderation (session_code, step_index, value_json, state) VALUES {rows}
    ON CONFLICT (session_code, step_index, value_json) DO UPDATE SET state = excluded.state
"""
UPSERT_CHUNK = 200


def insert_rows(tx: Transaction, sql: str, rows: list[tuple[Any, ...]]) -> None:
    """One multi-row statement per UPSERT_CHUNK rows; `sql` has `{rows}` where the VALUES go."""
    for start in range(0, len(rows), UPSERT_CHUNK):
        chunk = rows[start:start + UPSERT_CHUNK]
        group = "(" + ", ".join(["?"] * len(chunk[0])) + ")"
        tx.execute(sql.format(rows=", ".join([group] * len(chunk))),
                   [value for row in chunk for value in row])
