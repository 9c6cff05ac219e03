"""Turn the latest answers to one step into the numbers a chart shows."""

from __future__ import annotations

from workshop.models import Answer, Exercise, Hold, Moderation, value_json_of
from workshop.questions import kind_of
from workshop.results import StepResults

__all__ = ["StepResults", "aggregate_step", "is_shown", "rows_for_phones"]


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
    kind = kind_of(exercise)
    if kind.moderated:
        states = moderation or {}
        holds = hold.holds(exercise.type)
        # None is an answer whose text was purged: counted, never shown.
        shown = [v for v in given if v is not None and is_shown(states.get(value_json_of(v)), holds)]
        held = len(given) - len(shown)
        waiting = sum(1 for v in given if v is not None and holds
                      and states.get(value_json_of(v)) in (None, Moderation.PENDING))
    base = {"exercise": exercise, "participants": participants, "responses": len(given),
            "passes": passes, "min_answers": min_answers, "held": held, "waiting": waiting}
    return kind.tally(exercise, shown if kind.moderated else given, base)


def rows_for_phones(results: StepResults) -> list[tuple[str, int]]:
    """What a phone may show of the group: counts only, never positions or texts."""
    rows = kind_of(results.exercise).phone_rows
    return [] if results.suppressed or not rows else list(results.counts[:rows])
