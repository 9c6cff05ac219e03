"""Two Workshops on one PostgreSQL database, as two app servers behind a load balancer are.

Each has its own store (connection pool and LISTEN connection) and its own
in-memory caches; only the database and its notifications connect them.
"""

from __future__ import annotations

import asyncio
import time

import pytest

from workshop.models import Hold, Moderation, SessionSettings
from workshop.service import Workshop, WorkshopError
from workshop.storage.store import Store


@pytest.fixture
def servers(postgres_server, library):
    url = postgres_server.database()
    stores = [Store(url), Store(url)]
    yield tuple(Workshop(store, library) for store in stores)
    for store in stores:
        store.close()


def eventually(check, timeout: float = 5.0):
    """The value of `check()` once it is truthy; other servers hear of changes within moments."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(0.02)


def test_a_step_change_on_one_server_wakes_phones_waiting_on_the_other_within_a_second(servers):
    a, b = servers
    code = a.start_session("nine-domains-intro").code
    version = b.session(code).live.version

    async def wait_on_b() -> float:
        started = time.monotonic()
        state = await b.board.wait_for_change(code, version, timeout=10)
        assert state.step_index == 2
        return time.monotonic() - started

    async def scenario() -> float:
        waiting = asyncio.create_task(wait_on_b())
        await asyncio.sleep(0.2)
        await asyncio.to_thread(a.go_to_step, code, 2)
        return await waiting

    waited = asyncio.run(scenario())
    assert waited < 1.0
    assert b.session(code).live.step_index == 2


def test_phones_may_join_on_one_server_and_answer_on_the_other_and_count_once(servers):
    a, b = servers
    code = a.start_session("nine-domains-intro", SessionSettings(min_answers=1)).code
    tokens = [a.join(code)[1], b.join(code)[1], a.join(code)[1]]
    a.go_to_step(code, 1)
    assert eventually(lambda: b.session(code).live.step_index == 1)
    b.submit(code, tokens[0], 1, 4)          # joined on A, answers on B
    a.submit(code, tokens[1], 1, 6)          # joined on B, answers on A
    b.submit(code, tokens[2], 1, 8)
    a.submit(code, tokens[2], 1, 8)          # a retry that reached the other server
    assert eventually(lambda: a.step_results(code, 1).values == (4.0, 6.0, 8.0))
    assert eventually(lambda: b.step_results(code, 1).values == (4.0, 6.0, 8.0))
    assert a.store.count_answers(code) == 3
    assert eventually(lambda: a.participant_count(code) == 3 and b.participant_count(code) == 3)
    assert b.join(code, tokens[0])[1] == tokens[0]  # a reload through the other server keeps the phone
    with pytest.raises(WorkshopError) as refused:
        b.submit(code, "made-up-token", 1, 5)
    assert refused.value.reason == "unknown_token"


def test_moderation_settings_and_pauses_reach_the_other_server(servers):
    a, b = servers
    code = a.start_session("nine-domains-intro", SessionSettings(min_answers=1, hold=Hold.WORDS_AND_TEXTS)).code
    word = next(i for i, step in enumerate(a.session(code).steps) if step.type.value == "word")
    token = b.join(code)[1]
    a.go_to_step(code, word)
    assert eventually(lambda: b.session(code).live.step_index == word)
    b.submit(code, token, word, "steady")
    assert eventually(lambda: a.moderation_queue(code, word) == [("steady", 1, None)])
    a.moderate(code, word, "steady", Moderation.APPROVED)
    assert eventually(lambda: b.moderation_queue(code, word) == [("steady", 1, Moderation.APPROVED)])
    a.update_settings(code, SessionSettings(min_answers=4, hold=Hold.WORDS_AND_TEXTS))
    assert eventually(lambda: b.session(code).settings.min_answers == 4)
    b.request_pause(code, token)
    b.request_pause(code, token)  # asking twice still counts one phone
    assert eventually(lambda: a.pause_count(code) == 1)
    a.clear_pauses(code)
    assert eventually(lambda: b.pause_count(code) == 0)


def test_deleting_a_session_on_one_server_ends_it_on_the_other(servers):
    a, b = servers
    code = a.start_session("nine-domains-intro").code
    token = b.join(code)[1]
    a.go_to_step(code, 1)
    assert eventually(lambda: b.session(code).live.step_index == 1)
    b.submit(code, token, 1, 5)
    a.delete_session(code)

    def gone_on_b() -> bool:
        try:
            b.session(code)
        except WorkshopError as exc:
            return exc.reason == "unknown_session"
        return False

    assert eventually(gone_on_b)
    assert b.board.get(code) is None


def test_a_server_that_lost_its_listening_connection_catches_up(servers):
    a, b = servers
    code = a.start_session("nine-domains-intro").code
    token = a.join(code)[1]
    b.session(code)
    # Cut every listening connection, as a database restart or a network blip would.
    a.store.db.fetchall("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE query LIKE 'LISTEN%' AND pid <> pg_backend_pid()")
    a.go_to_step(code, 1)  # notified while B is not listening
    assert eventually(lambda: b.session(code).live.step_index == 1)
    b.submit(code, token, 1, 7)
    assert eventually(lambda: a.step_results(code, 1).values == (7.0,))


def test_a_new_projector_link_made_on_one_server_closes_the_old_link_on_the_other(servers):
    a, b = servers
    code = a.start_session("nine-domains-intro").code
    old = a.new_projector_key(code)
    assert b.projector_key_matches(code, old)  # now cached on b
    new = a.new_projector_key(code)
    assert eventually(lambda: not b.projector_key_matches(code, old))
    assert b.projector_key_matches(code, new)


def test_both_servers_show_the_same_room_code_and_either_may_let_a_waiting_phone_in(servers):
    from workshop.refusals import JoinWaits
    a, b = servers
    code = a.start_session("nine-domains-intro", SessionSettings(room_code=True, expected_size=1)).code
    assert a.room_code(code) == b.room_code(code)
    a.join(code, room_code=b.room_code(code))
    with pytest.raises(JoinWaits) as waits:
        b.join(code, room_code=a.room_code(code))  # the phone waits on server B...
    assert a.waiting_joins(code) == 1
    assert a.admit_waiting(code) == 1  # ...the facilitator's page runs on server A
    _, token = b.join(code, ticket=waits.value.ticket)
    assert eventually(lambda: a.participant_count(code) == 2)
    a.check_token(code, token)
