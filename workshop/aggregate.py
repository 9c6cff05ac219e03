"""Turn the latest answers to one step into the numbers a chart shows."""

from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass

from workshop.models import MODERATED_TYPES, Answer, Exercise, Hold, Moderation, QuestionType, value_json_of


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
    min_answers: int = 1        # small-group suppression threshold
    held: int = 0               # words/texts waiting for approval or hidden, not shown
    waiting: int = 0            # of those, the ones still waiting for the facilitator

    @property
    def suppressed(self) -> bool:
        """Too few answers to show without risking that someone is recognised."""
        return self.responses < self.min_answers

    @property
    def needed(self) -> int:
        return max(0, self.min_answers - self.responses)


def is_shown(state: Moderation | None, held: bool) -> bool:
    """Whether the projector shows a typed value: approved, or not held and not hidden."""
    if state is Moderation.HIDDEN:
        return False
    return state is Moderation.APPROVED or not held


def aggregate_step(exercise: Exercise, answers: list[Answer], participants: int,
                   min_answers: int = 1, moderation: dict[str, Moderation] | None = None,
                   hold: Hold = Hold.NOTHING) -> StepResults:
    """Counts for one step. Words and texts count only once the facilitator's moderation allows."""
    given = [a.value for a in answers if not a.passed]
    passes = sum(1 for a in answers if a.passed)
    held = waiting = 0
    if exercise.type in MODERATED_TYPES:
        states = moderation or {}
        holds = hold.holds(exercise.type)
        # None is an answer whose text was purged: counted, never shown.
        shown = [v for v in given if v is not None and is_shown(states.get(value_json_of(v)), holds)]
        held = len(given) - len(shown)
        waiting = sum(1 for v in given if v is not None and holds
                      and states.get(value_json_of(v)) in (None, Moderation.PENDING))
    base = {"exercise": exercise, "participants": participants, "responses": len(given),
            "passes": passes, "min_answers": min_answers, "held": held, "waiting": waiting}
    if exercise.type in MODERATED_TYPES:
        given = shown
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


PHONE_ROWS = 10


def rows_for_phones(results: StepResults) -> list[tuple[str, int]]:
    """What a phone may show of the group: counts only, never positions or texts."""
    if results.suppressed or results.exercise.type not in (
            QuestionType.SCALE, QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE,
            QuestionType.WORD):
        return []
    return list(results.counts[:PHONE_ROWS] if results.exercise.type is QuestionType.WORD
                else results.counts)
