"""A short text: shown on a wall of cards, never as a chart, moderated."""

from __future__ import annotations

import random
from typing import Any

from workshop.models import Exercise, QuestionType
from workshop.questions.base import QuestionKind
from workshop.questions.fields import clean_text
from workshop.results import StepResults

MAX_TEXT_CHARS = 280
EXAMPLE_TEXTS = ("I noticed my shoulders dropping.", "More here than when I arrived.",
                 "Still a bit scattered, and that's fine.")


class Text(QuestionKind):
    type = QuestionType.TEXT
    moderated = True
    value_format = "text: the text as typed (invisible control characters removed, spaces collapsed)"

    def normalise(self, exercise: Exercise, raw: Any) -> str:
        return clean_text(raw, MAX_TEXT_CHARS)

    def tally(self, exercise: Exercise, given: list[Any], base: dict[str, Any]) -> StepResults:
        return StepResults(**base, texts=tuple(given))

    def examples(self, exercise: Exercise, index: int, rng: random.Random) -> str:
        return EXAMPLE_TEXTS[index % len(EXAMPLE_TEXTS)]

    def phone_settings(self, exercise: Exercise) -> dict[str, Any]:
        return {**exercise.settings, "max_chars": MAX_TEXT_CHARS}

    def describe(self, exercise: Exercise) -> str:
        return f"A box for a short text, up to {MAX_TEXT_CHARS} characters."
