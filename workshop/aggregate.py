"""Turn the latest answers to one step into the numbers a chart shows."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass

from workshop.models import Answer, Exercise, QuestionType


@dataclass(frozen=True)
class StepResults:
    exercise: Exercise
    participants: int              # phones joined to the session
    responses: int                 # answers that are not a pass
    passes: int
    counts: tuple[tuple[str, int], ...] = ()        # scale values, options or words, in chart order
    values: tuple[float, ...] = ()                  # scale and spectrum answers
    points: tuple[tuple[float, float], ...] = ()    # 2-D positions
    texts: tuple[str, ...] = ()                     # short texts, oldest first
    mean: float | None = None
    median: float | None = None


def aggregate_step(exercise: Exercise, answers: list[Answer], participants: int) -> StepResults:
    given = [a.value for a in answers if not a.passed]
    passes = sum(1 for a in answers if a.passed)
    base = {"exercise": exercise, "participants": participants,
            "responses": len(given), "passes": passes}
    qtype = exercise.type
    settings = exercise.settings
    if qtype is QuestionType.SCALE:
        tally = Counter(int(v) for v in given)
        counts = tuple((str(v), tally.get(v, 0)) for v in range(settings["min"], settings["max"] + 1))
        return StepResults(**base, counts=counts, values=tuple(float(v) for v in given),
                           mean=statistics.fmean(given) if given else None,
                           median=statistics.median(given) if given else None)
    if qtype in (QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE):
        tally = Counter()
        for value in given:
            tally.update(value if isinstance(value, list) else [value])
        return StepResults(**base, counts=tuple((o, tally.get(o, 0)) for o in settings["options"]))
    if qtype is QuestionType.WORD:
        tally = Counter(given)
        ordered = sorted(tally.items(), key=lambda item: (-item[1], item[0]))
        return StepResults(**base, counts=tuple(ordered))
    if qtype is QuestionType.TEXT:
        return StepResults(**base, texts=tuple(given))
    if qtype is QuestionType.SPECTRUM:
        values = tuple(float(v) for v in given)
        return StepResults(**base, values=values,
                           mean=statistics.fmean(values) if values else None,
                           median=statistics.median(values) if values else None)
    return StepResults(**base, points=tuple((float(x), float(y)) for x, y in given))
