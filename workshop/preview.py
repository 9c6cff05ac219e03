"""Made-up answers, so a facilitator can preview how a projector chart will look."""

from __future__ import annotations

import random

from workshop.models import Answer, Exercise
from workshop.questions import kind_of


def example_answers(exercise: Exercise, count: int = 12, seed: int = 7) -> list[Answer]:
    """`count` answers of the exercise's kind, the same ones every time (seeded)."""
    rng = random.Random(seed)
    kind = kind_of(exercise)
    return [Answer(0, exercise.id, f"example-{i}", kind.examples(exercise, i, rng), False)
            for i in range(count)]
