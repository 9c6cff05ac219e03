"""A mood map: a dot on a field of pleasantness (left to right) and energy (bottom to top),
with four named quadrants, and if the person likes, one feeling word from the quadrant the dot
is in. The quadrants' names and words are our own (not any licensed mood meter's), and the
content's to change.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from workshop.charts import MOOD_QUADRANTS, mood_figure
from workshop.models import Exercise, QuestionType
from workshop.questions.base import QuestionKind
from workshop.questions.fields import InvalidAnswer, InvalidContent, number, read_options, read_text
from workshop.results import StepResults

AXES = {"x_left": "Unpleasant", "x_right": "Pleasant", "y_bottom": "Low energy", "y_top": "High energy"}
NAMES = {"top_left": "Stirred up", "top_right": "Lit up", "bottom_left": "Low", "bottom_right": "At ease"}
WORDS = {"top_left": ["tense", "worried", "irritated", "restless"],
         "top_right": ["excited", "curious", "joyful", "energised"],
         "bottom_left": ["tired", "sad", "flat", "lonely"],
         "bottom_right": ["calm", "content", "relaxed", "grateful"]}
MAX_WORD_CHARS = 24


def quadrant(x: float, y: float) -> str:
    """The quadrant a point is in: the middle lines belong to the top and the right."""
    return ("top" if y >= 50 else "bottom") + "_" + ("right" if x >= 50 else "left")


class Mood(QuestionKind):
    type = QuestionType.MOOD
    value_format = ('mood: a JSON object {"point": [x, y]} (x from 0 unpleasant to 100 pleasant, y from 0 '
                    'low to 100 high energy), with "word" when the person chose one of the quadrant\'s words')

    def settings(self, raw: dict[str, Any], where: str) -> dict[str, Any]:
        settings: dict[str, Any] = {key: read_text(raw, key, where, required=False, max_len=40) or default
                                    for key, default in AXES.items()}
        for corner in MOOD_QUADRANTS:
            settings[corner] = read_text(raw, corner, where, required=False, max_len=40) or NAMES[corner]
            key = f"{corner}_words"
            settings[key] = (read_options(raw, where, key=key, max_len=MAX_WORD_CHARS, fewest=0, most=8)
                             if key in raw else list(WORDS[corner]))
        if len({settings[corner].casefold() for corner in MOOD_QUADRANTS}) != len(MOOD_QUADRANTS):
            raise InvalidContent(f"{where}.{MOOD_QUADRANTS[-1]}", "each quadrant needs a name of its own")
        return settings

    def normalise(self, exercise: Exercise, raw: Any) -> dict[str, Any]:
        if not isinstance(raw, dict) or not isinstance(raw.get("point"), list) or len(raw["point"]) != 2:
            raise InvalidAnswer("Please tap the map where you are.")
        if set(raw) - {"point", "word"}:
            raise InvalidAnswer("Please tap the map, and choose a word if you like.")
        point = [round(number(v, 0, 100, "point on the map")) for v in raw["point"]]
        value: dict[str, Any] = {"point": point}
        if raw.get("word") is not None:
            if raw["word"] not in exercise.settings[f"{quadrant(*point)}_words"]:
                raise InvalidAnswer("Please choose one of the words shown for where your dot is.")
            value["word"] = raw["word"]
        return value

    def tally(self, exercise: Exercise, given: list[Any], base: dict[str, Any]) -> StepResults:
        words = Counter(value["word"] for value in given if "word" in value)
        return StepResults(**base, points=tuple((float(v["point"][0]), float(v["point"][1])) for v in given),
                           counts=tuple(words.most_common()))

    def examples(self, exercise: Exercise, index: int, rng: random.Random) -> dict[str, Any]:
        point = [round(min(100, max(0, rng.gauss(58, 22)))), round(min(100, max(0, rng.gauss(45, 22))))]
        words = exercise.settings[f"{quadrant(*point)}_words"]
        return {"point": point, "word": rng.choice(words)} if words and rng.random() < 0.7 else {"point": point}

    figure = staticmethod(mood_figure)

    def describe(self, exercise: Exercise) -> str:
        s = exercise.settings
        corners = " · ".join(f"{s[c]} ({', '.join(s[c + '_words']) or 'no words'})" for c in MOOD_QUADRANTS)
        return (f"A map to tap, from “{s['x_left']}” to “{s['x_right']}” and “{s['y_bottom']}” to "
                f"“{s['y_top']}”, then a word if you like: {corners}.")
