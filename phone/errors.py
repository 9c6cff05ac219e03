"""The phone API's HTTP statuses, one per reason the domain can refuse with (docs/phone-api.md).

The domain (`workshop/`) names a reason and a sentence for a person; only this layer knows
HTTP. A reason not listed here (a facilitator's mistake, never a phone's) is a 400.
"""

from __future__ import annotations

STATUS_OF_REASON: dict[str, int] = {
    "invalid_value": 400,
    "unknown_token": 403,
    "room_code_needed": 403,
    "room_code_wrong": 403,
    "refused": 403,
    "unknown_session": 404,
    "not_live": 409,
    "closed": 409,
    "ended": 410,
}


def status_of(reason: str) -> int:
    return STATUS_OF_REASON.get(reason, 400)
