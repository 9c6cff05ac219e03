"""Statements: rate 2-8 statements on one shared scale, e.g. how present each FACES quality
feels, with a pass on each statement of its own.

The scale is a template (agreement, frequency, intensity) or the content's own 3-7 levels. An
answer is one entry per statement, in the statements' order: the level chosen, 1 for the
scale's first, or None where the person passed that statement; at least one is rated (passing
them all is the step's own Pass). The room sees a diverging bar per statement, and a statement
rated by fewer phones than the session's minimum is not drawn, since its few ratings could
point at someone even when the step as a whole has enough answers.
"""

from __future__ import annotations

import random
from typing import Any

from workshop.charts import statements_figure
from workshop.models import Exercise, QuestionType
from workshop.questions.base import QuestionKind
from workshop.questions.fields import InvalidAnswer, InvalidContent, read_options
from workshop.results import RatedRow, StepResults

# Our own wording of three common rating scales, from the first level to the last.
TEMPLATES = {
    "agreement": ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"],
    "frequency": ["Never", "Rarely", "Sometimes", "Often", "Always"],
    "intensity": ["Not at all", "A little", "Somewhat", "Quite a bit", "Very much"],
}
FEWEST_LEVELS, MOST_LEVELS = 3, 7   # seven 44 px buttons fill a 360 px phone's row
MAX_STATEMENT_CHARS = 100           # two lines of a phone's row
OWN = "own"                         # the scale's name when the content gives its own levels
MAX_LEVEL_CHARS = 30                # one line of the phone's key and the projector's legend


class Statements(QuestionKind):
    type = QuestionType.STATEMENTS
    value_format = ("statements: a JSON list with one entry per statement in the agenda's order: the level "
                    "chosen, from 1 (the scale's first level) to the number of levels, or null where the "
                    "person passed that statement")

    def settings(self, raw: dict[str, Any], where: str) -> dict[str, Any]:
        statements = read_options(raw, where, key="statements", max_len=MAX_STATEMENT_CHARS)
        scale, levels = raw.get("scale"), raw.get("levels")
        if scale in (None, OWN) and levels is not None:
            return {"statements": statements, "scale": OWN,
                    "levels": read_options(raw, where, key="levels", max_len=MAX_LEVEL_CHARS,
                                           fewest=FEWEST_LEVELS, most=MOST_LEVELS)}
        if scale is None:
            raise InvalidContent(f"{where}.scale", "is missing: name a template ("
                                 + ", ".join(TEMPLATES) + ") or give the levels")
        if scale not in TEMPLATES:
            raise InvalidContent(f"{where}.scale", f"must be one of {', '.join(TEMPLATES)}, got {scale!r}")
        if levels is not None and levels != TEMPLATES[scale]:
            # A saved agenda carries the template's levels; other levels are the content's own.
            raise InvalidContent(f"{where}.levels", f"differ from the {scale} template's: "
                                 "leave out the scale to give levels of your own")
        return {"statements": statements, "scale": scale, "levels": list(TEMPLATES[scale])}

    def normalise(self, exercise: Exercise, raw: Any) -> list[int | None]:
        statements, levels = exercise.settings["statements"], exercise.settings["levels"]
        if not isinstance(raw, list) or len(raw) != len(statements):
            raise InvalidAnswer(f"Please rate or pass each of the {len(statements)} statements.")
        rated: list[int | None] = []
        for value in raw:
            if value is None:
                rated.append(None)
                continue
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise InvalidAnswer("Please choose one of the scale's levels for each statement.")
            if (isinstance(value, float) and not value.is_integer()) or not 1 <= value <= len(levels):
                raise InvalidAnswer(f"Please choose a level from 1 to {len(levels)} for each statement.")
            rated.append(int(value))
        if all(value is None for value in rated):
            raise InvalidAnswer("You passed every statement: tap Pass to pass the whole question.")
        return rated

    def tally(self, exercise: Exercise, given: list[Any], base: dict[str, Any]) -> StepResults:
        levels = len(exercise.settings["levels"])
        rows = []
        for index, statement in enumerate(exercise.settings["statements"]):
            chosen = [answer[index] for answer in given]
            rows.append(RatedRow(statement, tuple(chosen.count(level) for level in range(1, levels + 1)),
                                 chosen.count(None)))
        return StepResults(**base, rows=tuple(rows))

    def examples(self, exercise: Exercise, index: int, rng: random.Random) -> list[int | None]:
        # Each statement leans its own way; about one rating in ten is a pass.
        levels = len(exercise.settings["levels"])
        answer = []
        for number, _ in enumerate(exercise.settings["statements"]):
            lean = 1 + (levels - 1) * ((number * 0.37 + 0.3) % 1)
            answer.append(None if rng.random() < 0.1 else max(1, min(levels, round(rng.gauss(lean, 1)))))
        if all(value is None for value in answer):
            answer[0] = levels
        return answer

    figure = staticmethod(statements_figure)

    def describe(self, exercise: Exercise) -> str:
        s = exercise.settings
        return (f"Rate each statement from {s['levels'][0]} to {s['levels'][-1]} ("
                + " · ".join(s["levels"]) + "), or pass it: " + " · ".join(s["statements"]) + ".")
