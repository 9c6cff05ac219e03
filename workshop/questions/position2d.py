"""A 2-D position: a point [x, y], each 0-100, in a field with four named poles."""

from __future__ import annotations

import random
from typing import Any

from workshop.charts import position2d_figure
from workshop.models import Exercise, QuestionType
from workshop.questions.base import QuestionKind
from workshop.questions.fields import InvalidAnswer, number, read_text
from workshop.results import StepResults

POLES = ("x_left", "x_right", "y_bottom", "y_top")


class Position2D(QuestionKind):
    type = QuestionType.POSITION2D
    value_format = "position2d: a JSON list [x, y], each from 0 to 100"

    def settings(self, raw: dict[str, Any], where: str) -> dict[str, Any]:
        return {key: read_text(raw, key, where, max_len=60) for key in POLES}

    def normalise(self, exercise: Exercise, raw: Any) -> list[float]:
        if not isinstance(raw, list) or len(raw) != 2:
            raise InvalidAnswer("Please tap a point in the field.")
        return [round(number(v, 0, 100, "point"), 1) for v in raw]

    def tally(self, exercise: Exercise, given: list[Any], base: dict[str, Any]) -> StepResults:
        return StepResults(**base, points=tuple((float(x), float(y)) for x, y in given))

    def examples(self, exercise: Exercise, index: int, rng: random.Random) -> list[float]:
        return [round(rng.uniform(5, 95), 1), round(rng.uniform(5, 95), 1)]

    figure = staticmethod(position2d_figure)

    def describe(self, exercise: Exercise) -> str:
        s = exercise.settings
        return (f"A field to tap: left “{s['x_left']}”, right “{s['x_right']}”, "
                f"bottom “{s['y_bottom']}”, top “{s['y_top']}”.")
