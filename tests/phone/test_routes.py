"""HTTP tests of the phone routes against the real ASGI app and a real DuckDB file."""

import asyncio
import threading
import time

import httpx
import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from tests.databases import read_database
from phone.routes import MAX_BODY_BYTES, SECURITY_HEADERS, PhoneRoutes


@pytest.fixture
def routes(workshop):
    return PhoneRoutes(lambda: workshop, long_poll_seconds=0.5)


@pytest.fixture
def client(routes):
    with TestClient(Starlette(routes=routes.routes())) as client:
        yield client


@pytest.fixture
def code(workshop):
    code = workshop.start_session("nine-domains-intro").code
    workshop.go_to_step(code, 1)  # checkin-integration: a 0-10 scale
    return code


def join(client, code, token=None):
    response = client.post("/api/join", json={"code": code, "token": token})
    assert response.status_code == 200, response.text
    return response.json()["token"]


def test_the_phone_page_and_assets_are_served_with_a_strict_policy(client, routes):
    page = client.get("/join?code=ABCDEF")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    policy = page.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "script-src 'self'" in policy and "http" not in policy
    assert page.headers["cache-control"] == "no-store"
    main = f"/join/assets/{routes.assets.version}/page.js"
    assert f'<script type="module" src="{main}"></script>' in page.text and "https://" not in page.text
    script = client.get(main)
    assert script.headers["content-type"].startswith("text/javascript")
    assert script.headers["x-content-type-options"] == "nosniff"
    assert client.get(f"/join/assets/{routes.assets.version}/page.css").status_code == 200
    assert client.get("/join/phone.js").status_code == 404  # the one-file page is gone


def test_a_phone_joins_sees_the_live_exercise_and_answers(client, workshop, code):
    token = join(client, code.lower())
    reply = client.get("/api/live", params={"code": code, "token": token})
    # Pre-encoded, body and headers: the same headers as every other reply, a JSON type, its length.
    assert {name: reply.headers[name] for name in SECURITY_HEADERS} == SECURITY_HEADERS
    assert reply.headers["content-type"] == "application/json"
    assert int(reply.headers["content-length"]) == len(reply.content)
    live = reply.json()
    assert live["status"] == "live"
    assert live["step"]["index"] == 1 and live["step"]["open"] is True
    assert live["step"]["exercise"]["id"] == "checkin-integration"
    answer = client.post("/api/answer", json={"code": code, "token": token, "step": 1, "value": 6})
    assert answer.status_code == 200
    assert answer.json() == {"ok": True, "message":
                             "Thank you — you can change your answer until the facilitator closes it."}
    again = client.get("/api/live", params={"code": code, "token": token}).json()
    assert again["answer"] == {"value": 6, "passed": False}
    assert workshop.step_results(code, 1).values == (6.0,)


def test_reconnecting_with_a_known_token_keeps_the_same_participant(client, workshop, code):
    token = join(client, code)
    assert join(client, code, token) == token
    assert workshop.participant_count(code) == 1


def test_a_double_tap_stores_one_answer(client, workshop, code):
    token = join(client, code)
    for _ in range(2):
        client.post("/api/answer", json={"code": code, "token": token, "step": 1, "value": 3})
    assert workshop.step_results(code, 1).responses == 1


@pytest.mark.parametrize(("body", "status", "reason"), [
    (b"{not json", 400, "bad_request"),
    (b"[1, 2]", 400, "bad_request"),
    (b'{"code": "C", "step": 1, "value": 5}', 403, "unknown_token"),
    (b'{"code": "C", "token": "forged", "step": 1, "value": 5}', 403, "unknown_token"),
    (b'{"code": "ZZZZZZ", "token": "T", "step": 1, "value": 5}', 404, "unknown_session"),
    (b'{"code": "C", "token": "T", "step": 0, "value": 5}', 409, "not_live"),
    (b'{"code": "C", "token": "T", "step": 1, "value": 11}', 400, "invalid_value"),
    (b'{"code": "C", "token": "T", "step": 1, "value": "<script>"}', 400, "invalid_value"),
    (b'{"code": "C", "token": "T", "step": 1}', 400, "bad_request"),
])
def test_bad_answers_get_a_clear_error_and_store_nothing(client, workshop, code, body, status, reason):
    token = join(client, code)
    body = body.replace(b'"C"', f'"{code}"'.encode()).replace(b'"T"', f'"{token}"'.encode())
    response = client.post("/api/answer", content=body, headers={"content-type": "application/json"})
    assert (response.status_code, response.json()["reason"]) == (status, reason)
    assert response.json()["error"]
    assert workshop.store.count_answers(code) == 0


def test_an_oversized_body_is_refused_before_it_is_read(client, workshop, code):
    token = join(client, code)
    huge = '{"code": "%s", "token": "%s", "step": 1, "value": "%s"}' % (code, token, "x" * 10_000)
    response = client.post("/api/answer", content=huge, headers={"content-type": "application/json"})
    assert (response.status_code, response.json()["reason"]) == (413, "too_large")

    def chunks():  # no content-length: the stream itself is capped
        for _ in range(10):
            yield b"x" * MAX_BODY_BYTES

    streamed = client.post("/api/answer", content=chunks(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413
    assert workshop.store.count_answers(code) == 0


def test_unknown_and_ended_sessions_are_told_apart(client, workshop, code):
    assert client.post("/api/join", json={"code": "ZZZZZZ"}).status_code == 404
    assert client.get("/api/live", params={"code": "ZZZZZZ"}).json()["reason"] == "unknown_session"
    token = join(client, code)
    workshop.end_session(code)
    assert client.post("/api/join", json={"code": code}).status_code == 410
    assert client.get("/api/live", params={"code": code}).json()["status"] == "ended"
    refused = client.post("/api/answer", json={"code": code, "token": token, "step": 1, "value": 5})
    assert (refused.status_code, refused.json()["reason"]) == (410, "ended")


def test_a_closed_exercise_refuses_answers_with_a_friendly_message(client, workshop, code):
    token = join(client, code)
    workshop.set_open(code, False)
    refused = client.post("/api/answer", json={"code": code, "token": token, "step": 1, "value": 5})
    assert refused.status_code == 409
    assert refused.json() == {"error": "Answering is closed for this exercise.", "reason": "closed"}


def test_a_script_hammering_answers_is_rate_limited(client, workshop, code):
    token = join(client, code)
    statuses = [client.post("/api/answer", json={"code": code, "token": token, "step": 1, "value": 5}).status_code
                for _ in range(25)]
    assert statuses[:20] == [200] * 20 and set(statuses[20:]) == {429}


def test_a_long_poll_returns_unchanged_after_its_timeout(client, workshop, code):
    version = workshop.session(code).live.version
    started = time.monotonic()
    live = client.get("/api/live", params={"code": code, "since": version}).json()
    assert live["version"] == version
    assert 0.4 < time.monotonic() - started < 3


def test_a_waiting_phone_follows_the_facilitator_within_a_second(routes, workshop, code):
    version = workshop.session(code).live.version
    routes.long_poll_seconds = 10

    async def scenario():
        transport = httpx.ASGITransport(app=Starlette(routes=routes.routes()))
        async with httpx.AsyncClient(transport=transport, base_url="http://phone") as phone:
            poll = asyncio.ensure_future(phone.get("/api/live", params={"code": code, "since": version}))
            await asyncio.sleep(0.2)
            moved = time.monotonic()
            threading.Thread(target=workshop.next_step, args=(code,)).start()
            response = await asyncio.wait_for(poll, 5)
            return response.json(), time.monotonic() - moved

    live, delay = asyncio.run(scenario())
    assert live["version"] == version + 1 and live["step"]["index"] == 2
    assert delay < 1.0


def test_nothing_identifying_is_stored(client, workshop, code):
    token = join(client, code)
    client.post("/api/answer", json={"code": code, "token": token, "step": 1, "value": 5},
                headers={"user-agent": "PhoneBrowser/1.0", "x-forwarded-for": "203.0.113.9"})
    dump = " ".join(str(row) for table in ("sessions", "participants", "answers")
                    for row in read_database(workshop.store.target, f"SELECT * FROM {table}"))
    assert "PhoneBrowser" not in dump and "203.0.113.9" not in dump and "testclient" not in dump


def test_a_pause_request_reaches_the_facilitator_only_as_a_count(client, workshop, code):
    tokens = [join(client, code) for _ in range(2)]
    for token in tokens + tokens[:1]:  # asking twice still counts one phone
        assert client.post("/api/pause", json={"code": code, "token": token}).json() == {"ok": True}
    assert workshop.pause_count(code) == 2
    refused = client.post("/api/pause", json={"code": code, "token": "forged"})
    assert (refused.status_code, refused.json()["reason"]) == (403, "unknown_token")
    assert client.post("/api/pause", json={"code": code}).status_code == 403
    workshop.clear_pauses(code)
    assert workshop.pause_count(code) == 0


def test_every_reason_a_phone_can_be_refused_with_has_the_status_docs_phone_api_md_gives():
    """The domain names reasons only; phone/errors.py alone maps them to statuses."""
    import re

    from phone.errors import STATUS_OF_REASON
    from harness import ROOT
    from workshop import refusals
    phone_reasons = {value.reason for value in vars(refusals).values()
                     if isinstance(value, refusals.WorkshopError)}
    assert phone_reasons <= set(STATUS_OF_REASON)
    documented = dict((reason, int(status)) for status, reason in re.findall(
        r"^\| (\d{3}) \| `([a-z_]+)` \|", (ROOT / "docs" / "phone-api.md").read_text(), flags=re.M))
    assert {reason: documented.get(reason) for reason in STATUS_OF_REASON} == STATUS_OF_REASON


def test_a_word_or_text_step_tells_the_phone_its_length_limit(client, workshop):
    from workshop.questions.text import MAX_TEXT_CHARS
    from workshop.questions.word import MAX_WORD_CHARS
    code = workshop.start_session("nine-domains-intro").code
    token = join(client, code)
    steps = workshop.session(code).steps
    for kind, limit in (("word", MAX_WORD_CHARS), ("text", MAX_TEXT_CHARS)):
        workshop.go_to_step(code, next(i for i, s in enumerate(steps) if s.type.value == kind))
        live = client.get("/api/live", params={"code": code, "token": token}).json()
        assert live["step"]["exercise"]["settings"]["max_chars"] == limit
