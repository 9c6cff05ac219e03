"""Statements on one scale (workshop/questions/statements.py): what a phone may send, what the
room sees and what a content file may say. The registry's own tests (test_question_kinds.py)
run on it too."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from tests.workshop.kind_files import answer, assert_refused_storing_nothing, phone_on_step, the_one_error
from workshop.aggregate import aggregate_step, rows_for_phones
from workshop.answers import InvalidAnswer, normalise_answer
from workshop.charts import statements_figure
from workshop.content import validate_settings
from workshop.models import Answer, QuestionType
from workshop.questions.statements import TEMPLATES
from workshop.results import RatedRow

EXERCISE = "faces-statements"


@pytest.fixture
def faces(library):
    return library.exercises[EXERCISE]


def test_the_faces_statements_are_rated_on_the_agreement_template(faces):
    assert len(faces.settings["statements"]) == 5
    assert (faces.settings["scale"], faces.settings["levels"]) == ("agreement", TEMPLATES["agreement"])


def test_a_level_or_a_pass_per_statement_is_stored_as_whole_numbers_and_nulls(faces):
    assert normalise_answer(faces, [1, 5, None, 3.0, 4]) == [1, 5, None, 3, 4]
    assert normalise_answer(faces, [None, None, None, None, 2]) == [None, None, None, None, 2]


@pytest.mark.parametrize(("raw", "said"), [
    ([1, 2, 3, 4], "each of the 5 statements"),                   # a row missing
    ([1, 2, 3, 4, 5, 1], "each of the 5 statements"),
    ({"0": 1}, "each of the 5 statements"),
    ([0, 2, 3, 4, 5], "a level from 1 to 5"),                      # out of range, both ends
    ([1, 2, 3, 4, 6], "a level from 1 to 5"),
    ([1, 2, -3, 4, 5], "a level from 1 to 5"),
    ([1, 2.5, 3, 4, 5], "a level from 1 to 5"),
    ([1, 2, 3, 4, 10 ** 400], "a level from 1 to 5"),
    (["Agree", 2, 3, 4, 5], "one of the scale's levels"),
    ([True, 2, 3, 4, 5], "one of the scale's levels"),
    ([[1], 2, 3, 4, 5], "one of the scale's levels"),
    ([None] * 5, "tap Pass to pass the whole question"),
])
def test_a_row_out_of_range_or_missing_is_refused_in_a_sentence(faces, raw, said):
    with pytest.raises(InvalidAnswer, match=said):
        normalise_answer(faces, raw)


def test_the_phone_api_refuses_bad_statements_and_stores_nothing(workshop):
    with phone_on_step(workshop, EXERCISE) as phone:
        for value in ([1, 2, 3, 4], [1, 2, 3, 4, 6], [0, 2, 3, 4, 5], [1.5, 2, 3, 4, 5], [None] * 5, 3):
            assert_refused_storing_nothing(workshop, phone, value)
        assert answer(phone, [4, None, 2, 5, 3]).status_code == 200
        assert workshop.store.count_answers(phone[1]) == 1


def test_the_room_sees_each_statements_shares_and_passes_and_phones_nothing(faces):
    values = [[5, 4, 1, None, 3], [4, 4, 2, None, 3], [4, 2, None, None, 3], [1, 4, 2, 5, 3]]
    answers = [Answer(0, faces.id, f"t{n}", value, False) for n, value in enumerate(values)]
    results = aggregate_step(faces, answers + [Answer(0, faces.id, "p", None, True)], participants=5,
                             min_answers=3)
    assert (results.responses, results.passes) == (4, 1)
    assert results.rows[0] == RatedRow(faces.settings["statements"][0], (1, 0, 0, 2, 1), 0)
    assert results.rows[2] == RatedRow(faces.settings["statements"][2], (1, 2, 0, 0, 0), 1)
    assert results.rows[3].rated == 1 and results.rows[3].passed == 3
    assert rows_for_phones(results) == []        # how others rated stays on the projector
    figure = statements_figure(results)
    bars = {trace.name: trace for trace in figure.data if trace.showlegend is not False}
    assert list(bars) == ["Neither agree nor disagree", "Disagree", "Strongly disagree", "Agree",
                          "Strongly agree"]
    # Disagreement to the left of the line, agreement to the right, each the row's share.
    assert bars["Agree"].x[0] == 50 and bars["Strongly disagree"].x[0] == -25
    assert bars["Strongly disagree"].text[0] == "25%" and bars["Disagree"].x[2] == pytest.approx(-200 / 3)
    # The middle level straddles the line: half on each side.
    middle = [trace for trace in figure.data if trace.name == "Neither agree nor disagree"]
    assert [trace.x[4] for trace in middle] == [-50, 50]
    notes = [a.text for a in figure.layout.annotations]
    assert "4 rated · 0 passed" in notes and "3 rated · 1 passed" in notes
    # One phone rated the fourth statement: below the minimum of 3, so it is not drawn at all.
    assert all(trace.x[3] == 0 and not trace.text[3] for trace in figure.data)
    assert notes.count("too few ratings to show") == 1


def test_statements_and_levels_reach_the_projector_as_plain_text(faces):
    settings = validate_settings(QuestionType.STATEMENTS, {
        "statements": ["<b>Open</b>", "Calm & clear"], "levels": ["<i>no</i>", "maybe", "yes"]}, "x")
    exercise = dataclasses.replace(faces, settings=settings)
    figure = statements_figure(aggregate_step(exercise, [Answer(0, faces.id, "t", [1, 3], False)], participants=1))
    assert list(figure.data[0].y) == ["&lt;b&gt;Open&lt;/b&gt;", "Calm &amp; clear"]
    assert "&lt;i&gt;no&lt;/i&gt;" in {trace.name for trace in figure.data}


@pytest.mark.parametrize(("scale", "count"), [("agreement", 5), ("frequency", 5), ("intensity", 5)])
def test_each_template_gives_its_levels_and_an_own_scale_keeps_the_contents_levels(scale, count):
    settings = validate_settings(QuestionType.STATEMENTS, {"statements": ["a", "b"], "scale": scale}, "x")
    assert settings["levels"] == TEMPLATES[scale] and len(settings["levels"]) == count
    own = validate_settings(QuestionType.STATEMENTS, {"statements": ["a", "b"], "levels": ["no", "some", "yes"]}, "x")
    assert (own["scale"], own["levels"]) == ("own", ["no", "some", "yes"])
    assert validate_settings(QuestionType.STATEMENTS, dict(own), "x") == own


@pytest.mark.parametrize(("settings", "field", "reason"), [
    ("{statements: [a, b]}", "settings.scale", "is missing: name a template (agreement, frequency, intensity)"),
    ("{statements: [a, b], scale: likert}", "settings.scale", "must be one of agreement, frequency, intensity"),
    ("{statements: [Only], scale: agreement}", "settings.statements", "must be a list of 2 to 8 statements"),
    ("{statements: [a, b, c, d, e, f, g, h, i], scale: agreement}", "settings.statements",
     "must be a list of 2 to 8 statements"),
    ("{statements: [a, a], scale: agreement}", "settings.statements", "has the same statement twice"),
    ("{statements: [a, b], levels: [no, yes]}", "settings.levels", "must be a list of 3 to 7 levels"),
    ("{statements: [a, b], levels: [1, 2, 3, 4, 5, 6, 7, 8]}", "settings.levels", "must be a list of 3 to 7 levels"),
    ("{statements: [a, b], levels: [never, never, always]}", "settings.levels", "has the same level twice"),
    ("{statements: [a, b], levels: [no, maybe, 'yes']}", "settings.levels[0]",
     "was read as true or false: put it in quotes"),
    ("{statements: [a, b], scale: frequency, levels: [never, some, always]}", "settings.levels",
     "differ from the frequency template's"),
    ("{statements: [a, '" + "x" * 101 + "'], scale: agreement}", "settings.statements[1]",
     "longer than 100 characters"),
    ("{scale: agreement}", "settings.statements", "must be a list of 2 to 8 statements"),
])
def test_a_content_file_with_bad_statements_settings_names_file_field_and_reason(tmp_path: Path, settings, field, reason):
    found, said = the_one_error(tmp_path, "statements", settings)
    assert found == field and reason in said, said
