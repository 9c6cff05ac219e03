"""Who gets in: a phone's token, the room code, the expected size and the phones waiting."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from typing import Any

from workshop.admission import JoinWatch, new_room_secret, room_code_matches
from workshop.admission import room_code as room_code_at
from workshop.join_codes import TOKEN_SHAPE, normalise_code
from workshop.models import Session
from workshop.refusals import ENDED, REFUSED, ROOM_CODE_NEEDED, ROOM_CODE_WRONG, UNKNOWN_TOKEN, JoinWaits
from workshop.rooms import Room, RoomEvent, TokenIssued
from workshop.storage.store import Store

# A waiting phone asks again every 3 s; one silent for this long has gone and is not counted.
PENDING_SEEN_SECONDS = 30


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class Joining:
    """Part of `Workshop` (which gives it `store`, `room`, `session` and `apply`): joining,
    admission and the check of a phone's token."""

    store: Store
    join_watch: JoinWatch
    room: Callable[[str], Room]
    session: Callable[[str], Session]
    apply: Callable[[RoomEvent], None]

    def join(self, code: str, token: Any = None, *, room_code: Any = None, ticket: Any = None,
             address: str = "") -> tuple[Session, str]:
        """Return the phone's token: the one it had if this session knows it, else a new one.

        A phone that already joined is never asked again. A new phone must type the room code
        if the session asks for one (ROOM_CODE_NEEDED / ROOM_CODE_WRONG), and once the group
        has its expected size it waits (JoinWaits, with a ticket to ask again with) until the
        facilitator lets it in or turns it away (REFUSED). `address` only feeds the in-memory
        join-burst warning.
        """
        room = self.room(code)
        session = room.session
        if session.live.ended:
            raise ENDED
        if room.knows(token) or (isinstance(token, str) and self._joined_elsewhere(room, token)):
            return session, token
        settings = session.settings
        if isinstance(ticket, str) and TOKEN_SHAPE.fullmatch(ticket) and \
                self._ticket_admitted(room, ticket, settings.expected_size):
            return session, self._new_token(room)
        if settings.room_code:
            if room_code is None or room_code == "":
                raise ROOM_CODE_NEEDED
            if not room_code_matches(room.room_secret(new_room_secret), room_code):
                raise ROOM_CODE_WRONG
        self.join_watch.note(room.code, address)
        if not settings.expected_size:
            return session, self._new_token(room)
        # This server's count and its joins under way, held together (the query is not).
        if not room.hold_place(self._joined_in_database(room), settings.expected_size):
            ticket = secrets.token_urlsafe(18)
            self.store.add_pending_join(room.code, sha256_hex(ticket))
            raise JoinWaits(ticket)
        try:
            return session, self._new_token(room)
        finally:
            room.release_place()

    def _new_token(self, room: Room) -> str:
        token = secrets.token_urlsafe(18)
        self.store.add_participant(room.code, token)
        self.apply(TokenIssued(room.code, token))
        return token

    def _joined_in_database(self, room: Room) -> int:
        """Phones joined through any server, for the expected size: other servers' joins reach
        this one's memory a moment later (0 with DuckDB, where this server is the only one)."""
        return self.store.participant_count(room.code) if self.store.shared else 0

    def _ticket_admitted(self, room: Room, ticket: str, expected_size: int) -> bool:
        """A waiting phone asks again: True once let in; JoinWaits while waiting; REFUSED if turned
        away. An unknown ticket (already used, or made up) is False: the phone joins afresh.
        A waiting phone is let in by itself once there is room (the facilitator raised the
        expected size, or turned the limit off)."""
        digest = sha256_hex(ticket)
        state = self.store.pending_join_state(room.code, digest)
        if state == "waiting":
            if expected_size and max(self._joined_in_database(room), room.participants) >= expected_size:
                raise JoinWaits(ticket)
            state = "admitted"
        if state is None or not self.store.drop_pending_join(room.code, digest):
            return False  # (dropped by a twin request first: one admission is one phone)
        if state == "refused":
            raise REFUSED
        return True

    def room_code(self, code: str) -> str | None:
        """The 4-digit code the projector shows now, or None if this session asks for none."""
        room = self.room(code)
        return room_code_at(room.room_secret(new_room_secret)) if room.session.settings.room_code else None

    def _seen_since(self) -> datetime:
        return datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(seconds=PENDING_SEEN_SECONDS)

    def waiting_joins(self, code: str) -> int:
        """Phones waiting to be let in (still on the page: asked within the last 30 s)."""
        return self.store.waiting_joins(self.room(code).code, self._seen_since())

    def admit_waiting(self, code: str, limit: int | None = None) -> int:
        """Let in the phones waiting longest (`limit` of them, or all); returns how many."""
        return self.store.decide_pending_joins(self.room(code).code, "admitted", self._seen_since(), limit)

    def refuse_waiting(self, code: str) -> int:
        return self.store.decide_pending_joins(self.room(code).code, "refused", self._seen_since())

    def join_burst(self, code: str) -> int:
        """The most new phones that joined from one address in the last two minutes."""
        return self.join_watch.most_from_one_address(normalise_code(code))

    def check_token(self, code: str, token: Any) -> None:
        room = self.room(code)
        if not (room.knows(token) or (isinstance(token, str) and self._joined_elsewhere(room, token))):
            raise UNKNOWN_TOKEN

    def _joined_elsewhere(self, room: Room, token: str) -> bool:
        """A phone that joined through another app server (shared PostgreSQL only)."""
        if not self.store.shared or len(token) > 64 or not self.store.has_participant(room.code, token):
            return False
        self.apply(TokenIssued(room.code, token))
        return True
