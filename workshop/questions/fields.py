"""Reading a content file's fields and a phone's values: the checks every question kind shares.

Content problems raise `InvalidContent` naming the field (the loader adds the file); a phone's
bad value raises `InvalidAnswer` with a sentence the phone shows.
"""

from __future__ import annotations

import math
import re
import unicodedata
from typing import Any

MAX_OPTIONS = 8
_SPACES = re.compile(r"\s+")


class InvalidContent(Exception):
    """One problem in a content file: the field and what is wrong with it."""

    def __init__(self, field_name: str, message: str) -> None:
        super().__init__(message)
        self.field = field_name
        self.message = message


class InvalidAnswer(ValueError):
    """A value a person should be told about in plain words."""


def read_text(data: dict[str, Any], key: str, where: str, *, required: bool = True,
              max_len: int = 2000) -> str | None:
    value = data.get(key)
    if value is None:
        if required:
            raise InvalidContent(f"{where}.{key}", "is missing")
        return None
    if not isinstance(value, str) or not value.strip():
        raise InvalidContent(f"{where}.{key}", "must be a non-empty text")
    if len(value) > max_len:
        raise InvalidContent(f"{where}.{key}", f"is longer than {max_len} characters")
    return value.strip()


def read_int(data: dict[str, Any], key: str, where: str, lo: int, hi: int,
             default: int | None = None) -> int:
    value = data.get(key, default)
    if value is None:
        raise InvalidContent(f"{where}.{key}", "is missing")
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidContent(f"{where}.{key}", f"must be a whole number, got {value!r}")
    if not lo <= value <= hi:
        raise InvalidContent(f"{where}.{key}", f"must be between {lo} and {hi}, got {value}")
    return value


def read_bool(data: dict[str, Any], key: str, where: str, default: bool) -> bool:
    value = data.get(key, default)
    if not isinstance(value, bool):
        raise InvalidContent(f"{where}.{key}", f"must be true or false, got {value!r}")
    return value


def read_options(settings: dict[str, Any], where: str, key: str = "options", max_len: int = 2000,
                 fewest: int = 2, most: int = MAX_OPTIONS) -> list[str]:
    """`fewest` to `most` distinct texts under `key` (a choice's options, the items to share
    points among or to rank)."""
    options = settings.get(key)
    one = key.removesuffix("s")
    if not isinstance(options, list) or not fewest <= len(options) <= most:
        raise InvalidContent(f"{where}.{key}", f"must be a list of {fewest} to {most} {key}")
    cleaned = []
    for i, option in enumerate(options):
        if isinstance(option, bool):   # YAML reads a bare yes, no, on or off as true or false
            raise InvalidContent(f"{where}.{key}[{i}]", "was read as true or false: put it in quotes, e.g. 'No'")
        if not isinstance(option, (str, int, float)) or isinstance(option, bool) or not str(option).strip():
            raise InvalidContent(f"{where}.{key}[{i}]", "must be a non-empty text")
        if len(str(option).strip()) > max_len:
            raise InvalidContent(f"{where}.{key}[{i}]", f"is longer than {max_len} characters")
        cleaned.append(str(option).strip())
    if len(set(cleaned)) != len(cleaned):
        raise InvalidContent(f"{where}.{key}", f"has the same {one} twice")
    return cleaned


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


def number(raw: Any, lo: float, hi: float, what: str) -> float:
    # An int is compared as it is: math.isfinite() of a 400-digit int overflows.
    if isinstance(raw, bool) or not isinstance(raw, (int, float)) or (
            isinstance(raw, float) and not math.isfinite(raw)):
        raise InvalidAnswer(f"Please choose a {what}.")
    if not lo <= raw <= hi:
        raise InvalidAnswer(f"Please choose a {what} between {lo:g} and {hi:g}.")
    return float(raw)
