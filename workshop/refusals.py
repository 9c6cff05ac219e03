"""The domain's refusals: a reason and a sentence for a person, never an HTTP status
(phone/errors.py maps reasons to statuses)."""

from __future__ import annotations

class WorkshopError(Exception):
    """A refusal a phone or a facilitator should be told about in plain words.

    It names a reason, never an HTTP status: the phone layer maps reasons to statuses
    (phone/errors.py), and the facilitator's pages show the message.

    A plain exception, not a frozen dataclass: contextlib sets `__traceback__` on what leaves
    a `@contextmanager` block, which a frozen dataclass refuses (a refusal raised inside one
    became a FrozenInstanceError).
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason
        self.message = message

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"WorkshopError({self.reason!r}, {self.message!r})"


UNKNOWN_SESSION = WorkshopError("unknown_session", "We couldn't find a session with that code.")
ENDED = WorkshopError("ended", "This session has ended. Thank you for taking part.")
UNKNOWN_TOKEN = WorkshopError("unknown_token", "This phone hasn't joined the session yet. Please reload the page.")
NOT_LIVE = WorkshopError("not_live", "This exercise is no longer on. Your screen will update in a moment.")
CLOSED = WorkshopError("closed", "Answering is closed for this exercise.")
ROOM_CODE_NEEDED = WorkshopError("room_code_needed",
                                 "Please type the 4-digit room code shown on the screen in the room.")
ROOM_CODE_WRONG = WorkshopError("room_code_wrong", "That is not the room code on the screen. "
                                "It changes every two minutes: please type the one shown now.")
REFUSED = WorkshopError("refused", "The facilitator did not let this phone join. "
                        "If you are in the room, please ask them.")


class JoinWaits(Exception):
    """The group is at its expected size: this phone waits, holding `ticket`, for the facilitator."""

    def __init__(self, ticket: str) -> None:
        super().__init__("waiting for the facilitator")
        self.ticket = ticket


WAITING_MESSAGE = ("The group is full as planned. The facilitator will let you in in a moment; "
                   "please keep this page open.")
