"""Made-up answers, so a facilitator can preview how a projector chart will look."""

from __future__ import annotations

import random

from workshop.models import Answer, Exercise, QuestionType

EXAMPLE_WORDS = ("calm", "curious", "tired", "open", "calm", "warm", "curious", "calm", "heavy", "light")
EXAMPLE_TEXTS = ("I noticed my shoulders dropping.", "More here than when I arrived.",
                 "Still a bit scattered, and that's fine.")


def example_answers(exercise: Exercise, count: int = 12, seed: int = 7) -> list[Answer]:
    rng = random.Random(seed)
    settings = exercise.settings
    values: list[object] = []
    for i in range(count):
        kind = exercise.type
        if kind is QuestionType.SCALE:
            middle = (settings["min"] + settings["max"]) / 2
            spread = (settings["max"] - settings["min"]) / 4
            values.append(max(settings["min"], min(settings["max"], round(rng.gauss(middle, spread)))))
        elif kind is QuestionType.SINGLE_CHOICE:
            values.append(rng.choice(settings["options"]))
        elif kind is QuestionType.MULTIPLE_CHOICE:
            picked = rng.sample(settings["options"], k=min(settings["max_choices"], 2))
            values.append([o for o in settings["options"] if o in picked])
        elif kind is QuestionType.WORD:
            values.append(EXAMPLE_WORDS[i % len(EXAMPLE_WORDS)])
        elif kind is QuestionType.TEXT:
            values.append(EXAMPLE_TEXTS[i % len(EXAMPLE_TEXTS)])
        elif kind is QuestionType.SPECTRUM:
            values.append(round(min(100.0, max(0.0, rng.gauss(50, 22))), 1))
        else:
            values.append([round(rng.uniform(5, 95), 1), round(rng.uniform(5, 95), 1)])
    return [Answer(0, exercise.id, f"example-{i}", value, False) for i, value in enumerate(values)]
