import pytest

from workshop.answers import InvalidAnswer, normalise_answer


def ex(library, exercise_id):
    return library.exercises[exercise_id]


def test_scale_answers_must_be_whole_numbers_within_the_scale(library):
    scale = ex(library, "checkin-integration")
    assert normalise_answer(scale, 7) == 7
    assert normalise_answer(scale, 7.0) == 7
    for bad in (11, -1, 6.5, "7", True, None, float("nan")):
        with pytest.raises(InvalidAnswer):
            normalise_answer(scale, bad)


def test_choices_must_be_among_the_options_and_keep_their_order(library):
    single = ex(library, "checkin-window")
    first = single.settings["options"][0]
    assert normalise_answer(single, first) == first
    with pytest.raises(InvalidAnswer, match="one of the options"):
        normalise_answer(single, "<script>alert(1)</script>")
    multi = ex(library, "faces-pick")
    a, b = multi.settings["options"][:2]
    assert normalise_answer(multi, [b, a]) == [a, b]
    with pytest.raises(InvalidAnswer, match="once"):
        normalise_answer(multi, [a, a])
    with pytest.raises(InvalidAnswer, match="at most 2"):
        normalise_answer(multi, multi.settings["options"][:3])


def test_words_are_normalised_for_case_and_whitespace(library):
    word = ex(library, "bilateral-literal-word")
    assert normalise_answer(word, "  Calm\t") == "calm"
    assert normalise_answer(word, "CALM") == normalise_answer(word, "calm")
    with pytest.raises(InvalidAnswer, match="one word"):
        normalise_answer(word, "two words")
    with pytest.raises(InvalidAnswer, match="40 characters"):
        normalise_answer(word, "x" * 41)
    with pytest.raises(InvalidAnswer, match="empty"):
        normalise_answer(word, "   ")


def test_text_keeps_markup_emoji_and_rtl_but_drops_control_characters(library):
    text = ex(library, "grounding-close")
    hostile = "![x](http://evil/img.png) <script>alert(1)</script> 🌊 שלום\u202e\x07"
    assert normalise_answer(text, hostile) == "![x](http://evil/img.png) <script>alert(1)</script> 🌊 שלום"
    with pytest.raises(InvalidAnswer, match="280 characters"):
        normalise_answer(text, "a" * 10_000)


def test_positions_must_lie_in_the_field(library):
    spectrum = ex(library, "river-position")
    assert normalise_answer(spectrum, 33.333) == 33.3
    with pytest.raises(InvalidAnswer):
        normalise_answer(spectrum, 101)
    field = ex(library, "checkin-calm-connected")
    assert normalise_answer(field, [0, 100]) == [0.0, 100.0]
    for bad in ([50], [50, 150], "50,50", [None, 2]):
        with pytest.raises(InvalidAnswer):
            normalise_answer(field, bad)
