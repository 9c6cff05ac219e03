import pytest

from workshop.agendas import AgendaError, agenda_to_yaml, build_agenda, slug
from workshop.service import Workshop, WorkshopError
from workshop.storage.store import Store


def test_a_built_agenda_adds_up_its_minutes_and_gets_an_id_from_its_title(library):
    steps = ["grounding-arrive", "checkin-integration", "river-position", "checkin-integration"]
    agenda = build_agenda("Thursday group: week 3", "For the Thursday group.", steps, library.exercises)
    assert agenda.id == "thursday-group-week-3"
    assert [s.id for s in agenda.steps] == steps
    assert agenda.minutes == sum(library.exercises[i].minutes for i in steps)
    with pytest.raises(AgendaError, match="Give the agenda a name"):
        build_agenda("  ", "", steps, library.exercises)
    with pytest.raises(AgendaError, match=r"agenda: agenda.steps: must be a non-empty list"):
        build_agenda("Empty", "", [], library.exercises)
    assert slug("Ünïcode & spaces!") == "unicode-spaces"


def test_an_agenda_saved_exported_and_imported_is_identical(tmp_path, library):
    first = Workshop(Store(tmp_path / "a.duckdb"), library)
    steps = ["checkin-window", "interpersonal-four-s", "bilateral-metaphor-word", "checkin-window"]
    saved = first.save_agenda(build_agenda("Check-in, my way", "Ours.", steps, library.exercises))
    exported = agenda_to_yaml(first.agendas()[saved.id])
    second = Workshop(Store(tmp_path / "b.duckdb"), library)  # a colleague's laptop
    imported = second.import_agenda(exported.encode("utf-8"), "check-in-my-way.yaml")
    assert imported == first.agendas()[saved.id]
    assert agenda_to_yaml(second.agendas()[imported.id]) == exported
    assert second.start_session(imported.id).steps == imported.steps


def test_a_broken_import_says_which_file_and_field(workshop):
    text = "id: mine\ntitle: Mine\nsteps: [grounding-arrive, no-such-exercise]\n"
    with pytest.raises(WorkshopError) as info:
        workshop.import_agenda(text.encode(), "mine.yaml")
    assert info.value.message == "mine.yaml: agenda.steps[1]: no exercise with id 'no-such-exercise'"
    for bad, reason in ((b"\xff\xfe", "not UTF-8"), (b"steps: [", "bad.yaml, line 1: the file ends before a quote or bracket is closed"),
                        (b"x" * 70_000, "larger than 64 kB")):
        with pytest.raises(WorkshopError, match=reason):
            workshop.import_agenda(bad, "bad.yaml")
    assert "mine" not in workshop.agendas()


def test_built_in_agendas_cannot_be_overwritten_or_deleted(workshop, library):
    clash = build_agenda("x", "", ["grounding-arrive"], library.exercises, agenda_id="nine-domains-intro")
    with pytest.raises(WorkshopError, match="built-in agenda"):
        workshop.save_agenda(clash)
    with pytest.raises(WorkshopError):
        workshop.delete_agenda("nine-domains-intro")
    mine = workshop.save_agenda(build_agenda("Mine", "", ["grounding-arrive"], library.exercises))
    workshop.delete_agenda(mine.id)
    assert mine.id not in workshop.agendas()


def test_a_saved_agenda_whose_exercise_was_removed_is_reported_not_lost(workshop, library):
    workshop.store.save_agenda({"id": "old", "title": "Old", "description": "", "minutes": 5,
                                "steps": ["grounding-arrive", "retired-exercise"]})
    assert "old" not in workshop.agendas()
    assert workshop.saved_agendas()[1] == [
        "saved agenda 'old': agenda.steps[1]: no exercise with id 'retired-exercise'"]


def test_an_import_with_broken_yaml_says_the_file_line_and_problem_in_one_sentence(workshop):
    """PyYAML's multi-line parser report means nothing to a facilitator."""
    text = b"id: mine\ntitle: Mine\nsteps:\n  - grounding-arrive\n - grounding-close\n"
    with pytest.raises(WorkshopError) as info:
        workshop.import_agenda(text, "my-agenda.yaml")
    assert info.value.message == "my-agenda.yaml, line 5: a line is not indented like the ones above it."
    with pytest.raises(WorkshopError) as info:
        workshop.import_agenda(b"id: mine\nsteps: [grounding-arrive\n", "x.yaml")
    assert info.value.message == "x.yaml, line 3: a list in [ ] is not closed."


def test_importing_an_agenda_whose_id_is_taken_makes_a_copy_unless_told_to_replace(workshop, library):
    """A colleague's file must never silently overwrite the agenda a facilitator already saved."""
    mine = workshop.save_agenda(build_agenda("Mine", "", ["grounding-arrive"], library.exercises))
    theirs = agenda_to_yaml(build_agenda("Mine", "", ["grounding-close"], library.exercises)).encode()
    first = workshop.import_agenda(theirs, "mine.yaml")
    second = workshop.import_agenda(theirs, "mine.yaml")
    assert [(a.id, a.title) for a in (first, second)] == [("mine-copy", "Mine (copy)"),
                                                          ("mine-copy-2", "Mine (copy)")]
    assert [s.id for s in workshop.agendas()[mine.id].steps] == ["grounding-arrive"]
    replaced = workshop.import_agenda(theirs, "mine.yaml", replace=True)
    assert (replaced.id, [s.id for s in workshop.agendas()["mine"].steps]) == ("mine", ["grounding-close"])
    builtin = agenda_to_yaml(library.agendas["relational-checkin"]).encode()
    assert workshop.import_agenda(builtin, "r.yaml", replace=True).id == "relational-checkin-copy"
