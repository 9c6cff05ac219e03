"""The numbers one step's chart shows: what every question kind tallies into."""

from __future__ import annotations

from dataclasses import dataclass

from workshop.models import Exercise


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
    def all_waiting(self) -> bool:
        """Every answer is a word or text still waiting for the facilitator: nothing to draw yet."""
        return bool(self.waiting) and self.waiting == self.held == self.responses

    @property
    def needed(self) -> int:
        return max(0, self.min_answers - self.responses)
