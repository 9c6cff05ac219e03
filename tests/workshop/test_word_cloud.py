"""The word cloud (workshop/word_cloud.py): the wordcloud package's layout drawn in Plotly,
readable from the back of a room, with words that stay where they are between refreshes."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from tests.workshop.kind_files import the_one_error
from workshop.aggregate import aggregate_step
from workshop.models import Answer
from workshop.questions import figure_for
from workshop.word_cloud import (CANVAS, LARGEST_PX, LAYOUT_SCALE, MEASURING_FONT, SMALLEST_PX, _box, layout_words,
                                 size_step, word_cloud_figure)

FEELINGS = ("calm", "curious", "tired", "open", "warm", "heavy", "light", "grateful", "anxious", "hopeful",
            "present", "sleepy", "restless", "peaceful", "connected", "scattered", "focused", "tender")


def room(counts: dict[str, int]) -> tuple[tuple[str, int], ...]:
    """Counts as a word step tallies them: most answers first, then alphabetical."""
    return tuple(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def a_room_of(answers: int) -> dict[str, int]:
    """About `answers` answers over FEELINGS, the first words the most often given."""
    weights = [1 / (rank + 1) for rank in range(len(FEELINGS))]
    return {word: max(1, round(answers * w / sum(weights))) for word, w in zip(FEELINGS, weights)}


@pytest.fixture
def word_step(library):
    return dataclasses.replace(library.exercises["bilateral-literal-word"], id="w")


def test_the_largest_word_is_at_least_120_px_none_under_28_and_none_leave_the_canvas():
    cloud = layout_words(room(a_room_of(200)))
    sizes = [word.size for word in cloud.words]
    assert sizes[0] == LARGEST_PX >= 120 and min(sizes) >= SMALLEST_PX == 28
    assert cloud.words[0].text == "calm" and len(cloud.words) + cloud.left_out == len(FEELINGS)
    for word in cloud.words:
        assert 0 < word.x < CANVAS[0] and 0 < word.y < CANVAS[1], word


def test_more_answers_make_a_word_larger_never_smaller():
    cloud = layout_words(room({"calm": 16, "open": 4, "tired": 1}))
    size = {word.text: word.size for word in cloud.words}
    assert size["calm"] > size["open"] > size["tired"]


STEADY = {"calm": 20, "curious": 9, "open": 6, "tired": 6, "warm": 3, "heavy": 2, "light": 1, "tender": 1}


def test_the_same_counts_give_the_same_picture_and_one_more_answer_mostly_moves_nothing():
    before = layout_words(room(STEADY))
    assert layout_words(room(dict(STEADY))) == before
    # 6 to 7 answers stays in one half-octave (5.7 up to 8): no word moves or changes size.
    assert size_step(7) == size_step(6)
    assert layout_words(room({**STEADY, "open": 7})).words == tuple(
        dataclasses.replace(word, count=7) if word.text == "open" else word for word in before.words)
    # A new word with one answer moves at most the one-answer words after it: the rest stay.
    after = {word.text: word for word in layout_words(room({**STEADY, "kind": 1})).words}
    assert [word for word in before.words if STEADY[word.text] > 1] == [
        after[word.text] for word in before.words if STEADY[word.text] > 1]


def test_words_that_find_no_room_are_counted_as_more(word_step):
    counts = {f"feeling{n:02d}": 1 + n % 4 for n in range(80)}
    cloud = layout_words(room(counts))
    assert cloud.left_out == 80 - len(cloud.words) > 0
    results = aggregate_step(word_step, [Answer(0, "w", f"t{n}", word, False)
                                                for n, (word, count) in enumerate(counts.items())
                                                for _ in range(count)], participants=200)
    notes = [a.text for a in word_cloud_figure(results).layout.annotations]
    assert f"+{cloud.left_out} more" in notes


def ink(word) -> np.ndarray:
    """The pixels one word inks where the layout put it, drawn as the package draws (its font,
    at the layout's scale, from the word's drawing point)."""
    canvas = Image.new("L", (CANVAS[0] // LAYOUT_SCALE, CANVAS[1] // LAYOUT_SCALE))
    size = word.size // LAYOUT_SCALE
    width, height = _box(MEASURING_FONT, word.text, size, not word.upright)
    font = ImageFont.TransposedFont(ImageFont.truetype(MEASURING_FONT, size),
                                    orientation=None if word.upright else Image.ROTATE_90)
    point = (round(word.x / LAYOUT_SCALE - width / 2), round(word.y / LAYOUT_SCALE - height / 2))
    ImageDraw.Draw(canvas).text(point, word.text, fill=255, font=font)
    return np.asarray(canvas) > 0


@pytest.mark.parametrize("answers", [12, 80, 300])
def test_no_two_words_ink_the_same_pixel(answers):
    inks = [ink(word) for word in layout_words(room(a_room_of(answers))).words]
    assert all(mask.any() for mask in inks)
    for i, a in enumerate(inks):
        for b in inks[i + 1:]:
            assert not (a & b).any()


def test_typed_markup_reaches_the_cloud_as_plain_text(word_step):
    results = aggregate_step(word_step, [Answer(0, "w", "t", "<b>x</b> & y", False)], participants=1)
    assert [a.text for a in figure_for(results).layout.annotations] == ["&lt;b&gt;x&lt;/b&gt; &amp; y"]


def test_no_words_draw_an_empty_cloud(word_step):
    results = aggregate_step(word_step, [], participants=3)
    assert word_cloud_figure(results).layout.annotations == ()


@pytest.mark.parametrize(("settings", "reason"), [
    ("{display: bubbles}", "must be one of cloud, treemap, got 'bubbles'"),
    ("{display: 3}", "must be one of cloud, treemap, got 3"),
])
def test_a_word_step_shows_a_cloud_or_a_treemap_and_nothing_else(tmp_path: Path, settings, reason):
    found, said = the_one_error(tmp_path, "word", settings)
    assert found == "settings.display" and reason in said, said
