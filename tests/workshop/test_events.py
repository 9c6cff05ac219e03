"""Named events: each travels to another server and back unchanged, and a newer kind is ignored."""

import dataclasses
import json

import pytest

from workshop.storage.events import EVENTS, decode, encode


def example(cls):
    values = {"code": "ABCDEF", "step": 3, "marker": "0123456789abcdef0123"}
    return cls(**{f.name: values[f.name] for f in dataclasses.fields(cls)})


@pytest.mark.parametrize("cls", list(EVENTS.values()), ids=lambda cls: cls.__name__)
def test_an_event_crosses_to_another_server_unchanged(cls):
    event = example(cls)
    payload = encode("server-a", event)
    assert json.loads(payload)["kind"] == cls.kind
    assert decode(payload) == ("server-a", event)


def test_a_kind_this_server_does_not_know_is_ignored_not_a_crash():
    assert decode(json.dumps({"origin": "newer", "kind": "votes", "code": "ABCDEF"})) == ("newer", None)


def test_every_write_the_store_makes_names_its_event(store):
    from workshop.models import Moderation
    code = "EVENTS"
    event = store.moderate(code, 2, ["calm"], Moderation.APPROVED)
    assert (event.kind, event.code, event.step) == ("moderation", code, 2)
    assert store.delete_session(code).kind == "erased"
