"""Made-up phones (issue 12, finding 5): the room code, the expected size and the join-burst watch.

The attack: with k = 3 and one real answer, two extra browser tabs joined as phones and
answering made the chart appear, and with results shared on phones the attacker could
deduce the real answer. These tests replay it against each defence, on both databases.
"""

from __future__ import annotations

import threading
import time

import pytest

from tests.databases import read_database
from workshop import admission
from workshop.service import joining
from workshop.admission import ROOM_CODE_WINDOW_SECONDS, JoinWatch, room_code, room_code_matches
from workshop.models import SessionSettings
from workshop.refusals import JoinWaits, WorkshopError


def reason(call, *args, **kwargs) -> str:
    with pytest.raises(WorkshopError) as info:
        call(*args, **kwargs)
    return info.value.reason


def wait_ticket(workshop, code: str, **kwargs) -> str:
    with pytest.raises(JoinWaits) as info:
        workshop.join(code, **kwargs)
    return info.value.ticket


# -- the room code ----------------------------------------------------------------------

def test_the_room_code_has_four_digits_and_changes_every_two_minutes():
    secret = admission.new_room_secret()
    start = 1_800_000_000 - 1_800_000_000 % ROOM_CODE_WINDOW_SECONDS
    codes = [room_code(secret, start + n * ROOM_CODE_WINDOW_SECONDS) for n in range(50)]
    assert all(len(code) == 4 and code.isdigit() for code in codes)
    assert len(set(codes)) > 40  # 50 draws from 10,000: a few repeats at most
    assert room_code(secret, start) == room_code(secret, start + ROOM_CODE_WINDOW_SECONDS - 1)
    assert room_code(admission.new_room_secret(), start) != room_code(secret, start) or \
        room_code(admission.new_room_secret(), start + 1_000) != room_code(secret, start + 1_000)


def test_the_code_shown_now_and_the_one_before_are_accepted_and_no_other():
    secret = admission.new_room_secret()
    now = 1_800_000_123.0
    current = room_code(secret, now)
    previous = room_code(secret, now - ROOM_CODE_WINDOW_SECONDS)
    older = room_code(secret, now - 2 * ROOM_CODE_WINDOW_SECONDS)
    assert room_code_matches(secret, current, now)
    assert room_code_matches(secret, f" {previous} ", now)  # typed across a change, with a stray space
    if older not in (current, previous):
        assert not room_code_matches(secret, older, now)
    for typed in (None, 1234, "", "12345", "١٢٣٤", "12a4", current + "0"):
        assert not room_code_matches(secret, typed, now)


def test_a_new_phone_needs_the_room_code_and_a_phone_that_joined_never_types_it_again(workshop):
    code = workshop.start_session("nine-domains-intro", SessionSettings(room_code=True)).code
    assert reason(workshop.join, code) == "room_code_needed"
    assert reason(workshop.join, code, room_code="") == "room_code_needed"
    shown = workshop.room_code(code)
    wrong = f"{(int(shown) + 5000) % 10000:04d}"
    assert reason(workshop.join, code, room_code=wrong) == "room_code_wrong"
    assert workshop.participant_count(code) == 0  # refusals store nothing
    _, token = workshop.join(code, room_code=shown)
    assert workshop.join(code, token)[1] == token  # reloaded page, next day's code: still in
    assert workshop.participant_count(code) == 1


def test_sessions_without_a_room_code_show_none_and_can_turn_it_on_midway(workshop):
    code = workshop.start_session("nine-domains-intro").code
    assert workshop.room_code(code) is None
    _, early = workshop.join(code)
    workshop.update_settings(code, SessionSettings(room_code=True))
    assert reason(workshop.join, code) == "room_code_needed"
    assert workshop.join(code, early)[1] == early
    workshop.join(code, room_code=workshop.room_code(code))
    assert workshop.participant_count(code) == 2


# -- the expected size --------------------------------------------------------------------

def test_made_up_phones_beyond_the_expected_size_wait_and_cannot_outvote_suppression(workshop, database):
    settings = SessionSettings(min_answers=3, share_with_phones=True, expected_size=3)
    code = workshop.start_session("nine-domains-intro", settings).code
    real = [workshop.join(code)[1] for _ in range(3)]
    tickets = [wait_ticket(workshop, code) for _ in range(2)]  # the attacker's two extra tabs
    assert workshop.participant_count(code) == 3
    assert workshop.waiting_joins(code) == 2
    workshop.go_to_step(code, 1)  # a 0-10 scale
    workshop.submit(code, real[0], 1, 5)
    for ticket in tickets:  # a ticket is no token: a waiting phone cannot answer
        assert reason(workshop.submit, code, ticket, 1, 0) == "unknown_token"
    assert wait_ticket(workshop, code, ticket=tickets[0]) == tickets[0]  # still waiting
    workshop.set_results_shown(code, True)
    results = workshop.step_results(code, 1)
    assert (results.suppressed, results.needed) == (True, 2)
    assert workshop.live_view(workshop.session(code), real[1]).get("group") is None

    assert workshop.refuse_waiting(code) == 2
    assert workshop.waiting_joins(code) == 0
    for ticket in tickets:
        assert reason(workshop.join, code, ticket=ticket) == "refused"
    # The decision was told; nothing of those phones is kept. Asking again starts afresh.
    assert read_database(database, "SELECT count(*) FROM pending_joins")[0][0] == 0
    assert wait_ticket(workshop, code, ticket=tickets[0]) != tickets[0]
    assert workshop.participant_count(code) == 3


def test_a_phone_let_in_joins_with_its_ticket_once_and_twins_get_no_second_phone(workshop):
    code = workshop.start_session("nine-domains-intro", SessionSettings(expected_size=1)).code
    workshop.join(code)
    first, second = wait_ticket(workshop, code), wait_ticket(workshop, code)
    assert workshop.admit_waiting(code, limit=1) == 1  # the one waiting longest
    _, token = workshop.join(code, ticket=first)
    workshop.check_token(code, token)
    assert workshop.participant_count(code) == 2
    assert wait_ticket(workshop, code, ticket=first) != first  # used up: a twin request waits afresh
    assert wait_ticket(workshop, code, ticket=second) == second
    assert workshop.admit_waiting(code) == 2  # the second and the twin's new ticket
    workshop.join(code, ticket=second)
    assert workshop.participant_count(code) == 3


def test_the_expected_size_holds_when_many_phones_join_at_once(workshop):
    code = workshop.start_session("nine-domains-intro", SessionSettings(expected_size=10)).code
    outcomes: list[str] = []

    def join() -> None:
        try:
            workshop.join(code)
            outcomes.append("in")
        except JoinWaits:
            outcomes.append("waits")

    threads = [threading.Thread(target=join) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("in") == 10 and outcomes.count("waits") == 20
    assert workshop.participant_count(code) == 10


def test_a_waiting_phone_that_left_is_not_counted(workshop, monkeypatch):
    monkeypatch.setattr(joining, "PENDING_SEEN_SECONDS", 1.0)
    code = workshop.start_session("nine-domains-intro", SessionSettings(expected_size=1)).code
    workshop.join(code)
    staying, leaving = wait_ticket(workshop, code), wait_ticket(workshop, code)
    time.sleep(1.2)
    wait_ticket(workshop, code, ticket=staying)  # the page that stayed asks again
    assert workshop.waiting_joins(code) == 1
    assert workshop.admit_waiting(code) == 1
    workshop.join(code, ticket=staying)
    assert wait_ticket(workshop, code, ticket=leaving) == leaving  # back later: still in the queue


def test_the_room_code_is_checked_before_a_phone_may_wait(workshop):
    code = workshop.start_session("nine-domains-intro", SessionSettings(room_code=True, expected_size=1)).code
    workshop.join(code, room_code=workshop.room_code(code))
    assert reason(workshop.join, code, room_code="0000" if workshop.room_code(code) != "0000" else "1111") \
        == "room_code_wrong"
    assert workshop.waiting_joins(code) == 0
    ticket = wait_ticket(workshop, code, room_code=workshop.room_code(code))
    workshop.admit_waiting(code)
    workshop.join(code, ticket=ticket)  # the ticket needs no code again
    assert workshop.participant_count(code) == 2


def test_deleting_a_session_removes_its_waiting_phones(workshop, database):
    code = workshop.start_session("nine-domains-intro", SessionSettings(expected_size=1)).code
    workshop.join(code)
    wait_ticket(workshop, code)
    workshop.delete_session(code)
    assert read_database(database, "SELECT count(*) FROM pending_joins")[0][0] == 0


def test_bad_settings_are_refused(workshop):
    code = workshop.start_session("nine-domains-intro").code
    assert reason(workshop.update_settings, code, SessionSettings(expected_size=-1)) == "bad_settings"
    assert reason(workshop.start_session, "nine-domains-intro",
                  SessionSettings(expected_size=100_000)) == "bad_settings"


# -- the join-burst watch -----------------------------------------------------------------

def test_many_joins_from_one_address_are_counted_in_memory_only(workshop, database):
    code = workshop.start_session("nine-domains-intro").code
    for n in range(6):
        workshop.join(code, address="192.0.2.77")
        workshop.join(code, address=f"198.51.100.{n}")
    assert workshop.join_burst(code) == 6
    stored = " ".join(str(row) for row in read_database(database, "SELECT * FROM participants"))
    assert "192.0.2" not in stored and "198.51" not in stored


def test_the_watch_forgets_joins_older_than_its_window():
    watch = JoinWatch(window=0.05)
    for _ in range(5):
        watch.note("ABC", "10.0.0.1")
    assert watch.most_from_one_address("ABC") == 5
    time.sleep(0.08)
    assert watch.most_from_one_address("ABC") == 0
    watch.note("ABC", "")  # no address known: not counted as one
    assert watch.most_from_one_address("ABC") == 0


def test_a_waiting_phone_comes_in_by_itself_once_the_facilitator_makes_room(workshop):
    code = workshop.start_session("nine-domains-intro", SessionSettings(expected_size=1)).code
    workshop.join(code)
    ticket = wait_ticket(workshop, code)
    workshop.update_settings(code, SessionSettings(expected_size=2))
    _, token = workshop.join(code, ticket=ticket)
    workshop.check_token(code, token)
    assert workshop.participant_count(code) == 2 and workshop.waiting_joins(code) == 0
    later = wait_ticket(workshop, code)
    workshop.update_settings(code, SessionSettings(expected_size=0))  # no limit any more
    workshop.join(code, ticket=later)
    assert workshop.participant_count(code) == 3
