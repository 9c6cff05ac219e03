"""A spectrum: a position 0-100 between two named poles (the river of integration)."""

from __future__ import annotations

import random
import statistics
from typing import Any

from workshop.charts import spectrum_figure
from workshop.models import Exercise, QuestionType
from workshop.questions.base import QuestionKind
from workshop.questions.fields import number, read_text
from workshop.results import StepResults


class Spectrum(QuestionKind):
    type = QuestionType.SPECTRUM
    value_format = "spectrum: a position from 0 (left) to 100 (right)"

    def settings(self, raw: dict[str, Any], where: str) -> dict[str, Any]:
        return {"left": read_text(raw, "left", where, max_len=60),
                "right": read_text(raw, "right", where, max_len=60),
                "middle": read_text(raw, "middle", where, required=False, max_len=60) or ""}

    def normalise(self, exercise: Exercise, raw: Any) -> float:
        return round(number(raw, 0, 100, "position"), 1)

    def tally(self, exercise: Exercise, given: list[Any], base: dict[str, Any]) -> StepResults:
        values = tuple(float(v) for v in given)
        return StepResults(**base, values=values, mean=statistics.fmean(values) if values else None,
                           median=statistics.median(values) if values else None)

    def examples(self, exercise: Exercise, index: int, rng: random.Random) -> float:
        return round(min(100.0, max(0.0, rng.gauss(50, 22))), 1)

    figure = staticmethod(spectrum_figure)

    def describe(self, exercise: Exercise) -> str:
        s = exercise.settings
        middle = f" (middle: {s['middle']})" if s["middle"] else ""
        return f"A track from “{s['left']}” to “{s['right']}”{middle}."
