"""Points: share a fixed total (100 by default) among 2-8 items, e.g. where this week's
attention went across sensations, images, feelings and thoughts.

An answer is one whole number per item, in the items' order, adding up to exactly the total.
The room sees each item's mean share with the middle half of the answers around it, so a
split room does not look like a room of people who all chose the middle.
"""

from __future__ import annotations

import random
from typing import Any

from workshop.charts import points_figure
from workshop.models import Exercise, QuestionType
from workshop.questions.base import QuestionKind
from workshop.questions.fields import InvalidAnswer, InvalidContent, read_int, read_options
from workshop.results import ItemSpread, StepResults

MAX_ITEM_CHARS = 60      # one line of a phone's stepper row
MAX_TOTAL = 1000         # more points than this is arithmetic, not a feeling


class Points(QuestionKind):
    type = QuestionType.POINTS
    value_format = ("points: a JSON list of whole numbers, one per item in the agenda's order, "
                    "adding up to the exercise's total")

    def settings(self, raw: dict[str, Any], where: str) -> dict[str, Any]:
        items = read_options(raw, where, key="items", max_len=MAX_ITEM_CHARS)
        total = read_int(raw, "total", where, 10, MAX_TOTAL, default=100)
        step = read_int(raw, "step", where, 1, total, default=max(1, total // 20))
        if total % step:
            raise InvalidContent(f"{where}.step", f"must divide the total ({total}), got {step}")
        return {"items": items, "total": total, "step": step}

    def normalise(self, exercise: Exercise, raw: Any) -> list[int]:
        items, total = exercise.settings["items"], exercise.settings["total"]
        if not isinstance(raw, list) or len(raw) != len(items):
            raise InvalidAnswer(f"Please give points to each of the {len(items)} items (0 is fine).")
        for value in raw:
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
                raise InvalidAnswer("Please give each item a whole number of points.")
            if value < 0:
                raise InvalidAnswer("Points cannot be negative.")
            if value != int(value) or value > total:
                raise InvalidAnswer(f"Please give each item a whole number of points from 0 to {total}.")
        given = sum(int(value) for value in raw)
        if given != total:
            raise InvalidAnswer(f"Your points add up to {given}; please share exactly {total}.")
        return [int(value) for value in raw]

    def tally(self, exercise: Exercise, given: list[Any], base: dict[str, Any]) -> StepResults:
        spreads = []
        for index, item in enumerate(exercise.settings["items"]):
            values = [answer[index] for answer in given]
            if values:
                spreads.append(ItemSpread.of(item, values))
        return StepResults(**base, items=tuple(spreads))

    def examples(self, exercise: Exercise, index: int, rng: random.Random) -> list[int]:
        settings = exercise.settings
        steps = settings["total"] // settings["step"]
        weights = [rng.random() + 0.2 for _ in settings["items"]]
        shares = [int(steps * w / sum(weights)) for w in weights]
        shares[rng.randrange(len(shares))] += steps - sum(shares)
        return [share * settings["step"] for share in shares]

    figure = staticmethod(points_figure)

    def describe(self, exercise: Exercise) -> str:
        s = exercise.settings
        return (f"Share {s['total']} points, {s['step']} at a time, among: " + " · ".join(s["items"])
                + ". Send once all are shared.")
