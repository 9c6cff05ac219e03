"""For the tests of one question kind: a content file holding one exercise of it, and a phone
answering its step over the real phone routes."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from starlette.applications import Starlette
from starlette.testclient import TestClient

from phone.routes import PhoneRoutes
from workshop.content import load_library
from workshop.service import Workshop

EXERCISE_FILE = """domain: general
exercises:
  - id: x
    title: An exercise
    type: {kind}
    prompt: Answer it
    settings: {settings}
    minutes: 2
    notes: Some notes.
"""


def the_one_error(folder: Path, kind: str, settings: str) -> tuple[str, str]:
    """(the field, the reason) of the one error loading a file with `settings` for `kind`;
    the error must name that file."""
    (folder / "exercises").mkdir()
    path = folder / "exercises" / "x.yaml"
    path.write_text(EXERCISE_FILE.format(kind=kind, settings=settings), encoding="utf-8")
    library = load_library(folder)
    assert len(library.errors) == 1, library.errors
    error = library.errors[0]
    assert error.file == f"{folder.name}/exercises/x.yaml"
    return error.field.removeprefix("exercises[x]."), error.message


@contextmanager
def phone_on_step(workshop: Workshop, exercise_id: str, agenda: str = "river-and-window"):
    """A joined phone over the real phone routes, with the agenda's step of `exercise_id` live:
    (the HTTP client, the session code, the phone's token, the step)."""
    session = workshop.start_session(agenda)
    step = next(i for i, s in enumerate(session.steps) if s.id == exercise_id)
    workshop.go_to_step(session.code, step)
    with TestClient(Starlette(routes=PhoneRoutes(lambda: workshop).routes())) as client:
        token = client.post("/api/join", json={"code": session.code}).json()["token"]
        yield client, session.code, token, step


def answer(phone, value):
    """POST `value` as the answer of the phone from `phone_on_step`."""
    client, code, token, step = phone
    return client.post("/api/answer", json={"code": code, "token": token, "step": step, "value": value})


def assert_refused_storing_nothing(workshop: Workshop, phone, value) -> None:
    """The phone API refuses `value` with invalid_value and a sentence, and stores nothing."""
    response = answer(phone, value)
    assert (response.status_code, response.json()["reason"]) == (400, "invalid_value"), value
    assert response.json()["error"].endswith("."), response.json()
    assert workshop.store.count_answers(phone[1]) == 0
