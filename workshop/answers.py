"""Check and normalise a phone's answer against its exercise.

Everything a participant sends passes through `normalise_answer` before it is stored, so
storage and charts only ever see well-formed values. The rules are the kind's own
(`workshop/questions/`).
"""

from __future__ import annotations

from typing import Any

from workshop.models import Exercise
from workshop.questions import kind_of
from workshop.questions.fields import InvalidAnswer

__all__ = ["InvalidAnswer", "normalise_answer"]


def normalise_answer(exercise: Exercise, raw: Any) -> Any:
    """Return the value to store, or raise InvalidAnswer with a message for the phone."""
    return kind_of(exercise).normalise(exercise, raw)
