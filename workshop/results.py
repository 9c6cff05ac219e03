"""The numbers one step's chart shows: what every question kind tallies into."""

from __future__ import annotations

import statistics
from dataclasses import dataclass

from workshop.models import Exercise


@dataclass(frozen=True)
class ItemSpread:
    """One item of a kind that scores several items per answer (points, ranking): the mean of the
    answers that scored it and the middle half of them (25th to 75th percentile)."""

    label: str
    mean: float
    low: float
    high: float

    @classmethod
    def of(cls, label: str, values: list[int] | list[float]) -> ItemSpread:
        if len(values) < 2:
            return cls(label, float(values[0]), float(values[0]), float(values[0]))
        low, _, high = statistics.quantiles(values, n=4, method="inclusive")
        return cls(label, statistics.fmean(values), low, high)


@dataclass(frozen=True)
class RatedRow:
    """One statement of a kind that rates several on one shared scale (statements): how many
    chose each level, in the scale's order, and how many passed this statement."""

    label: str
    counts: tuple[int, ...]
    passed: int

    @property
    def rated(self) -> int:
        return sum(self.counts)


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
    items: tuple[ItemSpread, ...] = ()              # per item, for kinds that score several (points)
    rows: tuple[RatedRow, ...] = ()                 # per statement, for kinds that rate several
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
    def all_waiting(self) -> bool:
        """Every answer is a word or text still waiting for the facilitator: nothing to draw yet."""
        return bool(self.waiting) and self.waiting == self.held == self.responses

    @property
    def needed(self) -> int:
        return max(0, self.min_answers - self.responses)
