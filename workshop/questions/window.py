"""A window of tolerance check-in: above the window, inside it or below it, and, when the
exercise asks, where inside that band (0 its lower edge, 100 its upper edge).

Each band has a name and a few words, so nobody has to read a colour; both are the content's
to change (our defaults are written in our own words). Phones may see the count per band;
positions stay on the projector. A group mostly outside its window is a cue for the
facilitator's laptop only (`facilitator_cue`), never for the projector.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

from workshop.charts import WINDOW_BANDS, window_figure
from workshop.models import Exercise, QuestionType
from workshop.questions.base import QuestionKind
from workshop.questions.fields import InvalidAnswer, InvalidContent, number, read_bool, read_text
from workshop.results import StepResults

BANDS = WINDOW_BANDS   # ("above", "inside", "below"): top to bottom, as phones and the projector draw them
DEFAULT_NAMES = {"above": "Above my window", "inside": "Inside my window", "below": "Below my window"}
DEFAULT_WORDS = {"above": "revved up, on edge, flooded",
                 "inside": "able to think, feel and connect",
                 "below": "flat, numb, far away"}
MAX_NAME_CHARS, MAX_WORDS_CHARS = 40, 80   # one line and two lines of a phone's band
# The share outside the window from which the facilitator's laptop says so: more than half.
MOSTLY_OUTSIDE = 0.5


class Window(QuestionKind):
    type = QuestionType.WINDOW
    phone_rows = len(BANDS)
    value_format = ('window: a JSON object, {"band": "above" | "inside" | "below"}, with "position" '
                    "from 0 (the band's lower edge) to 100 (its upper edge) when the exercise asks for it "
                    "and the person gave it")

    def settings(self, raw: dict[str, Any], where: str) -> dict[str, Any]:
        settings: dict[str, Any] = {}
        for band in BANDS:
            settings[band] = read_text(raw, band, where, required=False,
                                       max_len=MAX_NAME_CHARS) or DEFAULT_NAMES[band]
            settings[f"{band}_words"] = read_text(raw, f"{band}_words", where, required=False,
                                                  max_len=MAX_WORDS_CHARS) or DEFAULT_WORDS[band]
        if len({settings[band].casefold() for band in BANDS}) != len(BANDS):
            raise InvalidContent(f"{where}.{BANDS[-1]}", "each band needs a name of its own")
        settings["position"] = read_bool(raw, "position", where, default=False)
        return settings

    def normalise(self, exercise: Exercise, raw: Any) -> dict[str, Any]:
        if not isinstance(raw, dict) or raw.get("band") not in BANDS:
            raise InvalidAnswer("Please choose above, inside or below your window.")
        if set(raw) - {"band", "position"}:
            raise InvalidAnswer("Please choose a band, and where in it if you like.")
        value: dict[str, Any] = {"band": raw["band"]}
        if raw.get("position") is not None:
            if not exercise.settings["position"]:
                raise InvalidAnswer("This check-in asks only for the band.")
            position = number(raw["position"], 0, 100, "place in the band")
            if position != int(position):
                raise InvalidAnswer("Please choose a whole number for the place in the band.")
            value["position"] = int(position)
        return value

    def tally(self, exercise: Exercise, given: list[Any], base: dict[str, Any]) -> StepResults:
        counted = Counter(value["band"] for value in given)
        # points: (the band's place from the bottom, 0-2; the position in it), for the projector
        points = tuple((float(len(BANDS) - 1 - BANDS.index(value["band"])), float(value["position"]))
                       for value in given if "position" in value)
        return StepResults(**base, counts=tuple((exercise.settings[band], counted.get(band, 0)) for band in BANDS),
                           points=points)

    def examples(self, exercise: Exercise, index: int, rng: random.Random) -> dict[str, Any]:
        band = rng.choices(BANDS, weights=(3, 6, 2))[0]
        if exercise.settings["position"] and rng.random() < 0.8:
            return {"band": band, "position": rng.randint(5, 95)}
        return {"band": band}

    figure = staticmethod(window_figure)

    def facilitator_cue(self, results: StepResults) -> str | None:
        counts = dict(zip(BANDS, (count for _, count in results.counts)))
        outside = counts["above"] + counts["below"]
        if results.suppressed or not results.responses or outside <= MOSTLY_OUTSIDE * results.responses:
            return None
        return (f"Most of the group is outside the window: {outside} of {results.responses} "
                f"({counts['above']} above, {counts['below']} below). A slower pace or a resourcing "
                "pause may help before going on.")

    def describe(self, exercise: Exercise) -> str:
        s = exercise.settings
        bands = " · ".join(f"{s[band]} ({s[band + '_words']})" for band in BANDS)
        where = ", then where in it (optional)" if s["position"] else ""
        return f"Three bands, top to bottom: {bands}. Tap one{where}."
