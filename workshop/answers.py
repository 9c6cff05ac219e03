"""Check and normalise a phone's answer against its exercise.

Everything a participant sends passes through `normalise_answer` before it is
stored, so storage and charts only ever see well-formed values.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

from workshop.models import Exercise, QuestionType

MAX_WORD_CHARS = 40
MAX_TEXT_CHARS = 280
_SPACES = re.compile(r"\s+")


class InvalidAnswer(ValueError):
    """A value a person should be told about in plain words."""


def clean_text(raw: Any, max_chars: int) -> str:
    """Drop control and format characters, collapse whitespace, enforce a length.

    Right-to-left text and emoji stay as typed; only invisible control
    characters (which can reorder or hide what a projector shows) are removed.
    """
    if not isinstance(raw, str):
        raise InvalidAnswer("Please type your answer as text.")
    kept = "".join(ch for ch in raw if ch in "\n\t " or unicodedata.category(ch) not in ("Cc", "Cf", "Cs"))
    text = _SPACES.sub(" ", kept).strip()
    if not text:
        raise InvalidAnswer("Your answer is empty. Type something, or tap Pass.")
    if len(text) > max_chars:
        raise InvalidAnswer(f"Please keep it to {max_chars} characters (yours has {len(text)}).")
    return text


def normalise_word(raw: Any, max_words: int) -> str:
    """Words are compared case-insensitively so 'Calm' and ' calm ' count together."""
    word = clean_text(raw, MAX_WORD_CHARS).casefold()
    if len(word.split(" ")) > max_words:
        limit = "one word" if max_words == 1 else f"at most {max_words} words"
        raise InvalidAnswer(f"Please use {limit}.")
    return word


def _number(raw: Any, lo: float, hi: float, what: str) -> float:
    # An int is compared as it is: math.isfinite() of a 400-digit int overflows.
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or (
            isinstance(raw, float) and not math.isfinite(raw)):
        raise InvalidAnswer(f"Please choose a {what}.")
    if not lo <= raw <= hi:
        raise InvalidAnswer(f"Please choose a {what} between {lo:g} and {hi:g}.")
    return float(raw)


def normalise_answer(exercise: Exercise, raw: Any) -> Any:
    """Return the value to store, or raise InvalidAnswer with a message for the phone."""
    settings = exercise.settings
    qtype = exercise.type
    if qtype is QuestionType.SCALE:
        value = _number(raw, settings["min"], settings["max"], "number")
        if value != int(value):
            raise InvalidAnswer("Please choose a whole number on the scale.")
        return int(value)
    if qtype is QuestionType.SINGLE_CHOICE:
        if raw not in settings["options"]:
            raise InvalidAnswer("Please choose one of the options shown.")
        return raw
    if qtype is QuestionType.MULTIPLE_CHOICE:
        if not isinstance(raw, list) or not raw:
            raise InvalidAnswer("Please choose at least one option.")
        if any(not isinstance(item, str) or item not in settings["options"] for item in raw):
            raise InvalidAnswer("Please choose among the options shown.")
        if len(set(raw)) != len(raw):
            raise InvalidAnswer("Each option can be chosen once.")
        if len(raw) > settings["max_choices"]:
            raise InvalidAnswer(f"Please choose at most {settings['max_choices']}.")
        # Keep the options' own order so equal choices store equally.
        return [option for option in settings["options"] if option in raw]
    if qtype is QuestionType.WORD:
        return normalise_word(raw, settings["max_words"])
    if qtype is QuestionType.TEXT:
        return clean_text(raw, MAX_TEXT_CHARS)
    if qtype is QuestionType.SPECTRUM:
        return round(_number(raw, 0, 100, "position"), 1)
    # QuestionType.POSITION2D
    if not isinstance(raw, list) or len(raw) != 2:
        raise InvalidAnswer("Please tap a point in the field.")
    return [round(_number(v, 0, 100, "point"), 1) for v in raw]
