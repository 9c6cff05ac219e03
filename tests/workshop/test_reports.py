"""Reports built from a seeded session on a real DuckDB file, read back and checked value by value."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from tests.databases import read_database
from workshop import export_files, reports
from workshop.models import Hold, Moderation, SessionSettings
from workshop.questions import MODERATED_TYPES
from workshop.storage.exports import EXPORT_COLUMNS

HOSTILE_TEXT = "<script>alert('x')</script>"
HOSTILE_WORD = "<b>tired</b>"
FORMULA_TEXT = "=1+2 thanks"

# nine-domains-intro, 0-based: 0 arriving (choice), 1 integration check-in (scale),
# 2 wheel (choice), 6 chapter title (word), 9 not knowing (temporal scale),
# 11 domains to grow (ranking), 12 window of tolerance (window), 13 integration check-in again
# (scale), 14 closing (text).
ANSWERS: dict[int, list] = {
    0: ["Feet on the floor", "Sounds in the room", "Feet on the floor", None],
    1: [3, 5, 7, 4, None],
    2: ["The five senses"],
    6: ["calm", " Calm ", HOSTILE_WORD],
    9: [2, 4, 6, 8],
    13: [6, 5, 9, None, 2],
    14: [HOSTILE_TEXT, FORMULA_TEXT, "hide me"],
}
CHART_STEPS = [0, 1, 6, 9, 13]          # enough answers and a chart type
SUPPRESSED_STEPS = [2, 3, 4, 5, 7, 8, 10, 11, 12]


@dataclass
class Seeded:
    code: str
    tokens: list[str]
    db_path: Path | str


def seed(workshop, answers: dict[int, list] = ANSWERS, phones: int = 5) -> Seeded:
    """A session answered through the Workshop API, as phones and a facilitator would."""
    session = workshop.start_session("nine-domains-intro")
    code = session.code
    tokens = [workshop.join(code)[1] for _ in range(phones)]
    for step, values in answers.items():
        workshop.go_to_step(code, step)
        for token, value in zip(tokens, values):
            if value is None:
                workshop.submit(code, token, step, passed=True)
            else:
                value = next((o for o in session.steps[step].settings.get("options", [])
                              if o.startswith(value)), value) if isinstance(value, str) else value
                workshop.submit(code, token, step, value)
    for step, value, state in [(6, "calm", Moderation.APPROVED), (6, HOSTILE_WORD, Moderation.APPROVED),
                               (14, HOSTILE_TEXT, Moderation.APPROVED),
                               (14, FORMULA_TEXT, Moderation.APPROVED),
                               (14, "hide me", Moderation.HIDDEN)]:
        if step in answers:
            workshop.moderate(code, step, value.casefold() if step == 6 else value, state)
    return Seeded(code=code, tokens=tokens, db_path=workshop.store.target)


class Document(HTMLParser):
    """What a test needs from the report: tags with attributes, scripts, text by id."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.title = ""
        self.h1 = ""
        self.scripts: list[dict[str, str | None]] = []
        self.text_by_id: dict[str, str] = {}
        self._open: list[tuple[str, str | None]] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "script":
            self.scripts.append(attributes)
        self._open.append((tag, attributes.get("id")))

    def handle_endtag(self, tag):
        while self._open:
            if self._open.pop()[0] == tag:
                break

    def handle_data(self, data):
        if not self._open:
            return
        tag, element_id = self._open[-1]
        if tag == "title":
            self.title += data
        elif tag == "h1":
            self.h1 += data
        if element_id:
            self.text_by_id[element_id] = self.text_by_id.get(element_id, "") + data

    def chart_ids(self) -> list[str]:
        return [a["id"] for t, a in self.tags if t == "div" and "plotly-graph-div" in (a.get("class") or "")]


def parse(data: bytes) -> Document:
    document = Document()
    document.feed(data.decode("utf-8"))
    document.close()
    return document


@pytest.fixture
def seeded(workshop) -> Seeded:
    return seed(workshop)


@pytest.fixture
def report_html(workshop, seeded) -> bytes:
    return reports.html_report(reports.build(workshop, seeded.code))


# -- HTML report ------------------------------------------------------------------
def test_the_html_report_has_the_title_date_and_counts(workshop, seeded, report_html):
    document = parse(report_html)
    session = workshop.session(seeded.code)
    assert document.h1 == "The nine domains of integration"
    assert document.title == f"The nine domains of integration · {session.created_at:%Y-%m-%d} · {seeded.code}"
    assert document.text_by_id["participants"] == "5 phones joined"
    assert document.text_by_id["answers"] == "25 responded: 22 answers, 3 passes"


def test_the_html_report_has_one_chart_per_shown_chart_step_plus_change_and_profile(report_html):
    document = parse(report_html)
    # The seeded session's scales touch one domain (temporal): its profile is a sentence, not a radar.
    assert document.chart_ids() == (["change-1-chart"]
                                    + [f"step-{i + 1}-chart" for i in CHART_STEPS])
    assert document.text_by_id["domain-profile-few"] == \
        "This agenda touched 1 domain with a scale: Temporal 5 / 10 (a radar needs 3)."
    # Plotly's JavaScript is inlined once; every other script is a chart's newPlot call.
    assert len(document.scripts) == 1 + len(document.chart_ids())
    assert report_html.count(b"Plotly.newPlot(") == len(document.chart_ids())


def test_the_html_report_references_no_external_url(report_html):
    document = parse(report_html)
    linked = [(tag, name, value) for tag, attrs in document.tags for name, value in attrs.items()
              if name in ("src", "href", "srcset", "action", "data", "poster")]
    assert linked == []
    assert not any("src" in script for script in document.scripts)
    assert "link" not in {tag for tag, _ in document.tags}
    # Outside Plotly's own bundle (which names URLs it never loads here), no URL at all.
    text = report_html.decode("utf-8")
    head, plotly_js_and_rest = text.split('<script type="text/javascript">', 1)
    rest = plotly_js_and_rest.split("</script>", 1)[1]
    assert not re.search(r"https?:|//cdn|@import|url\(", head + rest)


def test_steps_below_the_minimum_say_so_instead_of_a_chart(report_html):
    body = report_html.decode("utf-8").split("</head>", 1)[1]
    assert body.count("fewer than 3 answers: not shown") == len(SUPPRESSED_STEPS)
    third = body.split('id="step-3"', 1)[1].split("</section>", 1)[0]
    assert "1 responded: 1 answer, 0 passes" in third and "plotly-graph-div" not in third


def test_participant_text_is_escaped_and_only_approved_texts_are_shown(report_html):
    body = report_html.decode("utf-8").split("</head>", 1)[1]
    assert HOSTILE_TEXT not in body and HOSTILE_WORD not in body
    closing = body.split('id="step-15"', 1)[1].split("</section>", 1)[0]
    assert ('<div class="wall-card">&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;</div>'
            '<div class="wall-card">=1+2 thanks</div>') in closing
    assert "hide me" not in body
    assert "3 responded: 3 answers, 0 passes · 1 not shown" in closing
    word_step = body.split('id="step-7"', 1)[1].split("</section>", 1)[0]
    # The approved word reaches Plotly escaped, then JSON-escaped by Plotly.
    assert "\\u003cb\\u003e" not in word_step and "&lt;b&gt;tired&lt;\\u002fb&gt;" in word_step


def test_a_session_that_holds_nothing_shows_undecided_texts_but_never_hidden_ones(workshop, library):
    session = workshop.start_session("nine-domains-intro", SessionSettings(min_answers=2, hold=Hold.NOTHING))
    tokens = [workshop.join(session.code)[1] for _ in range(3)]
    workshop.go_to_step(session.code, 14)
    for token, text in zip(tokens, ["kept", "also kept", "hidden one"]):
        workshop.submit(session.code, token, 14, text)
    workshop.moderate(session.code, 14, "hidden one", Moderation.HIDDEN)
    body = reports.html_report(reports.build(workshop, session.code)).decode("utf-8")
    assert '<div class="wall-card">kept</div><div class="wall-card">also kept</div>' in body
    assert "hidden one" not in body
    assert body.count("fewer than 2 answers: not shown") == 14 + 1   # the other steps, and the check-in change


def test_building_reports_progress_from_zero_to_one(workshop, seeded):
    seen: list[float] = []
    report = reports.build(workshop, seeded.code, progress=lambda f, text: seen.append(f))
    reports.html_report(report, progress=lambda f, text: seen.append(f))
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    assert len(seen) == 15 + 1 + 15 + 2


def test_file_names_carry_the_code_and_the_date(workshop, seeded):
    session = workshop.session(seeded.code)
    today = session.created_at.date().isoformat()
    assert export_files.filename(session, "report.html") == f"ipnb-{seeded.code}-{today}-report.html"
    assert date.fromisoformat(today) == session.created_at.date()


# -- CSV and Parquet ------------------------------------------------------------------
def pseudonym_order(tokens) -> list[str]:
    """Tokens in the order their pseudonyms are numbered: by md5 of the token."""
    return sorted(tokens, key=lambda token: hashlib.md5(token.encode()).hexdigest())


def raw_answers(db_path: Path | str, code: str) -> list[tuple]:
    """The answers table itself, read directly, with each token replaced by its pseudonym."""
    order = pseudonym_order(t for (t,) in read_database(
        db_path, "SELECT token FROM participants WHERE session_code = ?", (code,)))
    rows = read_database(db_path, "SELECT step_index, exercise_id, value_json, passed, token "
                                  "FROM answers WHERE session_code = ?", (code,))
    return [(step + 1, exercise_id, value_json, passed, f"p{order.index(token) + 1:03d}")
            for step, exercise_id, value_json, passed, token in rows]


def read_zip(data: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name).decode("utf-8-sig") for name in archive.namelist()}


def test_the_csv_zip_has_one_row_per_stored_answer_and_a_data_dictionary(workshop, seeded):
    session = workshop.session(seeded.code)
    files = read_zip(export_files.csv_zip(workshop.store, session))
    answers_name = export_files.filename(session, "answers.csv")
    assert sorted(files) == sorted([answers_name, "data_dictionary.csv", "README.txt"])
    header, *rows = list(csv.reader(io.StringIO(files[answers_name])))
    assert header == list(EXPORT_COLUMNS)
    raw = raw_answers(seeded.db_path, seeded.code)
    assert len(rows) == len(raw) == 25
    col = {name: i for i, name in enumerate(header)}
    exported = sorted((int(r[col["step"]]), r[col["exercise_id"]], r[col["value"]], r[col["passed"]],
                       r[col["participant"]]) for r in rows)
    expected = []
    for step, exercise_id, value_json, passed, participant in raw:
        value = "" if value_json is None or value_json == json.dumps("hide me") else json.loads(value_json)
        value = f"'{value}" if value == FORMULA_TEXT else value
        value = f"{value:g}" if isinstance(value, float) else str(value)
        expected.append((step, exercise_id, value, "true" if passed else "false", participant))
    assert exported == sorted(expected)
    assert {r[col["session"]] for r in rows} == {seeded.code}
    assert {(r[col["domain"]], r[col["question_type"]]) for r in rows if r[col["step"]] == "10"} == \
        {("temporal", "scale")}
    moderation = sorted(r[col["moderation"]] for r in rows if r[col["step"]] == "15")
    assert moderation == ["approved", "approved", "hidden"]
    dictionary = list(csv.reader(io.StringIO(files["data_dictionary.csv"])))
    assert [row[0] for row in dictionary[1:]] == list(EXPORT_COLUMNS)
    # Our own wording needs no neutralising: the dictionary reads back word for word.
    assert [tuple(row) for row in dictionary] == [("column", "type", "description"),
                                                  *export_files.DATA_DICTIONARY]
    assert ("The Parquet export holds the raw values, not neutralised: do not paste them into "
            "a spreadsheet unescaped.") in files["README.txt"]


def test_exports_never_contain_a_phones_token(workshop, seeded):
    session = workshop.session(seeded.code)
    blob = export_files.csv_zip(workshop.store, session)
    text = "".join(read_zip(blob).values())
    assert not any(token in text for token in seeded.tokens)
    parquet = export_files.parquet_bytes(workshop.store, session)
    assert not any(token.encode() in parquet for token in seeded.tokens)
    participants = {row[EXPORT_COLUMNS.index("participant")] for row in workshop.store.export_rows(seeded.code, MODERATED_TYPES)}
    assert participants == {"p001", "p002", "p003", "p004", "p005"}


def test_pseudonyms_restart_in_every_session(workshop, seeded):
    other = workshop.start_session("nine-domains-intro").code
    token = workshop.join(other)[1]
    workshop.go_to_step(other, 1)
    workshop.submit(other, token, 1, 9)
    [row] = workshop.store.export_rows(other, MODERATED_TYPES)
    assert row[EXPORT_COLUMNS.index("participant")] == "p001"
    assert row[EXPORT_COLUMNS.index("value")] == "9"


def test_the_parquet_file_reads_back_identical_to_the_store_and_the_csv(workshop, seeded, tmp_path):
    session = workshop.session(seeded.code)
    path = tmp_path / "answers.parquet"
    path.write_bytes(export_files.parquet_bytes(workshop.store, session))
    with duckdb.connect() as conn:
        columns = [name for name, *_ in conn.execute("DESCRIBE SELECT * FROM read_parquet(?)",
                                                     [str(path)]).fetchall()]
        rows = conn.execute("SELECT * FROM read_parquet(?)", [str(path)]).fetchall()
    assert columns == list(EXPORT_COLUMNS)
    assert rows == workshop.store.export_rows(seeded.code, MODERATED_TYPES)
    assert len(rows) == 25
    assert [[export_files._cell(v) for v in r] for r in rows] == \
        export_files.csv_rows(workshop.store, seeded.code)


def exported_pairs(workshop, session, column: str) -> tuple[dict, dict, list]:
    """{value: column} of the text step from the CSV and from the Parquet file, and the CSV rows."""
    files = read_zip(export_files.csv_zip(workshop.store, session))
    header, *rows = list(csv.reader(io.StringIO(files[export_files.filename(session, "answers.csv")])))
    at = {name: i for i, name in enumerate(header)}
    from_csv = {r[at["value"]]: r[at[column]] for r in rows if r[at["step"]] == "15"}
    table = pq.read_table(io.BytesIO(export_files.parquet_bytes(workshop.store, session))).to_pylist()
    from_parquet = {r["value"]: r[column] for r in table if r["step"] == 15}
    return from_csv, from_parquet, rows


def test_pseudonyms_are_numbered_in_a_random_order_not_the_order_of_joining(workshop):
    session = workshop.start_session("nine-domains-intro")
    tokens = [workshop.join(session.code)[1] for _ in range(30)]       # phone 1 scans first
    workshop.go_to_step(session.code, 14)
    for number, token in enumerate(tokens, start=1):
        workshop.submit(session.code, token, 14, f"I am phone {number}")
    from_csv, from_parquet, rows = exported_pairs(workshop, session, "participant")
    in_joining_order = [int(from_csv[f"I am phone {n}"][1:]) for n in range(1, 31)]
    assert sorted(in_joining_order) == list(range(1, 31))
    assert in_joining_order != list(range(1, 31))                      # p001 is not the first to scan
    assert in_joining_order == [pseudonym_order(tokens).index(t) + 1 for t in tokens]
    assert from_parquet == from_csv
    assert exported_pairs(workshop, session, "participant")[0] == from_csv   # a second export agrees
    assert [r[EXPORT_COLUMNS.index("participant")] for r in rows] == [f"p{n:03d}" for n in range(1, 31)]


def test_exported_times_are_cut_to_the_minute(workshop, seeded):
    session = workshop.session(seeded.code)
    stored = {json.loads(value): at for value, at in read_database(
        seeded.db_path, "SELECT value_json, answered_at FROM answers WHERE session_code = ? "
                        "AND step_index = 14", (seeded.code,))}
    assert any(at.microsecond for at in stored.values())               # the database keeps more
    minutes = {value: at.replace(second=0, microsecond=0) for value, at in stored.items()}
    from_csv, from_parquet, rows = exported_pairs(workshop, session, "answered_at")
    at = EXPORT_COLUMNS.index("answered_at")
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", row[at]) for row in rows)
    assert from_csv == {"'" + FORMULA_TEXT if v == FORMULA_TEXT else "" if v == "hide me" else v:
                        f"{m:%Y-%m-%d %H:%M}" for v, m in minutes.items()}
    assert from_parquet == {None if v == "hide me" else v: m for v, m in minutes.items()}
    assert all(isinstance(t, datetime) and (t.second, t.microsecond) == (0, 0)
               for t in from_parquet.values())


# -- pre/post, profile, trend ------------------------------------------------------------
def test_pre_post_pairs_phones_that_answered_both_and_counts_those_who_answered_once(workshop, seeded):
    [change] = reports.pre_post(workshop, seeded.code)
    assert (change.exercise.id, change.before_step, change.after_step) == ("checkin-integration", 1, 13)
    assert change.pairs == ((3.0, 6.0, 1), (5.0, 5.0, 1), (7.0, 9.0, 1))
    assert (change.paired, change.unpaired) == (3, 2)      # phone 4 only before, phone 5 only after
    assert (change.median_before, change.median_after, change.median_change) == (5.0, 6.0, 2.0)
    assert not change.suppressed
    assert change.summary() == ("3 phones answered both · median change +2 points on the 0–10 scale · "
                                "2 answered only once and are left out")


def test_pre_post_below_the_minimum_is_not_shown(workshop):
    seeded = seed(workshop, {1: [3, 5, 7], 13: [4, None, 8]}, phones=3)
    [change] = reports.pre_post(workshop, seeded.code)
    assert change.pairs == ((3.0, 4.0, 1), (7.0, 8.0, 1))
    assert (change.paired, change.unpaired, change.suppressed) == (2, 1, True)
    assert "median change" not in change.summary()
    body = reports.html_report(reports.build(workshop, seeded.code)).decode("utf-8")
    assert "change-1-chart" not in body and "fewer than 3 answers: not shown" in body.split('id="change-1"')[1]


def test_the_domain_profile_is_the_median_per_domain_of_shown_scale_steps(workshop, seeded):
    report = reports.build(workshop, seeded.code)
    medians = {p.domain: p.median for p in report.profile.points}
    assert list(medians) == ["consciousness", "bilateral", "vertical", "memory", "narrative", "state",
                             "interpersonal", "temporal", "transpirational"]
    assert medians == dict.fromkeys(medians) | {"temporal": 5.0}
    assert [(p.answers, p.steps) for p in report.profile.points if p.domain == "temporal"] == [(4, 1)]


def test_scales_of_other_ranges_are_put_on_zero_to_ten(library):
    exercise = library.exercises["checkin-integration"]
    five_point = type(exercise)(**{**exercise.__dict__, "settings": {"min": 1, "max": 5}})
    assert [reports.normalised(v, five_point) for v in (1, 3, 5)] == [0.0, 5.0, 10.0]


def test_sessions_of_one_agenda_trend_by_step_with_suppressed_steps_left_out(workshop):
    first = seed(workshop, {1: [2, 4, 6], 13: [5, 6, 7]}, phones=3)
    second = seed(workshop, {1: [6, 7, 8], 9: [1, 2], 13: [8, 8, 9]}, phones=3)
    workshop.start_session("relational-checkin")
    result = reports.trend(workshop, "nine-domains-intro")
    assert [code for code, _ in result.sessions] == [first.code, second.code]
    assert [(s.label, s.medians) for s in result.series] == [
        ("Step 2: Integration check-in", (4.0, 7.0)),
        ("Step 10: Comfort with not knowing", (None, None)),     # two answers are below the minimum of 3
        ("Step 14: Integration check-in", (6.0, 8.0)),
    ]


def _profile(**medians: float) -> reports.DomainProfile:
    from workshop.models import DOMAIN_LABELS, NINE_DOMAINS
    return reports.DomainProfile(points=tuple(
        reports.DomainPoint(domain=d, label=DOMAIN_LABELS[d], median=medians.get(d),
                            answers=4 if d in medians else 0, steps=1 if d in medians else 0)
        for d in NINE_DOMAINS))


def test_a_profile_of_one_or_two_domains_is_a_sentence_and_three_make_a_radar():
    """A one-point radar says nothing; the facilitator reads which domains were touched instead."""
    one = reports._profile_html(_profile(vertical=6.0))
    assert "domain-profile-chart" not in one
    assert ("This agenda touched 1 domain with a scale: Vertical 6 / 10 (a radar needs 3).") in one
    two = reports._profile_html(_profile(vertical=6.0, temporal=4.5))
    assert "domain-profile-chart" not in two
    assert "This agenda touched 2 domains with a scale: Vertical 6 / 10, Temporal 4.5 / 10 (a radar needs 3)." in two
    three = reports._profile_html(_profile(vertical=6.0, temporal=4.5, memory=5.0))
    assert "domain-profile-chart" in three and "domain-profile-few" not in three
