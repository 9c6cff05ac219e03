"""Property-based tests of the whole phone API against a real Workshop on a real DuckDB file.

Whatever a phone (or someone in the room with a script) sends, the answer is a documented
status with the documented JSON body and the security headers, never a 500, and a refused
request stores nothing. Requests go straight to the ASGI app as raw bytes, so bodies,
query strings and headers can hold anything a socket can carry.
"""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette

from harness.content import ALL_TYPES_STEPS, copy_content_with_all_types
from phone.routes import SECURITY_HEADERS, PhoneRoutes
from workshop.content import load_library
from workshop.models import SessionSettings
from workshop.ratelimit import RateLimiter
from workshop.service import Workshop
from workshop.storage.store import Store

# Every status and reason docs/phone-api.md documents.
DOCUMENTED = {
    400: {"bad_request", "invalid_value"},
    403: {"unknown_token", "bad_origin", "room_code_needed", "room_code_wrong", "refused"},
    404: {"unknown_session"},
    409: {"not_live", "closed"},
    410: {"ended"},
    413: {"too_large"},
    415: {"unsupported_media_type"},
    429: {"rate_limited"},
}
FUZZ = settings(max_examples=300, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
HOST = "phone.test"


@dataclass
class Room:
    workshop: Workshop
    app: Starlette
    codes: list[str]          # one live session per question type, then a closed, an ended and a
                              # full one that asks for a room code
    tokens: dict[str, str]    # code -> a token that session issued
    loop: asyncio.AbstractEventLoop

    def answers(self) -> int:
        return sum(self.workshop.store.count_answers(code) for code in self.codes)


@pytest.fixture(scope="module")
def room(tmp_path_factory):
    folder = tmp_path_factory.mktemp("fuzz")
    workshop = Workshop(Store(folder / "fuzz.duckdb"), load_library(copy_content_with_all_types(folder / "content")))
    codes, tokens = [], {}
    for index in range(len(ALL_TYPES_STEPS) + 2):
        code = workshop.start_session("all-types").code
        workshop.go_to_step(code, min(index, len(ALL_TYPES_STEPS) - 1))
        codes.append(code)
        tokens[code] = workshop.join(code)[1]
    workshop.set_open(codes[-2], False)
    workshop.end_session(codes[-1])
    guarded = workshop.start_session("all-types", SessionSettings(room_code=True, expected_size=1)).code
    codes.append(guarded)
    tokens[guarded] = workshop.join(guarded, room_code=workshop.room_code(guarded))[1]
    routes = PhoneRoutes(lambda: workshop, long_poll_seconds=0.0)
    # Limits so high that they never hide a path; tests/phone/test_flooding.py tests them.
    routes.per_token = routes.per_address = routes.unknown_codes = RateLimiter(10**9, 1.0)
    routes.room_code_misses = RateLimiter(10**9, 1.0)
    loop = asyncio.new_event_loop()
    yield Room(workshop, Starlette(routes=routes.routes()), codes, tokens, loop)
    loop.close()
    workshop.store.close()


def call(room: Room, method: str, path: str, query: bytes = b"", headers: list[tuple[bytes, bytes]] = (),
         body: bytes = b"") -> tuple[int, dict[bytes, bytes], bytes]:
    """One raw HTTP request through the ASGI app, as uvicorn would hand it over."""
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
             "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": query,
             "root_path": "", "headers": [(b"host", HOST.encode()), *headers],
             "client": ("192.0.2.7", 51000), "server": ("127.0.0.1", 8501)}
    sent: list[dict] = []
    chunks = [body]

    async def receive():
        if chunks:
            return {"type": "http.request", "body": chunks.pop(), "more_body": False}
        return {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    room.loop.run_until_complete(room.app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    content = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], dict(start["headers"]), content


def assert_documented(status: int, headers: dict[bytes, bytes], content: bytes) -> dict:
    assert headers[b"content-type"] == b"application/json"
    for name, value in SECURITY_HEADERS.items():
        assert headers[name.lower().encode()] == value.encode()
    data = json.loads(content)
    if status == 202:  # a phone beyond the expected size waits, holding a ticket
        assert data["waiting"] is True and isinstance(data["ticket"], str) and "token" not in data
    elif status != 200:
        assert status in DOCUMENTED, (status, data)
        assert set(data) == {"error", "reason"} and data["reason"] in DOCUMENTED[status], (status, data)
        assert isinstance(data["error"], str) and data["error"]
    return data


# -- what a hostile phone can put in a field ------------------------------------------------
surrogates = st.sampled_from(["\ud800", "\udfff", "a\udc80b", "\ud83d"])
nasty_text = st.one_of(st.text(max_size=30), surrogates, st.sampled_from(["²", "٣", "", " ", "\x00", "\u202e"]))
numbers = st.one_of(st.integers(), st.integers(min_value=10**300, max_value=10**400),
                    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([1.0, 1e308, -0.0, 10**400]))
scalars = st.one_of(st.none(), st.booleans(), numbers, nasty_text)
json_values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                            st.dictionaries(nasty_text, inner, max_size=3)),
                           max_leaves=8)


@st.composite
def codes(draw, room):
    return draw(st.one_of(st.sampled_from(room.codes), st.sampled_from([c.lower() for c in room.codes]),
                          st.sampled_from(["ZZZZZZ", "", "ABC\ud800"]), json_values))


@st.composite
def tokens(draw, room, code):
    own = room.tokens.get(code) if isinstance(code, str) else None
    return draw(st.one_of(st.just(own), st.sampled_from(list(room.tokens.values())),
                          st.sampled_from(["forged", "A" * 24, "x" * 65, "tok\ud800en" * 3]), json_values))


@st.composite
def bodies(draw, room):
    """A JSON body built from fields, then perhaps mangled the way a script would."""
    code = draw(codes(room))
    fields = {"code": code, "token": draw(tokens(room, code)),
              "step": draw(st.one_of(st.integers(-2, 8), numbers, st.booleans(), nasty_text, st.none())),
              "value": draw(json_values), "pass": draw(st.one_of(st.booleans(), json_values)),
              "room_code": draw(st.one_of(st.sampled_from(["0000", "1234", "", " 42 "]), json_values)),
              "ticket": draw(st.one_of(st.sampled_from(["A" * 24, "x" * 65]), json_values))}
    chosen = {k: v for k, v in fields.items() if draw(st.booleans()) or k in ("code", "token")}
    text = json.dumps(chosen)  # ensure_ascii: lone surrogates become \ud800; NaN/Infinity literals
    mangle = draw(st.sampled_from(["none", "none", "duplicate", "bom", "utf16", "latin1", "deep", "array",
                                   "truncate", "bytes", "huge-int"]))
    if mangle == "duplicate":
        text = text[:-1] + (', ' if chosen else '') + '"token": "other"}'
    elif mangle == "deep":
        depth = draw(st.integers(5, 1900))
        text = text[:-1] + (', ' if chosen else '') + '"value": ' + "[" * depth + "]" * depth + "}"
    elif mangle == "array":
        text = f"[{text}]"
    elif mangle == "truncate":
        text = text[:draw(st.integers(0, max(0, len(text) - 1)))]
    elif mangle == "huge-int":
        text = text[:-1] + (', ' if chosen else '') + '"value": ' + "9" * draw(st.integers(300, 3000)) + "}"
    if mangle == "bom":
        return b"\xef\xbb\xbf" + text.encode()
    if mangle == "utf16":
        return text.encode("utf-16")
    if mangle == "latin1":
        return text.replace("}", ', "w": "\u00e9"}').encode("latin-1")
    if mangle == "bytes":
        return draw(st.binary(max_size=200))
    return text.encode()


content_types = st.sampled_from([None, "application/json", "application/json; charset=utf-8",
                                 "Application/JSON;charset=UTF-8", "text/plain", "text/plain; charset=utf-8",
                                 "application/json; charset=utf-16", "application/x-www-form-urlencoded",
                                 "multipart/form-data; boundary=x", "application/json; charset=\udc80",
                                 "application/json\x00", ""])
origins = st.sampled_from([None, f"http://{HOST}", f"https://{HOST}", "http://evil.test", "null", "",
                           f"http://{HOST}:99999", "http://[::1", "\u00e9"])
forwarded = st.one_of(st.none(), st.sampled_from(["203.0.113.9", "1.2.3.4, 5.6.7.8", "[::1]:80", "garbage",
                                                 "\u00ff", ""]))


def header_bytes(value: str) -> bytes:
    return value.encode("utf-8", "surrogateescape") if value.isascii() else value.encode("latin-1", "replace")


def headers_of(content_type, origin, xff, length=None):
    headers = []
    for name, value in ((b"content-type", content_type), (b"origin", origin), (b"x-forwarded-for", xff),
                        (b"content-length", length)):
        if value is not None:
            headers.append((name, header_bytes(value)))
    return headers


@FUZZ
@given(data=st.data())
def test_every_post_a_phone_can_send_gets_a_documented_answer_and_a_refusal_stores_nothing(room, data, caplog):
    path = data.draw(st.sampled_from(["/api/join", "/api/answer", "/api/pause"]))
    body = data.draw(bodies(room))
    length = data.draw(st.sampled_from([None, None, "auto", "-1", "abc", "²", "99999999999999999999", "10"]))
    if length == "auto":
        length = str(len(body))
    headers = headers_of(data.draw(content_types), data.draw(origins), data.draw(forwarded), length)
    before = room.answers()
    with caplog.at_level(logging.ERROR):
        status, response_headers, content = call(room, "POST", path, headers=headers, body=body)
    assert not caplog.records
    reply = assert_documented(status, response_headers, content)
    if not (status == 200 and path == "/api/answer"):
        assert room.answers() == before, (status, reply)


@st.composite
def query_strings(draw, room):
    """code, token and since as a browser or a script could put them, percent-escapes included."""
    parts = []
    for name, values in (("code", codes(room)), ("token", tokens(room, None)),
                         ("since", st.one_of(st.integers(-2, 10**20).map(str), nasty_text))):
        if draw(st.booleans()):
            value = draw(values)
            if not isinstance(value, str):
                value = json.dumps(value)
            parts.append(f"{name}=" + quote(value.encode("utf-8", "surrogatepass"), safe=""))
    query = "&".join(parts).encode()
    extra = draw(st.sampled_from([b"", b"&code=%ED%A0%80", b"&since=%C2%B2", b"&code=%FF%FE", b"&%", b"&since=\xb2",
                                  b"&code=\xed\xa0\x80", b"&token=%00", b"&code=A&code=B"]))
    return query + extra


@FUZZ
@given(data=st.data())
def test_every_live_poll_a_phone_can_send_gets_a_documented_answer(room, data, caplog):
    query = data.draw(query_strings(room))
    before = room.answers()
    with caplog.at_level(logging.ERROR):
        status, headers, content = call(room, "GET", "/api/live", query=query,
                                        headers=headers_of(None, data.draw(origins), data.draw(forwarded)))
    assert not caplog.records
    reply = assert_documented(status, headers, content)
    assert status in (200, 404, 429), (status, reply)
    assert room.answers() == before


# -- the inputs the issue found, one by one ---------------------------------------------------
def answer_body(room, **fields):
    code = room.codes[0]  # the scale step, live and open
    body = {"code": code, "token": room.tokens[code], "step": 0, **fields}
    return json.dumps(body).encode()


JSON = [(b"content-type", b"application/json")]


@pytest.mark.parametrize(("name", "body"), [
    ("an integer of 400 digits", lambda r: answer_body(r).replace(b'"step": 0', b'"step": 0, "value": ' + b"9" * 400)),
    ("a lone surrogate in the code", lambda r: answer_body(r, value=5).replace(r.codes[0].encode(), b"AB\\ud800")),
    ("a lone surrogate in the token", lambda r: answer_body(r, value=5, token="\ud800" * 24)),
    ("a lone surrogate in the value", lambda r: answer_body(r, value="calm\udc80")),
    ("JSON nested 1,900 deep", lambda r: answer_body(r).replace(b'"step": 0', b'"step": 0, "value": '
                                                                 + b"[" * 1900 + b"]" * 1900)),
    ("NaN", lambda r: answer_body(r, value=float("nan"))),
    ("Infinity", lambda r: answer_body(r, value=float("inf"))),
    ("a float that overflows to infinity", lambda r: answer_body(r).replace(b'"step": 0', b'"step": 0, "value": 1e400')),
    ("a step given as a float", lambda r: answer_body(r, value=5).replace(b'"step": 0', b'"step": 0.0')),
    ("a step given as a boolean", lambda r: answer_body(r, value=5).replace(b'"step": 0', b'"step": false')),
    ("a duplicate token", lambda r: answer_body(r, value=5)[:-1] + b', "token": "other"}'),
    ("a byte-order mark", lambda r: b"\xef\xbb\xbf" + answer_body(r, value=5)),
    ("bytes that are not UTF-8", lambda r: answer_body(r, value="caf\u00e9").replace(b"\\u00e9", b"\xe9")),
])
def test_each_input_the_issue_found_is_a_400_that_stores_nothing(room, name, body):
    before = room.answers()
    status, headers, content = call(room, "POST", "/api/answer", headers=JSON, body=body(room))
    reply = assert_documented(status, headers, content)
    assert (status, reply["reason"]) in ((400, "bad_request"), (400, "invalid_value")), name
    assert room.answers() == before


def test_a_utf16_body_is_refused_even_when_it_holds_a_good_answer(room):
    before = room.answers()
    body = answer_body(room, value=5).decode().encode("utf-16")
    status, headers, content = call(room, "POST", "/api/answer", headers=JSON, body=body)
    assert (status, assert_documented(status, headers, content)["reason"]) == (400, "bad_request")
    assert room.answers() == before


@pytest.mark.parametrize("query", [b"code=%ED%A0%80", b"code=%FF", b"code=\xed\xa0\x80&since=1"])
def test_a_code_with_broken_utf8_on_live_is_an_unknown_session(room, query):
    status, headers, content = call(room, "GET", "/api/live", query=query)
    assert (status, assert_documented(status, headers, content)["reason"]) == (404, "unknown_session")


def test_since_in_unicode_digits_is_read_as_no_version(room):
    status, headers, content = call(room, "GET", "/api/live", query=f"code={room.codes[0]}&since=%C2%B2".encode())
    assert status == 200 and assert_documented(status, headers, content)["code"] == room.codes[0]
