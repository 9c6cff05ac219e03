"""The answers as files organisers take home: a CSV zip (with its data dictionary) and Parquet.

One row per stored answer, with a per-session pseudonym instead of the phone's token
(`Store.export_rows`). The CSV is made safe for spreadsheets (`neutralised`); Parquet keeps
the raw, typed values. Split from `reports` so the files need neither the service nor Plotly.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from datetime import datetime

import pyarrow as pa
import pyarrow.parquet as pq

from workshop.models import Session
from workshop.questions import KINDS, MODERATED_TYPES
from workshop.storage.exports import EXPORT_COLUMNS
from workshop.storage.store import Store

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP, ASVS 5.0 1.2.10).
FORMULA_STARTS = frozenset("=+-@\t\r\0")
# Where a spreadsheet may begin a new cell or row when it splits on another separator than
# ours (";" in much of Europe, tab) or loses track of our quotes.
CELL_BREAKS = frozenset(",;\t\r\n")
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?")


# -- file names --------------------------------------------------------------------
def filename(session: Session, suffix: str) -> str:
    """e.g. ipnb-ABCDEF-2026-11-27-report.html: the session code and its date (UTC)."""
    return f"ipnb-{session.code}-{session.created_at:%Y-%m-%d}-{suffix}"


# -- data exports -------------------------------------------------------------------
DATA_DICTIONARY: tuple[tuple[str, str, str], ...] = (
    ("session", "text", "The session's six-character join code."),
    ("step", "integer", "Position of the exercise in the agenda, counting from 1."),
    ("exercise_id", "text", "Id of the exercise in the content library (the same exercise can appear at two steps)."),
    ("domain", "text", "Domain of integration the exercise belongs to (general = the whole workshop)."),
    ("question_type", "text", ", ".join(kind.value for kind in KINDS) + "."),
    ("value", "text", "The answer, by question type: " + "; ".join(k.value_format for k in KINDS.values())
     + ". Empty for a pass and for a word or text the facilitator hid. "
     "In the CSV only, wherever a cell or a part of it after a comma, semicolon, tab or line break "
     "begins with = + - @ tab CR or NUL (spaces and double quotes skipped), a ' is put before that "
     "character so that no spreadsheet runs it as a formula, whatever separator it splits on; "
     "plain numbers such as -2 stay numbers. Parquet holds the raw values, not neutralised: "
     "do not paste them into a spreadsheet unescaped."),
    ("passed", "true/false", "true when the phone chose Pass."),
    ("moderation", "text", "For word and text answers: approved, hidden or undecided (the facilitator's "
     "decision); empty for other question types and for passes."),
    ("participant", "text", "A pseudonym for one phone within this session only: p001, p002, ... in "
     "a random order, not the order phones joined, and the same in the CSV and the Parquet file "
     "and in every export of this session. It is not the phone's token and does not link to any "
     "other session or export; phones that joined but never answered keep their number."),
    ("answered_at", "timestamp", "When the phone last sent or changed this answer, UTC, to the minute "
     "(so that it cannot be matched to the moment someone was seen answering): YYYY-MM-DD HH:MM "
     "in the CSV; in Parquet a timestamp whose seconds and fractions are always zero. Rows are "
     "sorted by step and participant, not by time."),
)


def neutralised(text: str) -> str:
    """`text` with a ' before each character that would make a spreadsheet start a formula.

    Checked at the start and after every , ; tab and line break (spaces and double quotes
    skipped), so every cell a spreadsheet can cut out of this text, whatever separator it
    splits on and however it reads our quotes, starts as plain text. A plain number such as
    -2 is a number, not a formula, and stays as it is.
    """
    if _PLAIN_NUMBER.fullmatch(text):
        return text
    out = []
    at_start = True
    for char in text:
        if at_start and char in FORMULA_STARTS:
            out.append("'")
        out.append(char)
        at_start = char in CELL_BREAKS or (at_start and char in ' "')
    return "".join(out)


def _cell(value: object) -> str | int | float:
    """One CSV cell: numbers stay numbers (written unquoted), text is neutralised (and quoted)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    return neutralised(str(value))


def csv_rows(store: Store, code: str) -> list[list[str | int | float]]:
    """The CSV body: `Store.export_rows` as cells, every text neutralised."""
    return [[_cell(value) for value in row] for row in store.export_rows(code, MODERATED_TYPES)]


def _write_csv(rows: Iterable[Sequence[str | int | float]]) -> str:
    """CSV text with CRLF lines; every text cell is quoted, numbers are not."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC).writerows(rows)
    return buffer.getvalue()


def csv_text(rows: Iterable[Sequence[object]]) -> str:
    """Rows of values (export rows, a header, the data dictionary) as safe CSV text."""
    return _write_csv([[_cell(value) for value in row] for row in rows])


def csv_zip(store: Store, session: Session) -> bytes:
    """A zip with the answers CSV (UTF-8 with BOM, for spreadsheets), its data dictionary and a README."""
    rows = csv_rows(store, session.code)
    answers = _write_csv([EXPORT_COLUMNS, *rows])
    dictionary = csv_text([("column", "type", "description"), *DATA_DICTIONARY])
    readme = (
        f"IPNB live workshop: answers of session {session.code}\n"
        f"{session.title} ({session.agenda_id}), {session.created_at:%Y-%m-%d %H:%M} UTC\n\n"
        f"{filename(session, 'answers.csv')}: one row per answer ({len(rows)} rows), the latest "
        "answer of each phone to each step, passes included.\n"
        "data_dictionary.csv: what each column means.\n\n"
        "Anonymous: no names, accounts or addresses were collected. The participant column is a "
        "per-session pseudonym (p001, p002, ... in a random order, not the order of joining), not "
        "the phone's token, so this file cannot be linked to another session's export. Times are "
        "cut to the minute.\n"
        "Small groups: these are raw answers, without the report's small-group suppression. "
        "Share them with care.\n\n"
        "Spreadsheets: every text cell is quoted, and wherever a cell or a part of it after a "
        "comma, semicolon, tab or line break begins with = + - @ tab CR or NUL, a ' is put before "
        "that character, so that whatever separator a spreadsheet uses (comma, or semicolon as in "
        "much of Europe) no answer runs as a formula or a link. Remove that ' to get the exact "
        "text. The Parquet export holds the raw values, not neutralised: do not paste them into "
        "a spreadsheet unescaped.\n")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(filename(session, "answers.csv"), "\ufeff" + answers)
        archive.writestr("data_dictionary.csv", "\ufeff" + dictionary)
        archive.writestr("README.txt", readme)
    return buffer.getvalue()


# Typed columns, so a reader gets numbers, booleans and timestamps rather than text.
PARQUET_SCHEMA = pa.schema([
    ("session", pa.string()), ("step", pa.int32()), ("exercise_id", pa.string()),
    ("domain", pa.string()), ("question_type", pa.string()), ("value", pa.string()),
    ("passed", pa.bool_()), ("moderation", pa.string()), ("participant", pa.string()),
    ("answered_at", pa.timestamp("us")),
])


def parquet_bytes(store: Store, session: Session) -> bytes:
    """The same rows and columns as the CSV, as a Parquet file (whichever database holds them)."""
    rows = store.export_rows(session.code, MODERATED_TYPES)
    table = pa.Table.from_pylist([dict(zip(EXPORT_COLUMNS, row)) for row in rows], schema=PARQUET_SCHEMA)
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    return buffer.getvalue()
