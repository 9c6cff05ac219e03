"""The answers export, shared by the CSV and the Parquet file: one row per stored answer,
pseudonymous, with hidden values blanked and times cut to the minute."""

from __future__ import annotations

import json
from collections.abc import Collection
from typing import Any

from workshop.models import Moderation, QuestionType, Session
from workshop.storage.protocol import Database

# The raw token never leaves the database: each phone gets a number within *this* session
# (shown as p001, p002, ...), so exports of two sessions cannot be linked. Pseudonyms are
# numbered in the order of md5(token): random (tokens are), unrelated to the order of
# joining, the same at every export, and hex sorts alike under every collation.
_EXPORT_ANSWERS = """
    WITH pseudonyms AS (
        SELECT token, row_number() OVER (ORDER BY md5(token)) AS number
        FROM participants WHERE session_code = ?
    )
    SELECT a.step_index, a.exercise_id, a.value_json, a.passed, a.answered_at, m.state, p.number
    FROM answers a
    LEFT JOIN pseudonyms p ON p.token = a.token
    LEFT JOIN moderation m ON m.session_code = a.session_code
         AND m.step_index = a.step_index AND m.value_json = a.value_json
    WHERE a.session_code = ?
    ORDER BY a.step_index, p.number, a.token
"""
# The columns of `Store.export_rows`, shared by the CSV and the Parquet file.
EXPORT_COLUMNS: tuple[str, ...] = ("session", "step", "exercise_id", "domain", "question_type",
                                   "value", "passed", "moderation", "participant", "answered_at")


def export_rows(db: Database, session: Session, moderated: Collection[QuestionType]) -> list[tuple[Any, ...]]:
    """One row per stored answer of a session, in EXPORT_COLUMNS order.

    A value the facilitator hid in moderation is blanked; word and text answers say
    (the `moderated` kinds, named by workshop/questions/, which storage does not import: they
    draw charts) whether they were approved, hidden or never decided. Times are cut to the minute and
    rows sorted by step and pseudonym, so neither tells who answered when.
    """
    code = session.code
    rows = []
    for step_index, exercise_id, value_json, passed, answered_at, state, number in \
            db.fetchall(_EXPORT_ANSWERS, [code, code]):
        step = session.steps[step_index]
        hidden = state == Moderation.HIDDEN.value
        value = None if passed or hidden or value_json is None else _as_text(value_json)
        moderation = (state or "undecided") if step.type in moderated and not passed else None
        participant = None if number is None else f"p{number:03d}"
        rows.append((code, step_index + 1, exercise_id, step.domain, step.type.value, value, passed,
                     moderation, participant, answered_at.replace(second=0, microsecond=0)))
    return rows


def _as_text(value_json: str) -> str:
    """An answer as one cell: text as itself, numbers, lists and points as compact JSON."""
    value = json.loads(value_json)
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False,
                                                           separators=(",", ":"))
