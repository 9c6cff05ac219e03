"""Facilitator-made agendas: build, check, and share them as YAML files.

A shared file has the same format as `content/agendas/*.yaml`, so an agenda
exported here can also be dropped into a colleague's content folder.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import yaml

from workshop.content import ContentError, InvalidContent, parse_agenda, yaml_problem
from workshop.models import Agenda, Exercise

MAX_IMPORT_BYTES = 64 * 1024


class AgendaError(ValueError):
    """An agenda that can't be saved or imported, with a reason for the facilitator."""


def agenda_to_dict(agenda: Agenda) -> dict[str, Any]:
    return {"id": agenda.id, "title": agenda.title, "description": agenda.description,
            "minutes": agenda.minutes, "steps": [step.id for step in agenda.steps]}


def agenda_to_yaml(agenda: Agenda) -> str:
    return yaml.safe_dump(agenda_to_dict(agenda), sort_keys=False, allow_unicode=True, width=100)


def agenda_from_dict(data: Any, exercises: dict[str, Exercise], source: str) -> Agenda:
    try:
        return parse_agenda(data, exercises, source)
    except InvalidContent as exc:
        raise AgendaError(str(ContentError(source, exc.field, exc.message))) from None


def agenda_from_yaml(text: str | bytes, exercises: dict[str, Exercise], source: str) -> Agenda:
    if isinstance(text, bytes):
        if len(text) > MAX_IMPORT_BYTES:
            raise AgendaError(f"{source}: the file is larger than {MAX_IMPORT_BYTES // 1024} kB")
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise AgendaError(f"{source}: the file is not UTF-8 text") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise AgendaError(yaml_problem(exc, source)) from None
    return agenda_from_dict(data, exercises, source)


def slug(title: str) -> str:
    """An id from a title: accents dropped, a-z and 0-9 kept, words joined by '-'."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_title.casefold())
    return "-".join(words)[:50].strip("-") or "agenda"


def build_agenda(title: str, description: str, step_ids: list[str],
                 exercises: dict[str, Exercise], agenda_id: str | None = None) -> Agenda:
    """An agenda from the builder's fields; minutes are the sum of the steps' suggestions."""
    if not title.strip():
        raise AgendaError("Give the agenda a name.")
    data: dict[str, Any] = {"id": agenda_id or slug(title), "title": title.strip(),
                            "steps": list(step_ids)}
    if description.strip():
        data["description"] = description.strip()
    return agenda_from_dict(data, exercises, "agenda")
