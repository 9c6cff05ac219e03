"""Choices: one option (single_choice) or several (multiple_choice), shown as bars of counts."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from workshop.charts import choice_figure
from workshop.models import Exercise, QuestionType
from workshop.questions.base import QuestionKind
from workshop.questions.fields import MAX_OPTIONS, InvalidAnswer, read_int, read_options
from workshop.results import StepResults


def _tally(exercise: Exercise, given: list[Any], base: dict[str, Any]) -> StepResults:
    counted: Counter[str] = Counter()
    for value in given:
        counted.update(value if isinstance(value, list) else [value])
    return StepResults(**base, counts=tuple((o, counted.get(o, 0)) for o in exercise.settings["options"]))


class SingleChoice(QuestionKind):
    type = QuestionType.SINGLE_CHOICE
    phone_rows = MAX_OPTIONS
    value_format = "single_choice: the option chosen"

    def settings(self, raw: dict[str, Any], where: str) -> dict[str, Any]:
        return {"options": read_options(raw, where)}

    def normalise(self, exercise: Exercise, raw: Any) -> str:
        if raw not in exercise.settings["options"]:
            raise InvalidAnswer("Please choose one of the options shown.")
        return raw

    def tally(self, exercise: Exercise, given: list[Any], base: dict[str, Any]) -> StepResults:
        return _tally(exercise, given, base)

    def examples(self, exercise: Exercise, index: int, rng: random.Random) -> str:
        return rng.choice(exercise.settings["options"])

    figure = staticmethod(choice_figure)

    def describe(self, exercise: Exercise) -> str:
        return "Pick one: " + " · ".join(exercise.settings["options"])


class MultipleChoice(QuestionKind):
    type = QuestionType.MULTIPLE_CHOICE
    phone_rows = MAX_OPTIONS
    value_format = "multiple_choice: a JSON list of the options chosen, in the options' order"

    def settings(self, raw: dict[str, Any], where: str) -> dict[str, Any]:
        options = read_options(raw, where)
        return {"options": options,
                "max_choices": read_int(raw, "max_choices", where, 1, len(options), default=len(options))}

    def normalise(self, exercise: Exercise, raw: Any) -> list[str]:
        settings = exercise.settings
        if not isinstance(raw, list) or not raw:
            raise InvalidAnswer("Please choose at least one option.")
        if any(not isinstance(item, str) or item not in settings["options"] for item in raw):
            raise InvalidAnswer("Please choose among the options shown.")
        if len(set(raw)) != len(raw):
            raise InvalidAnswer("Each option can be chosen once.")
        if len(raw) > settings["max_choices"]:
            raise InvalidAnswer(f"Please choose at most {settings['max_choices']}.")
        # Keep the options' own order so equal choices store equally.
        return [option for option in settings["options"] if option in raw]

    def tally(self, exercise: Exercise, given: list[Any], base: dict[str, Any]) -> StepResults:
        return _tally(exercise, given, base)

    def examples(self, exercise: Exercise, index: int, rng: random.Random) -> list[str]:
        settings = exercise.settings
        picked = rng.sample(settings["options"], k=min(settings["max_choices"], 2))
        return [o for o in settings["options"] if o in picked]

    figure = staticmethod(choice_figure)

    def describe(self, exercise: Exercise) -> str:
        return f"Pick up to {exercise.settings['max_choices']}: " + " · ".join(exercise.settings["options"])
