from pathlib import Path

import pytest

from workshop.content import load_library
from workshop.models import NINE_DOMAINS, QuestionType

from harness.content import CONTENT


def test_every_shipped_file_loads_without_errors(library):
    assert library.errors == []
    assert len(library.exercises) >= 20
    files = {p.relative_to(CONTENT.parent).as_posix() for p in CONTENT.rglob("*.yaml")}
    loaded = {e.source for e in library.exercises.values()} | {a.source for a in library.agendas.values()}
    assert loaded == files


def test_every_domain_has_at_least_two_exercises(library):
    for domain in NINE_DOMAINS:
        assert sum(e.domain == domain for e in library.exercises.values()) >= 2, domain


def test_every_question_type_is_used_by_shipped_content(library):
    assert {e.type for e in library.exercises.values()} == set(QuestionType)


def test_the_three_promised_agendas_ship_and_reference_real_exercises(library):
    assert {"nine-domains-intro", "river-and-window", "relational-checkin"} <= set(library.agendas)
    for agenda in library.agendas.values():
        assert all(step.id in library.exercises for step in agenda.steps)
    intro = library.agendas["nine-domains-intro"]
    assert {s.domain for s in intro.steps} >= set(NINE_DOMAINS)
    assert intro.steps[1].id == intro.steps[-2].id == "checkin-integration"  # pre/post


GOOD = """
domain: vertical
exercises:
  - id: ok-one
    title: Fine
    type: scale
    prompt: How are you?
    settings: {min: 0, max: 10}
    minutes: 2
    notes: Some notes.
"""


def write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.mark.parametrize(("broken", "field", "reason"), [
    (GOOD.replace("    title: Fine\n", ""), "exercises[ok-two].title", "is missing"),
    (GOOD.replace("type: scale", "type: slider"), "exercises[ok-two].type", "unknown question type 'slider'"),
    (GOOD.replace("{min: 0, max: 10}", "{min: 10, max: 0}"), "exercises[ok-two].settings.max",
     "must be greater than min (10), got 0"),
    (GOOD.replace("domain: vertical", "domain: cosmic"), "domain", "unknown domain 'cosmic'"),
    (GOOD.replace("minutes: 2", "minutes: soon"), "exercises[ok-two].minutes", "must be a whole number"),
    (GOOD.replace("id: ok-one", "id: ok-one").replace("    settings: {min: 0, max: 10}\n", ""),
     "exercises[ok-two].settings.min", "is missing"),
])
def test_a_broken_exercise_file_names_the_file_field_and_reason(tmp_path, broken, field, reason):
    write(tmp_path, "exercises/a-good.yaml", GOOD)
    write(tmp_path, "exercises/b-broken.yaml", broken.replace("id: ok-one", "id: ok-two"))
    library = load_library(tmp_path)
    assert len(library.errors) == 1
    error = library.errors[0]
    assert (error.file, error.field) == (f"{tmp_path.name}/exercises/b-broken.yaml", field)
    assert reason in error.message
    assert "ok-one" in library.exercises  # the valid file still loads


def test_a_duplicate_id_is_reported_with_the_file_that_had_it_first(tmp_path):
    write(tmp_path, "exercises/a.yaml", GOOD)
    write(tmp_path, "exercises/b.yaml", GOOD)
    library = load_library(tmp_path)
    assert [str(e) for e in library.errors] == [
        f"{tmp_path.name}/exercises/b.yaml: exercises[ok-one].id: duplicate id, already defined in "
        f"{tmp_path.name}/exercises/a.yaml"]


def test_invalid_yaml_and_an_agenda_with_a_missing_step_are_reported(tmp_path):
    write(tmp_path, "exercises/a.yaml", GOOD)
    write(tmp_path, "exercises/bad.yaml", "exercises: [unclosed")
    write(tmp_path, "agendas/x.yaml", "id: x\ntitle: X\nsteps: [ok-one, nowhere]\n")
    library = load_library(tmp_path)
    fields = {(e.file.split("/", 1)[1], e.field) for e in library.errors}
    assert fields == {("exercises/bad.yaml", "line 1"), ("agendas/x.yaml", "agenda.steps[1]")}
    assert str(library.errors[0]).endswith(
        "exercises/bad.yaml: line 1: is not valid YAML: a list in [ ] is not closed.")
    assert "no exercise with id 'nowhere'" in str(library.errors[-1])
    assert library.agendas == {}


def test_choice_options_must_be_distinct(tmp_path):
    write(tmp_path, "exercises/c.yaml", GOOD.replace("type: scale", "type: single_choice").replace(
        "{min: 0, max: 10}", "{options: [a, b, a]}"))
    [error] = load_library(tmp_path).errors
    assert (error.field, error.message) == ("exercises[ok-one].settings.options", "has the same option twice")


def test_the_sixty_minute_introduction_visits_all_nine_domains_with_every_kind_of_question(library):
    """The intro is a facilitator's first workshop: it should show each domain and the phone's
    first controls; every kind is in one built-in agenda or another."""
    intro = library.agendas["nine-domains-intro"]
    assert {s.domain for s in intro.steps} - {"general"} == set(NINE_DOMAINS)
    assert {s.type.value for s in intro.steps} == {"scale", "single_choice", "multiple_choice", "word", "text",
                                                   "spectrum", "position2d", "window", "ranking"}
    assert {s.type for agenda in library.agendas.values() for s in agenda.steps} == set(QuestionType)
    assert {s.type.value for s in intro.steps} >= {"multiple_choice", "position2d"}
    # 49 minutes of exercises in an hour leaves the rest for teaching and talk
    assert sum(s.minutes for s in intro.steps) == 49 and intro.minutes == 60
    assert (intro.steps[0].id, intro.steps[-1].id) == ("grounding-arrive", "grounding-close")
