"""The mood map (workshop/questions/mood.py): what a phone may send, what the room sees and what a
content file may say. The registry's own tests (test_question_kinds.py) run on it too."""

from __future__ import annotations

from pathlib import Path

import plotly.graph_objects as go
import pytest

from tests.workshop.kind_files import answer, assert_refused_storing_nothing, phone_on_step, the_one_error
from workshop.aggregate import aggregate_step, rows_for_phones
from workshop.answers import InvalidAnswer, normalise_answer
from workshop.charts import MOOD_DENSITY_FROM, mood_figure
from workshop.models import Answer


@pytest.fixture
def mood(library):
    return library.exercises["mood-map"]


def test_a_dot_and_a_word_of_its_quadrant_are_stored_as_whole_numbers(mood):
    assert normalise_answer(mood, {"point": [80.4, 20]}) == {"point": [80, 20]}
    assert normalise_answer(mood, {"point": [80, 20], "word": "calm"}) == {"point": [80, 20], "word": "calm"}
    assert normalise_answer(mood, {"point": [50, 50], "word": "joyful"})["word"] == "joyful"  # the middle: top right
    assert normalise_answer(mood, {"point": [10, 90], "word": None}) == {"point": [10, 90]}


@pytest.mark.parametrize(("raw", "said"), [
    ({"point": [80, 20], "word": "tense"}, "words shown for where your dot is"),   # a top-left word, bottom right
    ({"point": [80, 20], "word": "serene"}, "words shown"),
    ({"point": [101, 20]}, "between 0 and 100"),
    ({"point": [-1, 20]}, "between 0 and 100"),
    ({"point": [50]}, "tap the map"),
    ({"point": "50,50"}, "tap the map"),
    ([50, 50], "tap the map"),
    ({"point": [50, 50], "mood": "fine"}, "choose a word if you like"),
    ({"point": [True, 50]}, "choose a point"),
])
def test_a_dot_off_the_map_or_a_word_from_elsewhere_is_refused_in_a_sentence(mood, raw, said):
    with pytest.raises(InvalidAnswer, match=said):
        normalise_answer(mood, raw)


def test_the_phone_api_refuses_a_bad_mood_and_stores_nothing(workshop):
    with phone_on_step(workshop, "mood-map", agenda="relational-checkin") as phone:
        for value in ({"point": [90, 90], "word": "tired"}, {"point": [200, 0]}, {"word": "calm"}):
            assert_refused_storing_nothing(workshop, phone, value)
        assert answer(phone, {"point": [90, 90], "word": "curious"}).status_code == 200
        assert workshop.store.count_answers(phone[1]) == 1


def test_the_room_sees_dots_then_a_shape_with_the_words_per_quadrant_and_phones_nothing(mood):
    values = [{"point": [80, 20], "word": "calm"}, {"point": [70, 30], "word": "calm"}, {"point": [20, 80]}]
    answers = [Answer(0, mood.id, f"t{n}", v, False) for n, v in enumerate(values)]
    results = aggregate_step(mood, answers, participants=3)
    assert results.points == ((80.0, 20.0), (70.0, 30.0), (20.0, 80.0)) and results.counts == (("calm", 2),)
    assert rows_for_phones(results) == []
    few = mood_figure(results)
    assert [type(trace) for trace in few.data] == [go.Scatter]           # a few answers: dots only
    assert any("<b>At ease</b><br>calm 2" == a.text for a in few.layout.annotations)
    crowd = [Answer(0, mood.id, f"c{n}", {"point": [n * 7 % 100, n * 13 % 100]}, False)
             for n in range(MOOD_DENSITY_FROM)]
    many = mood_figure(aggregate_step(mood, crowd, participants=len(crowd)))
    assert [type(trace) for trace in many.data] == [go.Histogram2dContour, go.Scatter]   # a shape, dots on it


@pytest.mark.parametrize(("settings", "field", "reason"), [
    ("{top_left: Same, top_right: same}", "settings.bottom_right", "each quadrant needs a name of its own"),
    ("{top_left_words: [a, a]}", "settings.top_left_words", "has the same top_left_word twice"),
    ("{bottom_right_words: ['" + "w" * 25 + "']}", "settings.bottom_right_words[0]", "longer than 24 characters"),
    ("{bottom_left_words: calm}", "settings.bottom_left_words", "must be a list of 0 to 8"),
    ("{x_left: 7}", "settings.x_left", "must be a non-empty text"),
])
def test_a_content_file_with_bad_mood_settings_names_file_field_and_reason(tmp_path: Path, settings, field, reason):
    found, said = the_one_error(tmp_path, "mood", settings)
    assert found == field and reason in said, said
