"""Points to share (workshop/questions/points.py): what a phone may send, what the room sees and
what a content file may say. The registry's own tests (test_question_kinds.py) run on it too."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from tests.workshop.kind_files import answer, assert_refused_storing_nothing, phone_on_step, the_one_error
from workshop.aggregate import aggregate_step, rows_for_phones
from workshop.answers import InvalidAnswer, normalise_answer
from workshop.charts import points_figure
from workshop.models import Answer
from workshop.results import ItemSpread

EXERCISE = "vertical-sift-points"


@pytest.fixture
def sift(library):
    return library.exercises[EXERCISE]


def test_whole_points_adding_up_to_the_total_are_stored_as_whole_numbers(sift):
    assert sift.settings == {"items": ["Sensations", "Images", "Feelings", "Thoughts"], "total": 100, "step": 5}
    assert normalise_answer(sift, [25, 25, 50, 0]) == [25, 25, 50, 0]
    assert normalise_answer(sift, [25.0, 25, 50, 0]) == [25, 25, 50, 0]
    assert normalise_answer(sift, [1, 2, 3, 94]) == [1, 2, 3, 94]   # the step is the phone's, not a rule


@pytest.mark.parametrize(("raw", "said"), [
    ([25, 25, 50], "each of the 4 items"),                          # an item missing
    ([25, 25, 25, 25, 0], "each of the 4 items"),
    ({"Sensations": 100}, "each of the 4 items"),
    ([50, 50, -10, 10], "cannot be negative"),
    ([25.5, 24.5, 25, 25], "whole number"),
    ([25, 25, 25, 24], "add up to 99; please share exactly 100"),
    ([100, 100, 0, 0], "add up to 200"),
    ([0, 0, 0, 0], "add up to 0"),
    (["25", 25, 25, 25], "whole number"),
    ([True, 25, 25, 49], "whole number"),
    ([None, 50, 25, 25], "whole number"),
    ([10 ** 400, 0, 0, 0], "from 0 to 100"),
])
def test_points_that_do_not_add_up_or_are_negative_or_fractional_are_refused_in_a_sentence(sift, raw, said):
    with pytest.raises(InvalidAnswer, match=said):
        normalise_answer(sift, raw)


@pytest.fixture
def live_points(workshop):
    with phone_on_step(workshop, EXERCISE) as phone:
        yield phone


@pytest.mark.parametrize("value", [[25, 25, 25], [50, 50, -10, 10], [25.5, 24.5, 25, 25], [25, 25, 25, 26], 100])
def test_the_phone_api_refuses_bad_points_with_a_sentence_and_stores_nothing(live_points, workshop, value):
    assert_refused_storing_nothing(workshop, live_points, value)
    assert answer(live_points, [10, 20, 30, 40]).status_code == 200
    assert workshop.store.count_answers(live_points[1]) == 1


def test_the_room_sees_each_items_mean_share_and_the_middle_half_and_phones_nothing(sift):
    values = [[20, 10, 30, 40], [0, 0, 50, 50], [25, 25, 25, 25], [5, 5, 10, 80]]
    answers = [Answer(0, sift.id, f"t{n}", value, False) for n, value in enumerate(values)]
    results = aggregate_step(sift, answers + [Answer(0, sift.id, "p", None, True)], participants=5)
    assert (results.responses, results.passes) == (4, 1)
    assert results.items[3] == ItemSpread("Thoughts", 48.75, 36.25, 57.5)   # 25 40 50 80: quartiles
    assert [item.label for item in results.items] == sift.settings["items"]
    assert rows_for_phones(results) == []       # how others shared stays on the projector
    figure = points_figure(results)
    assert list(figure.data[0].y) == ["Thoughts", "Feelings", "Images", "Sensations"]   # the first on top
    assert figure.data[0].text[0] == "49%  (36–58)"


def test_item_names_reach_the_projector_as_plain_text(sift):
    settings = {**sift.settings, "items": ["<b>Body</b>", "Mind & heart"]}
    exercise = dataclasses.replace(sift, settings=settings)
    answers = [Answer(0, sift.id, "t", [60, 40], False)]
    figure = points_figure(aggregate_step(exercise, answers, participants=1))
    assert list(figure.data[0].y) == ["Mind &amp; heart", "&lt;b&gt;Body&lt;/b&gt;"]


@pytest.mark.parametrize(("settings", "field", "reason"), [
    ("{items: [Only]}", "settings.items", "must be a list of 2 to 8 items"),
    ("{items: [a, b, c, d, e, f, g, h, i]}", "settings.items", "must be a list of 2 to 8 items"),
    ("{items: [a, a]}", "settings.items", "has the same item twice"),
    ("{items: [a, b], total: 0}", "settings.total", "must be between 10 and 1000, got 0"),
    ("{items: [a, b], total: 100, step: 30}", "settings.step", "must divide the total (100), got 30"),
    ("{items: [a, b], total: 10.5}", "settings.total", "must be a whole number"),
    ("{items: [a, '" + "x" * 61 + "']}", "settings.items[1]", "longer than 60 characters"),
    ("{total: 100}", "settings.items", "must be a list of 2 to 8 items"),
])
def test_a_content_file_with_bad_points_settings_names_file_field_and_reason(tmp_path: Path, settings, field, reason):
    found, said = the_one_error(tmp_path, "points", settings)
    assert found == field and reason in said, said