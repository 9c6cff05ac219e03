"""What every question kind must do, parametrised over the registry: a new kind gets these for free."""

from __future__ import annotations

import math
import random

import plotly.graph_objects as go
import pytest

from workshop.aggregate import aggregate_step, rows_for_phones
from workshop.answers import InvalidAnswer, normalise_answer
from workshop.content import validate_settings
from workshop.models import QuestionType
from workshop.preview import example_answers
from workshop.questions import KINDS, figure_for, kind_of
from workshop.export_files import csv_rows
from workshop.storage.exports import EXPORT_COLUMNS

ALL = sorted(KINDS.values(), key=lambda kind: kind.type.value)


def shipped_example(library, kind):
    """An exercise of this kind from content/: every kind ships with one to learn from."""
    found = [e for e in library.exercises.values() if e.type is kind.type]
    assert found, f"content/ has no {kind.type.value} exercise"
    return found[0]


def test_every_question_type_has_exactly_one_kind():
    assert set(KINDS) == set(QuestionType)
    assert all(kind.type is qtype for qtype, kind in KINDS.items())


def test_the_export_says_the_moderation_of_exactly_the_moderated_kinds(all_types_workshop):
    ws = all_types_workshop
    session = ws.start_session("all-types")
    token = ws.join(session.code)[1]
    for step, exercise in enumerate(session.steps):
        ws.go_to_step(session.code, step)
        ws.submit(session.code, token, step, kind_of(exercise).examples(exercise, 0, random.Random(step)))
    said = {row[EXPORT_COLUMNS.index("question_type")]: row[EXPORT_COLUMNS.index("moderation")]
            for row in csv_rows(ws.store, session.code)}
    assert said == {kind.type.value: "undecided" if kind.moderated else "" for kind in KINDS.values()}


@pytest.mark.parametrize("kind", ALL, ids=lambda k: k.type.value)
def test_a_kinds_settings_load_again_unchanged(library, kind):
    exercise = shipped_example(library, kind)
    assert validate_settings(kind.type, dict(exercise.settings), "x.settings") == exercise.settings


@pytest.mark.parametrize("kind", ALL, ids=lambda k: k.type.value)
def test_a_kinds_example_answers_are_valid_answers_that_tally_and_draw(library, kind):
    exercise = shipped_example(library, kind)
    answers = example_answers(exercise, count=12)
    for answer in answers:
        assert normalise_answer(exercise, answer.value) == answer.value  # stored as made
    results = aggregate_step(exercise, answers, participants=12)
    assert (results.responses, results.passes) == (12, 0)
    figure = figure_for(results)
    assert figure is None if kind.type is QuestionType.TEXT else isinstance(figure, go.Figure)


@pytest.mark.parametrize("kind", ALL, ids=lambda k: k.type.value)
@pytest.mark.parametrize("raw", [None, {}, [], True, "x" * 5_000, math.nan, 10 ** 400, [[1, 2]]],
                         ids=["none", "object", "empty-list", "bool", "huge-text", "nan", "huge-int", "nested"])
def test_a_kind_refuses_what_no_phone_page_sends(library, kind, raw):
    with pytest.raises(InvalidAnswer):
        normalise_answer(shipped_example(library, kind), raw)


@pytest.mark.parametrize("kind", ALL, ids=lambda k: k.type.value)
def test_phones_get_the_settings_and_limits_and_only_counts_of_the_group(library, kind):
    exercise = shipped_example(library, kind)
    sent = kind.phone_settings(exercise)
    assert set(exercise.settings) <= set(sent)
    if kind.type in (QuestionType.WORD, QuestionType.TEXT):
        assert isinstance(sent["max_chars"], int)  # the phone reads its limit, not a copy of it
    results = aggregate_step(exercise, example_answers(exercise), participants=12)
    rows = rows_for_phones(results)
    assert len(rows) <= kind.phone_rows
    if not kind.phone_rows:
        assert rows == []  # texts and positions never reach a phone


@pytest.mark.parametrize("kind", ALL, ids=lambda k: k.type.value)
def test_a_kind_says_what_the_phone_shows_and_what_the_export_holds(library, kind):
    assert kind.describe(shipped_example(library, kind))
    assert kind.value_format.startswith(kind.type.value + ":")
