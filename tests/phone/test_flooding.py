"""Rate limits that bind against someone in the room with a script.

A client must not choose its own rate-limit bucket (X-Forwarded-For), forged tokens and
random codes must not grow memory or cost a database query each, and the facilitator's
page must stay fast while phones' API is flooded.
"""

from __future__ import annotations

import gc
import ipaddress
import secrets
import statistics
import threading
import time
import tracemalloc
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from workshop import config
import workshop as workshop_package
from workshop.service import workshop as service_module
from phone.routes import VIA_UNTRUSTED_PROXY, PhoneRoutes, client_address
from workshop.ratelimit import RateLimiter
from workshop.join_codes import CODE_ALPHABET, UnknownCodes
from workshop.refusals import WorkshopError


def loopback():
    return (ipaddress.ip_network("127.0.0.1/32"),)


def as_uvicorn_serves_it(routes: PhoneRoutes):
    """The app as Streamlit 1.67 runs st.App: inside uvicorn's ProxyHeadersMiddleware with
    uvicorn's defaults (proxy_headers on, FORWARDED_ALLOW_IPS 127.0.0.1,::1)."""
    return ProxyHeadersMiddleware(Starlette(routes=routes.routes()), trusted_hosts="127.0.0.1,::1")


@pytest.fixture
def code(workshop):
    code = workshop.start_session("nine-domains-intro").code
    workshop.go_to_step(code, 1)  # a 0-10 scale
    return code


def random_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


# -- (a) X-Forwarded-For --------------------------------------------------------------------
def test_behind_an_untrusted_local_proxy_a_forged_forwarded_for_picks_no_bucket(workshop, code, monkeypatch):
    monkeypatch.delenv("WORKSHOP_TRUSTED_PROXIES", raising=False)
    routes = PhoneRoutes(lambda: workshop)
    routes.per_address = RateLimiter(limit=3, window=30.0)
    with TestClient(as_uvicorn_serves_it(routes), client=("127.0.0.1", 40000)) as client:
        statuses = [client.post("/api/join", json={"code": code},
                                headers={"x-forwarded-for": f"203.0.113.{i}"}).status_code for i in range(5)]
    assert statuses == [200, 200, 200, 429, 429]
    assert len(routes.per_address) == 1 and VIA_UNTRUSTED_PROXY in routes.per_address


def test_a_trusted_proxy_is_believed_for_the_entry_it_added_itself(workshop, code):
    routes = PhoneRoutes(lambda: workshop, trusted_proxies=loopback())
    with TestClient(as_uvicorn_serves_it(routes), client=("127.0.0.1", 40000)) as client:
        for forwarded in ("203.0.113.1", "203.0.113.2", "6.6.6.6, 203.0.113.3"):
            assert client.post("/api/join", json={"code": code},
                               headers={"x-forwarded-for": forwarded}).status_code == 200
    assert {key for key in ("203.0.113.1", "203.0.113.2", "203.0.113.3", "6.6.6.6")
            if key in routes.per_address} == {"203.0.113.1", "203.0.113.2", "203.0.113.3"}


def test_a_phone_connecting_directly_is_counted_by_its_own_address_whatever_it_claims(workshop, code):
    routes = PhoneRoutes(lambda: workshop, trusted_proxies=loopback())
    with TestClient(as_uvicorn_serves_it(routes), client=("192.0.2.50", 40000)) as client:
        for forwarded in ("203.0.113.9", "127.0.0.1", "192.0.2.50:40000"):
            client.post("/api/join", json={"code": code}, headers={"x-forwarded-for": forwarded})
    assert len(routes.per_address) == 1 and "192.0.2.50" in routes.per_address


@pytest.mark.parametrize(("client", "forwarded", "trusted", "key"), [
    (("192.0.2.5", 1234), [], (), "192.0.2.5"),
    (("192.0.2.5", 1234), ["203.0.113.9"], (), "192.0.2.5"),                 # direct, not rewritten
    (("203.0.113.9", 0), ["203.0.113.9"], (), VIA_UNTRUSTED_PROXY),          # uvicorn took it from the header
    (("203.0.113.9", 0), ["203.0.113.9"], loopback(), "203.0.113.9"),        # ... from a trusted proxy
    (("10.0.0.2", 5555), ["6.6.6.6, 203.0.113.9"], (), "10.0.0.2"),          # remote proxy, not trusted
    (None, ["203.0.113.9"], loopback(), "unknown"),
])
def test_client_address_believes_only_a_trusted_proxy(client, forwarded, trusted, key):
    assert client_address(client, forwarded, trusted) == key


def test_trusted_proxies_are_read_from_the_setting_and_a_typo_is_an_error(monkeypatch):
    monkeypatch.delenv("WORKSHOP_TRUSTED_PROXIES", raising=False)
    assert config.trusted_proxies() == ()
    monkeypatch.setenv("WORKSHOP_TRUSTED_PROXIES", " 127.0.0.1, 10.0.0.0/24 ,::1")
    assert [str(net) for net in config.trusted_proxies()] == ["127.0.0.1/32", "10.0.0.0/24", "::1/128"]
    monkeypatch.setenv("WORKSHOP_TRUSTED_PROXIES", "localhost")
    with pytest.raises(ValueError, match="WORKSHOP_TRUSTED_PROXIES"):
        config.trusted_proxies()


def test_the_shipped_nginx_replaces_a_clients_forwarded_for_with_its_address(tmp_path, workshop, code):
    """Real nginx with deploy/nginx-workshop.conf in front of real uvicorn (as Streamlit runs it)."""
    import uvicorn

    from harness.nginx import NGINX, start_nginx
    from harness.ports import free_port
    from harness.processes import stop

    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed here (apt-get install nginx); .ci/run installs it")
    routes = PhoneRoutes(lambda: workshop, trusted_proxies=loopback())
    routes.per_address = RateLimiter(limit=3, window=30.0)
    app = Starlette(routes=[*routes.routes(), Route("/_stcore/health", lambda r: PlainTextResponse("ok"))])
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning",
                                           access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    nginx = None
    try:
        deadline = time.monotonic() + 10
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        proxy, nginx = start_nginx(tmp_path, free_port(), [f"http://127.0.0.1:{port}"])
        # The phone connects to nginx from 127.0.0.2, so its own address differs from nginx's.
        with httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2"), timeout=10) as phone:
            statuses = [phone.post(f"{proxy}/api/join", json={"code": code},
                                   headers={"x-forwarded-for": f"203.0.113.{i}"}).status_code
                        for i in range(5)]
    finally:
        if nginx is not None:
            stop(nginx, 10)
        server.should_exit = True
        thread.join(timeout=10)
    assert statuses == [200, 200, 200, 429, 429]
    assert len(routes.per_address) == 1 and "127.0.0.2" in routes.per_address


# -- (b) forged tokens and bounded limiters ------------------------------------------------
def test_forged_tokens_never_become_rate_limit_keys(workshop, code):
    routes = PhoneRoutes(lambda: workshop)
    with TestClient(Starlette(routes=routes.routes())) as client:
        statuses = {client.post("/api/answer", json={"code": code, "token": secrets.token_urlsafe(18),
                                                     "step": 1, "value": 5}).status_code
                    for _ in range(300)}
    assert statuses == {403}
    assert len(routes.per_token) == 0
    assert workshop.store.count_answers(code) == 0


def test_a_limiter_holds_at_most_its_cap_of_keys_at_under_200_bytes_each():
    limiter = RateLimiter(limit=20, window=30.0, max_keys=10_000)
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        for i in range(10_000):
            limiter.allow(f"{i:024d}", now=1.0)  # token-sized keys
        per_key = (tracemalloc.get_traced_memory()[0] - before) / 10_000
        for i in range(10_000, 50_000):
            limiter.allow(f"{i:024d}", now=2.0)
    finally:
        tracemalloc.stop()
    print(f"rate limiter: {per_key:.0f} bytes per key (24-character keys, tracemalloc)")
    assert per_key < 200
    assert len(limiter) == 10_000
    assert f"{49_999:024d}" in limiter and f"{0:024d}" not in limiter  # the least recent went


def test_a_limiter_allows_its_burst_then_refills_at_its_rate():
    limiter = RateLimiter(limit=20, window=30.0)
    assert [limiter.allow("t", now=0.0) for _ in range(21)] == [True] * 20 + [False]
    assert limiter.exhausted("t", now=1.0) and not limiter.exhausted("t", now=1.5)
    assert limiter.allow("t", now=1.5) and not limiter.allow("t", now=1.5)
    assert [limiter.allow("t", now=31.5) for _ in range(21)] == [True] * 20 + [False]


# -- (c) unknown codes -------------------------------------------------------------------
def test_guessing_codes_is_refused_after_30_unknown_codes_a_minute_from_one_address(workshop, code):
    routes = PhoneRoutes(lambda: workshop)
    with TestClient(Starlette(routes=routes.routes())) as client:
        guesses = [client.get("/api/live", params={"code": random_code()}).status_code for _ in range(31)]
        join_guess = client.post("/api/join", json={"code": random_code()})
        real = client.get("/api/live", params={"code": code})
    with TestClient(Starlette(routes=routes.routes()), client=("192.0.2.8", 1)) as other:
        elsewhere = other.get("/api/live", params={"code": random_code()})
    assert guesses == [404] * 30 + [429]
    assert (join_guess.status_code, join_guess.json()["reason"]) == (429, "rate_limited")
    assert real.status_code == 200 and real.json()["code"] == code  # the room's session still works
    assert elsewhere.status_code == 404


def test_a_repeated_unknown_code_costs_one_database_query_until_its_ttl(workshop, code):
    routes = PhoneRoutes(lambda: workshop)
    routes.unknown_codes = RateLimiter(limit=10**6, window=60.0)
    queries = workshop.unknown_codes.queries
    with TestClient(Starlette(routes=routes.routes())) as client:
        statuses = {client.get("/api/live", params={"code": "ZZZZZZ"}).status_code for _ in range(200)}
    assert statuses == {404}
    assert workshop.unknown_codes.queries == queries + 1


def test_a_session_created_here_is_found_at_once_though_its_code_was_just_unknown(workshop, monkeypatch):
    with pytest.raises(WorkshopError):
        workshop.session("PICKED")
    monkeypatch.setattr(service_module, "new_join_code", lambda: "PICKED")
    assert workshop.start_session("nine-domains-intro").code == "PICKED"
    assert workshop.session("picked").code == "PICKED"


def test_the_unknown_code_cache_is_bounded_and_forgets_after_its_ttl():
    cache = UnknownCodes(ttl=0.2, max_codes=100)
    for i in range(1000):
        cache.note(f"C{i}")
    assert len(cache) == 100 and cache.known_unknown("C999") and not cache.known_unknown("C0")
    time.sleep(0.25)
    assert not cache.known_unknown("C999")


@pytest.mark.parametrize("database", ["duckdb"], indirect=True)  # 20 s under tracemalloc: one backend
def test_a_flood_of_random_codes_and_forged_tokens_leaves_memory_bounded_and_the_facilitator_fast(
        workshop, code):
    routes = PhoneRoutes(lambda: workshop, trusted_proxies=loopback())
    app = as_uvicorn_serves_it(routes)
    token = workshop.join(code)[1]
    queries = workshop.unknown_codes.queries
    stop = threading.Event()
    sent = []

    def flood(address: str) -> None:
        with TestClient(app, client=("127.0.0.1", 40000)) as client:
            while not stop.is_set() and len(sent) < 3000:
                fake = secrets.token_urlsafe(18)
                forwarded = {"x-forwarded-for": address}
                sent.append(client.get("/api/live", params={"code": random_code(), "token": fake},
                                       headers=forwarded).status_code)
                sent.append(client.post("/api/answer", json={"code": random_code(), "token": fake, "step": 1,
                                                             "value": 5}, headers=forwarded).status_code)
                sent.append(client.post("/api/answer", json={"code": code, "token": fake, "step": 1,
                                                             "value": 5}, headers=forwarded).status_code)

    # Baseline: the facilitator's view of the real session with nobody flooding.
    def facilitator_ms(n: int) -> list[float]:
        timings = []
        for _ in range(n):
            started = time.perf_counter()
            workshop.session(code)
            workshop.participant_count(code)
            timings.append((time.perf_counter() - started) * 1000)
            time.sleep(0.002)
        return timings

    quiet = facilitator_ms(200)
    ours = [tracemalloc.Filter(True, str(Path(workshop_package.__file__).parent / "*"))]
    tracemalloc.start()
    try:
        before = tracemalloc.take_snapshot().filter_traces(ours)
        started = time.monotonic()
        floods = [threading.Thread(target=flood, args=(f"203.0.113.{i}",)) for i in (1, 2)]
        for thread in floods:
            thread.start()
        while len(sent) < 300:
            time.sleep(0.01)
        busy = facilitator_ms(200)
        for thread in floods:
            thread.join(timeout=120)
        stop.set()
        elapsed = time.monotonic() - started
        gc.collect()
        # What the app itself keeps (workshop/): the test client's own garbage is not the app's.
        grown = sum(stat.size_diff for stat in
                    tracemalloc.take_snapshot().filter_traces(ours).compare_to(before, "filename"))
    finally:
        stop.set()
        tracemalloc.stop()
    print(f"flood: {len(sent)} requests, statuses {sorted(set(sent))}; memory grew {grown / 1024:.0f} kB; "
          f"database lookups of unknown codes {workshop.unknown_codes.queries - queries} in {elapsed:.1f} s; "
          f"facilitator "
          f"median/max {statistics.median(quiet):.2f}/{max(quiet):.2f} ms quiet, "
          f"{statistics.median(busy):.2f}/{max(busy):.2f} ms flooded")
    assert set(sent) <= {403, 404, 429}
    assert len(routes.per_token) == 0 and len(routes.per_address) == 2 and len(routes.unknown_codes) == 2
    # Per address: a burst of 30 unknown codes, then one more every 2 s (30 a minute).
    assert workshop.unknown_codes.queries - queries <= 2 * (30 + elapsed / 2 + 1)
    assert grown < 100_000
    assert statistics.median(busy) < 50 and workshop.store.count_answers(code) == 0
    # The real phone, though it shares nothing with the flood, still answers.
    with TestClient(app, client=("127.0.0.1", 40000)) as phone:
        ok = phone.post("/api/answer", json={"code": code, "token": token, "step": 1, "value": 5},
                        headers={"x-forwarded-for": "198.51.100.1"})
    assert ok.status_code == 200


def test_a_whole_room_behind_one_address_reconnecting_after_a_restart_is_not_taken_for_guessing(
        workshop, code, library):
    """60 phones poll at once a session this server has not loaded yet (it just restarted)."""
    import asyncio

    from workshop.service import Workshop
    restarted = Workshop(workshop.store, library)  # same database, nothing in memory
    routes = PhoneRoutes(lambda: restarted)
    app = Starlette(routes=routes.routes())

    async def room() -> list[int]:
        transport = httpx.ASGITransport(app=app, client=("192.0.2.30", 1000))
        async with httpx.AsyncClient(transport=transport, base_url="http://phone.test") as client:
            replies = await asyncio.gather(*(client.get("/api/live", params={"code": code})
                                             for _ in range(60)))
        return [reply.status_code for reply in replies]

    assert asyncio.run(room()) == [200] * 60
    with TestClient(app) as client:  # and guessing is still held to 30 a minute
        guesses = [client.get("/api/live", params={"code": random_code()}).status_code for _ in range(31)]
    assert guesses[-1] == 429
