"""What `/api/live` sends a phone: the live step, the phone's own answer, and when the
facilitator shares them, the group's counts; never anything of another phone.

Every phone of a session is sent the same view but for its own answer, and a step change
wakes them all at once. So the shared part is encoded once per state of the session
(`Room.shared_view`) and a woken phone costs the encoding of its own answer and a join of
three byte strings: 7-25 µs instead of 28-57 µs a phone at 1,000 phones (bench/fanout.py,
docs/benchmarks.md). The bytes are those Starlette's `JSONResponse` makes of `as_dict`
(tests/workshop/test_service.py compares them).
"""

from __future__ import annotations

import json
from typing import Any

from workshop.models import Session, Status
from workshop.questions import kind_of

NOT_SHARED = object()   # no "group" key: the facilitator does not share results with phones


# JSON as Starlette's JSONResponse writes it; one encoder, as json.dumps with these options
# builds a new one per call.
_ENCODER = json.JSONEncoder(ensure_ascii=False, allow_nan=False, indent=None, separators=(",", ":"))


def encode(value: Any) -> bytes:
    return _ENCODER.encode(value).encode("utf-8")


def shared_part(session: Session, group: Any = NOT_SHARED) -> dict[str, Any]:
    """The view without the phone's own answer; `group` only when results are shown and
    shared (the caller computes it, once per live version)."""
    live = session.live
    view: dict[str, Any] = {"version": live.version, "status": live.status.value, "code": session.code,
                            "title": session.title, "step": None}
    exercise = session.current_exercise
    if live.status is Status.LIVE and exercise is not None:
        view["step"] = {"index": live.step_index, "total": len(session.steps), "open": live.is_open,
                        "exercise": exercise.to_public_dict(kind_of(exercise).phone_settings(exercise))}
    if group is not NOT_SHARED:
        view["group"] = group
    return view


def shows_group(session: Session) -> bool:
    live = session.live
    return (live.status is Status.LIVE and session.current_exercise is not None and live.results_shown
            and session.settings.share_with_phones)


def as_dict(shared: dict[str, Any], answer: dict[str, Any] | None) -> dict[str, Any]:
    """The whole view: the shared part with the phone's answer after "step"."""
    view = {key: value for key, value in shared.items() if key != "group"}
    view["answer"] = answer
    if "group" in shared:
        view["group"] = shared["group"]
    return view


def encoded_parts(shared: dict[str, Any]) -> tuple[bytes, bytes]:
    """The shared part as the bytes before and after the phone's answer."""
    head = encode({key: value for key, value in shared.items() if key != "group"})
    tail = b',"group":' + encode(shared["group"]) + b"}" if "group" in shared else b"}"
    return head[:-1] + b',"answer":', tail


def encoded(parts: tuple[bytes, bytes], answer: dict[str, Any] | None) -> bytes:
    return parts[0] + (b"null" if answer is None else encode(answer)) + parts[1]
