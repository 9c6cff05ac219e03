"""A scale: a whole number between min and max (0-10 by default), shown as bars with the mean."""

from __future__ import annotations

import random
import statistics
from collections import Counter
from typing import Any

from workshop.charts import scale_figure
from workshop.models import Exercise, QuestionType
from workshop.questions.base import QuestionKind
from workshop.questions.fields import InvalidAnswer, InvalidContent, number, read_int, read_text
from workshop.results import StepResults

MAX_SCALE_SPAN = 20  # more points than this do not fit a phone's slider or a projector's bars


class Scale(QuestionKind):
    type = QuestionType.SCALE
    phone_rows = MAX_SCALE_SPAN + 1
    value_format = "scale: a whole number (its range is in the agenda)"

    def settings(self, raw: dict[str, Any], where: str) -> dict[str, Any]:
        lo = read_int(raw, "min", where, -100, 100)
        hi = read_int(raw, "max", where, -100, 100)
        if lo >= hi:
            raise InvalidContent(f"{where}.max", f"must be greater than min ({lo}), got {hi}")
        if hi - lo > MAX_SCALE_SPAN:
            raise InvalidContent(f"{where}.max", f"max - min must be at most {MAX_SCALE_SPAN}")
        return {"min": lo, "max": hi,
                "min_label": read_text(raw, "min_label", where, required=False, max_len=60) or "",
                "max_label": read_text(raw, "max_label", where, required=False, max_len=60) or ""}

    def normalise(self, exercise: Exercise, raw: Any) -> int:
        value = number(raw, exercise.settings["min"], exercise.settings["max"], "number")
        if value != int(value):
            raise InvalidAnswer("Please choose a whole number on the scale.")
        return int(value)

    def tally(self, exercise: Exercise, given: list[Any], base: dict[str, Any]) -> StepResults:
        settings = exercise.settings
        counted = Counter(int(v) for v in given)
        counts = tuple((str(v), counted.get(v, 0)) for v in range(settings["min"], settings["max"] + 1))
        return StepResults(**base, counts=counts, values=tuple(float(v) for v in given),
                           mean=statistics.fmean(given) if given else None,
                           median=statistics.median(given) if given else None)

    def examples(self, exercise: Exercise, index: int, rng: random.Random) -> int:
        settings = exercise.settings
        middle = (settings["min"] + settings["max"]) / 2
        spread = (settings["max"] - settings["min"]) / 4
        return max(settings["min"], min(settings["max"], round(rng.gauss(middle, spread))))

    figure = staticmethod(scale_figure)

    def describe(self, exercise: Exercise) -> str:
        s = exercise.settings
        return f"A slider from {s['min']} ({s['min_label'] or '—'}) to {s['max']} ({s['max_label'] or '—'})."
