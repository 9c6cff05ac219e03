"""Load and validate the exercise library and agendas from `content/`.

A broken file never stops the app: its problems are collected as
`ContentError`s naming the file, the field and the reason, and everything
valid still loads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from workshop.models import DOMAIN_LABELS, Agenda, Exercise, QuestionType
from workshop.questions import KINDS
from workshop.questions.fields import InvalidContent
from workshop.questions.fields import read_int as _int
from workshop.questions.fields import read_text as _text

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


@dataclass(frozen=True)
class ContentError:
    file: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.message}"


@dataclass
class Library:
    exercises: dict[str, Exercise] = field(default_factory=dict)
    agendas: dict[str, Agenda] = field(default_factory=dict)
    errors: list[ContentError] = field(default_factory=list)


def validate_settings(qtype: QuestionType, settings: Any, where: str) -> dict[str, Any]:
    """Check and normalise a question type's settings (its kind's rules); raise on the first problem."""
    if settings is None:
        settings = {}
    if not isinstance(settings, dict):
        raise InvalidContent(where, "must be a mapping of setting names to values")
    return KINDS[qtype].settings(settings, where)


def parse_exercise(data: Any, where: str, default_domain: str | None, source: str) -> Exercise:
    if not isinstance(data, dict):
        raise InvalidContent(where, "must be a mapping with id, title, type, prompt, ...")
    ex_id = _text(data, "id", where, max_len=63)
    if not ID_PATTERN.match(ex_id):
        raise InvalidContent(f"{where}.id", f"{ex_id!r} may use only a-z, 0-9 and '-'")
    where = f"exercises[{ex_id}]"
    raw_type = data.get("type")
    try:
        qtype = QuestionType(raw_type)
    except ValueError:
        known = ", ".join(t.value for t in QuestionType)
        raise InvalidContent(f"{where}.type", f"unknown question type {raw_type!r} (known: {known})") from None
    domain = data.get("domain", default_domain)
    if domain not in DOMAIN_LABELS:
        raise InvalidContent(f"{where}.domain", f"unknown domain {domain!r} (known: {', '.join(DOMAIN_LABELS)})")
    return Exercise(
        id=ex_id,
        title=_text(data, "title", where, max_len=120),
        type=qtype,
        prompt=_text(data, "prompt", where, max_len=300),
        domain=domain,
        settings=validate_settings(qtype, data.get("settings"), f"{where}.settings"),
        minutes=_int(data, "minutes", where, 1, 60),
        notes=_text(data, "notes", where, max_len=4000),
        content_note=_text(data, "content_note", where, required=False, max_len=500),
        source=source,
    )


# PyYAML's problem texts, in words a facilitator can act on.
YAML_PROBLEMS = (
    ("expected <block end>", "a line is not indented like the ones above it"),
    ("mapping values are not allowed", "a colon is in an unexpected place (put text with a colon in quotes)"),
    ("cannot start any token", "a tab or a special character starts a value (indent with spaces, quote the text)"),
    ("expected ',' or ']'", "a list in [ ] is not closed"),
    ("expected ',' or '}'", "a mapping in { } is not closed"),
    ("found '<stream end>'", "the file ends before a quote or bracket is closed"),
    ("found unexpected end of stream", "the file ends before a quote or bracket is closed"),
    ("expected <document start>", "a line is not indented like the ones above it"),
)


def yaml_problem(exc: yaml.YAMLError, filename: str) -> str:
    """One sentence: the file, the line and what is wrong, instead of PyYAML's parser report."""
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    words = next((plain for needle, plain in YAML_PROBLEMS if needle in problem), problem)
    where = f", line {mark.line + 1}" if mark is not None else ""
    return f"{filename}{where}: {words}."


def _read_yaml(path: Path, root: Path, errors: list[ContentError]) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        sentence = yaml_problem(exc, _rel(path, root)).split(": ", 1)[1]
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        errors.append(ContentError(_rel(path, root), "(file)" if line is None else f"line {line + 1}",
                                   f"is not valid YAML: {sentence}"))
        return None
    except UnicodeDecodeError:
        errors.append(ContentError(_rel(path, root), "(file)", "is not UTF-8 text"))
        return None


def _rel(path: Path, root: Path) -> str:
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _load_exercise_file(path: Path, root: Path, library: Library) -> None:
    name = _rel(path, root)
    data = _read_yaml(path, root, library.errors)
    if data is None:
        return
    if not isinstance(data, dict) or not isinstance(data.get("exercises"), list):
        library.errors.append(ContentError(name, "exercises", "must be a list of exercises"))
        return
    default_domain = data.get("domain")
    if default_domain is not None and default_domain not in DOMAIN_LABELS:
        library.errors.append(ContentError(name, "domain", f"unknown domain {default_domain!r}"))
        return
    for i, item in enumerate(data["exercises"]):
        try:
            exercise = parse_exercise(item, f"exercises[{i}]", default_domain, name)
        except InvalidContent as exc:
            library.errors.append(ContentError(name, exc.field, exc.message))
            continue
        if exercise.id in library.exercises:
            first = library.exercises[exercise.id].source
            library.errors.append(ContentError(name, f"exercises[{exercise.id}].id",
                                               f"duplicate id, already defined in {first}"))
            continue
        library.exercises[exercise.id] = exercise


def parse_agenda(data: Any, exercises: dict[str, Exercise], source: str) -> Agenda:
    if not isinstance(data, dict):
        raise InvalidContent("(file)", "must be a mapping with id, title and steps")
    agenda_id = _text(data, "id", "agenda", max_len=63)
    if not ID_PATTERN.match(agenda_id):
        raise InvalidContent("agenda.id", f"{agenda_id!r} may use only a-z, 0-9 and '-'")
    steps = data.get("steps")
    if not isinstance(steps, list) or not steps:
        raise InvalidContent("agenda.steps", "must be a non-empty list of exercise ids")
    resolved = []
    for i, step in enumerate(steps):
        if step not in exercises:
            raise InvalidContent(f"agenda.steps[{i}]", f"no exercise with id {step!r}")
        resolved.append(exercises[step])
    return Agenda(
        id=agenda_id,
        title=_text(data, "title", "agenda", max_len=120),
        # An agenda saved without a description comes back with "": that is no description.
        description=_text({**data, "description": data.get("description") or None}, "description",
                          "agenda", required=False) or "",
        minutes=_int(data, "minutes", "agenda", 1, 600,
                     default=sum(step.minutes for step in resolved)),
        steps=tuple(resolved),
        source=source,
    )


def load_library(root: Path) -> Library:
    """Read every exercise file, then every agenda, from a content folder."""
    library = Library()
    if not root.is_dir():
        library.errors.append(ContentError(str(root), "(folder)", "content folder not found"))
        return library
    for path in sorted((root / "exercises").glob("*.y*ml")):
        _load_exercise_file(path, root, library)
    for path in sorted((root / "agendas").glob("*.y*ml")):
        name = _rel(path, root)
        data = _read_yaml(path, root, library.errors)
        if data is None:
            continue
        try:
            agenda = parse_agenda(data, library.exercises, name)
        except InvalidContent as exc:
            library.errors.append(ContentError(name, exc.field, exc.message))
            continue
        if agenda.id in library.agendas:
            library.errors.append(ContentError(name, "agenda.id",
                                               f"duplicate id, already defined in {library.agendas[agenda.id].source}"))
            continue
        library.agendas[agenda.id] = agenda
    return library
