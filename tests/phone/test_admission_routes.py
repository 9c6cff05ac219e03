"""The join route under a room code and an expected size (issue 12, finding 5), over HTTP.

Every refusal is the documented JSON error with the phone page's security headers, and
stores nothing; a phone beyond the expected size gets 202 with a ticket, never a token.
"""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from tests.databases import read_database
from workshop.models import SessionSettings
from phone.routes import PhoneRoutes


@pytest.fixture
def client(workshop):
    with TestClient(Starlette(routes=PhoneRoutes(lambda: workshop, long_poll_seconds=0.5).routes())) as client:
        yield client


def post_join(client, **body):
    return client.post("/api/join", json=body)


def refused(response, status: int, reason: str) -> None:
    assert response.status_code == status, response.text
    assert response.json()["reason"] == reason
    assert response.headers["content-security-policy"].startswith("default-src 'none'")
    assert "token" not in response.json()


def other_than(code: str) -> str:
    return f"{(int(code) + 1) % 10000:04d}"


def test_a_new_phone_is_asked_for_the_room_code_and_joins_with_it(client, workshop, database):
    code = workshop.start_session("nine-domains-intro", SessionSettings(room_code=True)).code
    refused(post_join(client, code=code), 403, "room_code_needed")
    refused(post_join(client, code=code, room_code=other_than(workshop.room_code(code))), 403, "room_code_wrong")
    for odd in (1234, ["1234"], {"a": 1}, True, "12 34"):
        refused(post_join(client, code=code, room_code=odd), 403, "room_code_wrong")
    assert read_database(database, "SELECT count(*) FROM participants")[0][0] == 0
    joined = post_join(client, code=code, room_code=workshop.room_code(code))
    assert joined.status_code == 200
    token = joined.json()["token"]
    assert post_join(client, code=code, token=token).json()["token"] == token  # a reload asks nothing


def test_guessing_the_room_code_is_held_to_ten_misses_a_minute_per_address(client, workshop):
    code = workshop.start_session("nine-domains-intro", SessionSettings(room_code=True)).code
    wrong = other_than(workshop.room_code(code))
    statuses = [post_join(client, code=code, room_code=wrong).status_code for _ in range(14)]
    assert statuses[:10] == [403] * 10 and set(statuses[10:]) == {429}
    refused(post_join(client, code=code, room_code=workshop.room_code(code)), 429, "rate_limited")
    assert workshop.participant_count(code) == 0


def test_phones_beyond_the_expected_size_wait_with_a_ticket_until_let_in(client, workshop):
    code = workshop.start_session("nine-domains-intro", SessionSettings(expected_size=2)).code
    tokens = [post_join(client, code=code).json()["token"] for _ in range(2)]
    waiting = post_join(client, code=code)
    assert waiting.status_code == 202
    body = waiting.json()
    assert body["waiting"] is True and "token" not in body and body["title"]
    ticket = body["ticket"]
    live = client.get("/api/live", params={"code": code, "token": ticket})
    assert live.json()["answer"] is None and "group" not in live.json()
    workshop.go_to_step(code, 1)
    refused(client.post("/api/answer", json={"code": code, "token": ticket, "step": 1, "value": 3}),
            403, "unknown_token")
    assert post_join(client, code=code, ticket=ticket).status_code == 202
    assert workshop.waiting_joins(code) == 1
    workshop.admit_waiting(code)
    admitted = post_join(client, code=code, ticket=ticket)
    assert admitted.status_code == 200
    assert admitted.json()["token"] not in tokens
    assert workshop.participant_count(code) == 3


def test_a_phone_turned_away_is_told_so_in_plain_words(client, workshop):
    code = workshop.start_session("nine-domains-intro", SessionSettings(expected_size=1)).code
    post_join(client, code=code)
    ticket = post_join(client, code=code).json()["ticket"]
    workshop.refuse_waiting(code)
    response = post_join(client, code=code, ticket=ticket)
    refused(response, 403, "refused")
    assert "facilitator" in response.json()["error"]
    for odd in (123, "x" * 500, ["t"], None):  # a made-up ticket is just a new phone asking
        assert post_join(client, code=code, ticket=odd).status_code == 202


def test_joins_from_one_address_raise_the_burst_count_but_this_machine_and_untrusted_proxies_do_not(
        client, workshop):
    from phone.routes import VIA_UNTRUSTED_PROXY, _watched
    code = workshop.start_session("nine-domains-intro").code
    for _ in range(5):
        post_join(client, code=code)  # the test client's address, "testclient"
    assert workshop.join_burst(code) == 5
    assert [_watched(a) for a in ("127.0.0.1", "::1", VIA_UNTRUSTED_PROXY, "192.0.2.4")] == ["", "", "", "192.0.2.4"]
