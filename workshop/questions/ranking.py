"""Ranking: put 3-9 items in order, e.g. which of the nine domains one most wants to grow.

An answer is every item once, the first the most wanted. The room sees the items sorted by
a Borda-style score (an item gets n - rank points from each answer: n - 1 for first place,
0 for last), shown as a share of the most it could get, with each item's mean rank and how
many put it first.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from workshop.charts import ranking_figure
from workshop.models import Exercise, QuestionType
from workshop.questions.base import QuestionKind
from workshop.questions.fields import InvalidAnswer, read_options
from workshop.results import ItemSpread, StepResults

FEWEST_ITEMS, MOST_ITEMS = 3, 9        # nine: the domains of integration
MAX_ITEM_CHARS = 60


class Ranking(QuestionKind):
    type = QuestionType.RANKING
    value_format = "ranking: a JSON list of every item once, the first ranked highest"

    def settings(self, raw: dict[str, Any], where: str) -> dict[str, Any]:
        return {"items": read_options(raw, where, key="items", max_len=MAX_ITEM_CHARS,
                                      fewest=FEWEST_ITEMS, most=MOST_ITEMS)}

    def normalise(self, exercise: Exercise, raw: Any) -> list[str]:
        items = exercise.settings["items"]
        if not isinstance(raw, list) or not all(isinstance(item, str) for item in raw):
            raise InvalidAnswer("Please put the items in order.")
        if any(item not in items for item in raw):
            raise InvalidAnswer("Please rank only the items shown.")
        if len(set(raw)) != len(raw):
            raise InvalidAnswer("Each item can have one place only.")
        if len(raw) != len(items):
            raise InvalidAnswer(f"Please give every one of the {len(items)} items a place.")
        return list(raw)

    def tally(self, exercise: Exercise, given: list[Any], base: dict[str, Any]) -> StepResults:
        items = exercise.settings["items"]
        spreads = []
        for item in items:
            ranks = [answer.index(item) + 1 for answer in given]
            if ranks:
                spreads.append(ItemSpread.of(item, ranks))
        spreads.sort(key=lambda spread: (spread.mean, items.index(spread.label)))
        first = Counter(answer[0] for answer in given)
        return StepResults(**base, items=tuple(spreads),
                           counts=tuple((spread.label, first.get(spread.label, 0)) for spread in spreads))

    def examples(self, exercise: Exercise, index: int, rng: random.Random) -> list[str]:
        # A room leans one way: items near the top of the list tend to rank higher.
        items = list(exercise.settings["items"])
        return sorted(items, key=lambda item: items.index(item) + rng.gauss(0, len(items) / 3))

    figure = staticmethod(ranking_figure)

    def describe(self, exercise: Exercise) -> str:
        return ("Put in order, by dragging or with the up and down buttons: "
                + " · ".join(exercise.settings["items"]) + ".")
