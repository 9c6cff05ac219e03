"""The window of tolerance check-in (workshop/questions/window.py): what a phone may send, what
the room and the facilitator see, and what a content file may say. The registry's own tests
(test_question_kinds.py) run on it too."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from tests.workshop.kind_files import answer, assert_refused_storing_nothing, phone_on_step, the_one_error
from tests.databases import read_database
from workshop.aggregate import aggregate_step, rows_for_phones
from workshop.answers import InvalidAnswer, normalise_answer
from workshop.charts import window_figure
from workshop.models import Answer
from workshop.questions import kind_of

EXERCISE = "window-of-tolerance"


@pytest.fixture
def window(library):
    return library.exercises[EXERCISE]


@pytest.fixture
def band_only(window):
    return dataclasses.replace(window, settings={**window.settings, "position": False})


def results_of(exercise, values, min_answers=1):
    answers = [Answer(0, exercise.id, f"t{n}", value, value is None) for n, value in enumerate(values)]
    return aggregate_step(exercise, answers, participants=len(values), min_answers=min_answers)


def test_a_band_with_or_without_its_place_is_stored_in_one_shape(window, band_only):
    assert normalise_answer(window, {"band": "inside"}) == {"band": "inside"}
    assert normalise_answer(window, {"position": 70.0, "band": "above"}) == {"band": "above", "position": 70}
    assert normalise_answer(window, {"band": "below", "position": None}) == {"band": "below"}
    assert normalise_answer(band_only, {"band": "below"}) == {"band": "below"}


@pytest.mark.parametrize("raw", [
    "inside", {"band": "Inside"}, {"band": "beside"}, {"band": ["inside"]}, {"position": 50},
    {"band": "inside", "position": 101}, {"band": "inside", "position": -1}, {"band": "inside", "position": 40.5},
    {"band": "inside", "position": "40"}, {"band": "inside", "position": True},
    {"band": "inside", "feeling": "calm"}, {"band": "inside", "position": 1e400},
], ids=repr)
def test_a_band_that_does_not_exist_or_a_bad_place_is_refused(window, raw):
    with pytest.raises(InvalidAnswer):
        normalise_answer(window, raw)


def test_a_place_is_refused_where_the_exercise_asks_only_for_the_band(band_only):
    with pytest.raises(InvalidAnswer, match="asks only for the band"):
        normalise_answer(band_only, {"band": "inside", "position": 50})


@pytest.fixture
def live_window(workshop):
    with phone_on_step(workshop, EXERCISE) as phone:
        yield phone


@pytest.mark.parametrize("value", [{"band": "sideways"}, {"band": "inside", "position": 250},
                                   {"band": "inside", "position": -3}, {"band": "inside", "position": 2.5},
                                   "inside", [], {"bands": ["inside", "above"]}], ids=repr)
def test_the_phone_api_refuses_a_bad_band_with_a_sentence_and_stores_nothing(live_window, workshop, value):
    assert_refused_storing_nothing(workshop, live_window, value)


def test_the_phone_api_stores_a_band_and_its_place(live_window, workshop):
    code = live_window[1]
    response = answer(live_window, {"band": "above", "position": 80})
    assert response.status_code == 200, response.text
    stored = read_database(workshop.store.target, "SELECT value_json FROM answers WHERE session_code = ?", (code,))
    assert [json.loads(row[0]) for row in stored] == [{"band": "above", "position": 80}]


def test_the_room_sees_counts_per_band_top_to_bottom_and_phones_only_the_counts(window):
    results = results_of(window, [{"band": "inside", "position": 30}, {"band": "above"},
                                  {"band": "inside"}, {"band": "below", "position": 90}, None])
    assert results.counts == (("Above my window", 1), ("Inside my window", 2), ("Below my window", 1))
    assert (results.responses, results.passes) == (4, 1)
    assert results.points == ((1.0, 30.0), (0.0, 90.0))     # (band from the bottom, place in it)
    assert rows_for_phones(results) == list(results.counts)  # never a place
    figure = window_figure(results)
    texts = [a.text for a in figure.layout.annotations]
    assert "2  (50%)" in texts and "1  (25%)" in texts
    assert any("<b>Inside my window</b>" in t for t in texts)
    assert list(figure.data[0].y) == pytest.approx([1.1 + 0.8 * 0.3, 0.1 + 0.8 * 0.9])


def test_the_facilitators_laptop_hears_when_most_of_the_group_is_outside_the_window(window):
    kind = kind_of(window)
    mostly_out = results_of(window, [{"band": "above"}] * 3 + [{"band": "below"}] * 2 + [{"band": "inside"}] * 2)
    assert kind.facilitator_cue(mostly_out) == (
        "Most of the group is outside the window: 5 of 7 (3 above, 2 below). "
        "A slower pace or a resourcing pause may help before going on.")
    half = results_of(window, [{"band": "above"}, {"band": "inside"}])
    assert kind.facilitator_cue(half) is None                 # half is not most
    few = results_of(window, [{"band": "above"}, {"band": "below"}], min_answers=3)
    assert few.suppressed and kind.facilitator_cue(few) is None  # too few to say anything about
    # The cue is the laptop's: the figure, the summary and what phones get say nothing of it.
    assert "outside the window" not in window_figure(mostly_out).to_json()


def test_names_and_words_of_the_bands_are_the_contents_and_drawn_as_plain_text(window):
    settings = kind_of(window).settings({"above": "<b>Too much</b>", "below_words": "numb & slow"}, "x")
    assert settings["above"] == "<b>Too much</b>" and settings["inside"] == "Inside my window"
    exercise = dataclasses.replace(window, settings=settings)
    texts = " ".join(a.text for a in window_figure(results_of(exercise, [{"band": "above"}])).layout.annotations)
    assert "<b>&lt;b&gt;Too much&lt;/b&gt;</b>" in texts
    assert "numb &amp; slow" in texts


@pytest.mark.parametrize(("settings", "field", "reason"), [
    ("{position: yes please}", "settings.position", "must be true or false"),
    ("{above: Here, inside: here}", "settings.below", "each band needs a name of its own"),
    ("{inside: " + "x" * 41 + "}", "settings.inside", "longer than 40 characters"),
    ("{below_words: " + "y" * 81 + "}", "settings.below_words", "longer than 80 characters"),
    ("{above: 3}", "settings.above", "must be a non-empty text"),
    ("[above]", "settings", "must be a mapping"),
])
def test_a_content_file_with_bad_window_settings_names_file_field_and_reason(tmp_path: Path, settings, field, reason):
    found, said = the_one_error(tmp_path, "window", settings)
    assert found == field and reason in said, said


def test_the_ninety_minute_agenda_opens_and_closes_with_the_window(library):
    steps = [s.id for s in library.agendas["river-and-window"].steps]
    assert steps[1] == EXERCISE and steps[-2] == EXERCISE and steps.count(EXERCISE) == 2
