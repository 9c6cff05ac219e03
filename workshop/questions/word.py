"""A word (or up to three): counted case-insensitively into a word cloud, moderated.

The room sees a word cloud (workshop/word_cloud.py) or, where the content says
`display: treemap`, a treemap, whose tile areas compare counts more exactly."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import plotly.graph_objects as go

from workshop.charts import word_figure
from workshop.models import Exercise, QuestionType
from workshop.questions.base import QuestionKind
from workshop.questions.fields import InvalidAnswer, InvalidContent, clean_text, read_int
from workshop.results import StepResults
from workshop.word_cloud import word_cloud_figure

MAX_WORD_CHARS = 40
DISPLAYS = {"cloud": word_cloud_figure, "treemap": word_figure}
DEFAULT_DISPLAY = "cloud"   # also for sessions started before `display` existed
EXAMPLE_WORDS = ("calm", "curious", "tired", "open", "calm", "warm", "curious", "calm", "heavy", "light")


def normalise_word(raw: Any, max_words: int) -> str:
    """Words are compared case-insensitively so 'Calm' and ' calm ' count together."""
    word = clean_text(raw, MAX_WORD_CHARS).casefold()
    if len(word.split(" ")) > max_words:
        limit = "one word" if max_words == 1 else f"at most {max_words} words"
        raise InvalidAnswer(f"Please use {limit}.")
    return word


class Word(QuestionKind):
    type = QuestionType.WORD
    moderated = True
    phone_rows = 10  # the most frequent words only: a long tail would single people out
    value_format = "word: the word as counted (case-folded, spaces collapsed)"

    def settings(self, raw: dict[str, Any], where: str) -> dict[str, Any]:
        display = raw.get("display", DEFAULT_DISPLAY)
        if display not in DISPLAYS:
            raise InvalidContent(f"{where}.display", f"must be one of {', '.join(DISPLAYS)}, got {display!r}")
        return {"max_words": read_int(raw, "max_words", where, 1, 3, default=1), "display": display}

    def normalise(self, exercise: Exercise, raw: Any) -> str:
        return normalise_word(raw, exercise.settings["max_words"])

    def tally(self, exercise: Exercise, given: list[Any], base: dict[str, Any]) -> StepResults:
        ordered = sorted(Counter(given).items(), key=lambda item: (-item[1], item[0]))
        return StepResults(**base, counts=tuple(ordered))

    def examples(self, exercise: Exercise, index: int, rng: random.Random) -> str:
        return EXAMPLE_WORDS[index % len(EXAMPLE_WORDS)]

    def figure(self, results: StepResults) -> go.Figure:
        return DISPLAYS[results.exercise.settings.get("display", DEFAULT_DISPLAY)](results)

    def phone_settings(self, exercise: Exercise) -> dict[str, Any]:
        return {**exercise.settings, "max_chars": MAX_WORD_CHARS}

    def describe(self, exercise: Exercise) -> str:
        shown = "a word cloud" if exercise.settings.get("display", DEFAULT_DISPLAY) == "cloud" else "a treemap"
        return (f"A box for up to {exercise.settings['max_words']} word(s), {MAX_WORD_CHARS} characters; "
                f"the room sees {shown}.")
