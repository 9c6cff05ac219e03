"""The agendas a facilitator can start: the built-in ones from content/ and their own, saved."""

from __future__ import annotations

import dataclasses

from workshop.agendas import AgendaError, agenda_from_dict, agenda_from_yaml, agenda_to_dict
from workshop.content import Library
from workshop.models import Agenda
from workshop.refusals import WorkshopError
from workshop.storage.store import Store


class AgendaShelf:
    """Part of `Workshop`: saving, importing and deleting facilitators' agendas."""

    store: Store
    library: Library

    def saved_agendas(self) -> tuple[dict[str, Agenda], list[str]]:
        """The facilitators' own agendas that load, and a problem for each one that no longer
        does (e.g. after an exercise was removed from content/)."""
        loaded: dict[str, Agenda] = {}
        problems: list[str] = []
        for data in self.store.saved_agendas():
            try:
                loaded[data["id"]] = agenda_from_dict(data, self.library.exercises,
                                                      f"saved agenda {data['id']!r}")
            except AgendaError as exc:
                problems.append(str(exc))
        return loaded, problems

    def agendas(self, saved: dict[str, Agenda] | None = None) -> dict[str, Agenda]:
        """Built-in agendas from content/, then the facilitators' own (read now unless given)."""
        merged = dict(self.library.agendas)
        for agenda_id, agenda in (self.saved_agendas()[0] if saved is None else saved).items():
            merged.setdefault(agenda_id, agenda)
        return merged

    def save_agenda(self, agenda: Agenda) -> Agenda:
        if agenda.id in self.library.agendas:
            raise WorkshopError("builtin_agenda",
                                f"“{agenda.id}” is a built-in agenda. Save yours under another name.")
        self.store.save_agenda(agenda_to_dict(agenda))
        return agenda

    def import_agenda(self, text: str | bytes, filename: str, replace: bool = False) -> Agenda:
        """Save an agenda file; an id already taken is imported as a copy (`<id>-copy`, then
        `<id>-copy-2`, ...) titled "... (copy)", unless `replace` overwrites a saved one."""
        try:
            agenda = agenda_from_yaml(text, self.library.exercises, filename)
        except AgendaError as exc:
            raise WorkshopError("bad_agenda", str(exc)) from None
        taken = set(self.library.agendas) | {data["id"] for data in self.store.saved_agendas()}
        if agenda.id in taken and not (replace and agenda.id not in self.library.agendas):
            base, number = agenda.id[:52], 1
            new_id = f"{base}-copy"
            while new_id in taken:
                number += 1
                new_id = f"{base}-copy-{number}"
            agenda = dataclasses.replace(agenda, id=new_id, title=f"{agenda.title[:113]} (copy)")
        return self.save_agenda(agenda)

    def delete_agenda(self, agenda_id: str) -> None:
        if agenda_id in self.library.agendas:
            raise WorkshopError("builtin_agenda", "Built-in agendas live in content/agendas/.")
        self.store.delete_agenda(agenda_id)
