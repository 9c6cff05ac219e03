"""What the bench's phones answer, made and compared by the question kind's own rules
(workshop/questions/: `examples` for a valid answer, `normalise` for what the server stores),
applied to the exercise as the phone received it from `/api/live`."""

from __future__ import annotations

import random
from typing import Any

from workshop.models import Exercise
from workshop.questions import kind_of


def exercise_of(public: dict[str, Any]) -> Exercise:
    """The exercise a phone was sent (no facilitator notes or minutes: those are filled in)."""
    return Exercise.from_dict({"minutes": 1, "notes": "", **public})


def make_value(public: dict[str, Any], rng: random.Random) -> Any:
    """A valid answer to this exercise: one of the kind's examples (picked by a random index,
    so a room gives several words and texts, not one)."""
    exercise = exercise_of(public)
    return kind_of(exercise).examples(exercise, rng.randrange(1_000_000), rng)


def stored_form(public: dict[str, Any], value: Any) -> Any:
    """What the server stores for a valid value: the kind's `normalise`."""
    exercise = exercise_of(public)
    return kind_of(exercise).normalise(exercise, value)


def changed_value(public: dict[str, Any], first: Any, rng: random.Random, tries: int = 20) -> Any:
    """Another answer, stored differently from `first` if the kind's examples allow it
    (None for a first answer that was a pass: then any answer will do)."""
    second = first
    for _ in range(tries):
        second = make_value(public, rng)
        if first is None or stored_form(public, second) != stored_form(public, first):
            break
    return second
