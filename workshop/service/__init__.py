"""The rules of a live session, in one `Workshop` made of parts with one job each:
`workshop` (sessions, live commands, answers, results, the one path for changes),
`agenda_shelf`, `joining` (tokens, room code, expected size) and `moderating`."""

from workshop.refusals import WorkshopError
from workshop.service.workshop import MAX_EXPECTED_SIZE, MAX_MIN_ANSWERS, PASS_THANKS, THANKS, Workshop

__all__ = ["MAX_EXPECTED_SIZE", "MAX_MIN_ANSWERS", "PASS_THANKS", "THANKS", "Workshop", "WorkshopError"]
