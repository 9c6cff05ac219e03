"""What the facilitator decides about typed answers: which words and texts the room sees."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from workshop.aggregate import is_shown
from workshop.models import Moderation, Session, value_json_of
from workshop.questions import KINDS
from workshop.rooms import Room
from workshop.storage.events import Event
from workshop.storage.store import Store

QUEUE_ORDERS = ("frequent", "newest")


class Moderating:
    """Part of `Workshop` (which gives it `store`, `room` and `apply`): the moderation queue
    and the decisions on it."""

    store: Store
    room: Callable[[str], Room]
    apply: Callable[[Event], None]

    def moderation_queue(self, code: str, step_index: int, order: str = "frequent", search: str = "",
                         waiting_only: bool = False) -> list[tuple[str, int, Moderation | None]]:
        """Every distinct word or text of a step with its count and decision, none left out.

        `order` is "frequent" (most sent first) or "newest" (most recently sent first, so a
        real answer typed after a burst of junk is on top); `search` keeps values containing
        it (case-insensitive); `waiting_only` keeps values the projector does not show yet.
        Values, never tokens: the facilitator moderates what was said, not who said it.
        """
        if order not in QUEUE_ORDERS:
            raise ValueError(f"order must be one of {QUEUE_ORDERS}")
        room = self.room(code)
        session = room.session
        if not KINDS[session.steps[step_index].type].moderated:
            return []
        counts: Counter[str] = Counter()
        newest: dict[str, int] = {}
        for position, answer in enumerate(room.answers(step_index)):  # in the order last changed
            if not answer.passed and answer.value is not None:
                counts[answer.value] += 1
                newest[answer.value] = position
        states = room.moderation(step_index)
        needle = search.strip().casefold()
        items = [(value, n, states.get(value_json_of(value))) for value, n in counts.items()
                 if needle in value.casefold()]
        if waiting_only:
            items = [item for item in items if self.is_waiting(session, step_index, item[2])]
        if order == "newest":
            return sorted(items, key=lambda item: -newest[item[0]])
        return sorted(items, key=lambda item: (-item[1], item[0]))

    def moderate(self, code: str, step_index: int, value: str, state: Moderation) -> None:
        self.moderate_many(code, step_index, [value], state)

    def moderate_many(self, code: str, step_index: int, values: list[str], state: Moderation) -> None:
        """One decision for many values in one write: "show all waiting", "hide all shown here"."""
        self.apply(self.store.moderate(self.room(code).code, step_index, values, state))

    def holds(self, session: Session, step_index: int) -> bool:
        """Whether this step's typed answers wait for approval (the session's Hold choice)."""
        return session.settings.hold.holds(session.steps[step_index].type)

    def is_value_shown(self, session: Session, step_index: int, state: Moderation | None) -> bool:
        return is_shown(state, self.holds(session, step_index))

    def is_waiting(self, session: Session, step_index: int, state: Moderation | None) -> bool:
        """Not on the projector yet and not hidden: the facilitator still has to decide."""
        return not self.is_value_shown(session, step_index, state) and state is not Moderation.HIDDEN
