"""Starlette routes for phones: the page, the live long-poll and answers.

Phones never touch Streamlit: each poll is answered from memory and each
answer is one upsert run in a worker thread, off the event loop.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
import math
import os
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from phone.assets import ASSET_CACHE, ASSET_MEDIA, ASSETS_PREFIX, PAGE, load_assets
from phone.errors import status_of
from workshop import config
from workshop.config import Network
from workshop.ratelimit import RateLimiter
from workshop.join_codes import TOKEN_SHAPE, normalise_code
from workshop.refusals import (ROOM_CODE_WRONG, UNKNOWN_SESSION, UNKNOWN_TOKEN, WAITING_MESSAGE, JoinWaits,
                               WorkshopError)
from workshop.service import Workshop

MAX_BODY_BYTES = 4096
LONG_POLL_SECONDS = 25.0

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


_SECURITY_RAW = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in SECURITY_HEADERS.items()]


class PreEncodedJSON(Response):
    """JSON bytes already encoded, with the security headers encoded once at import rather than
    per reply (Starlette encodes a headers dict on every response: 1.4 of a reply's 3.7 µs)."""

    media_type = "application/json"

    def init_headers(self, headers: Any = None) -> None:
        self.raw_headers = [(b"content-length", str(len(self.body)).encode("latin-1")),
                            (b"content-type", b"application/json"), *_SECURITY_RAW]


def _maybe_gzipped(request: Request, plain: bytes, gzipped: bytes, media_type: str,
                   headers: dict[str, str]) -> Response:
    """The bytes gzipped at start when the phone accepts gzip (as Starlette's GZipMiddleware
    decides: "gzip" anywhere in Accept-Encoding), else as they are; either way a cache keys
    the reply on Accept-Encoding."""
    if "gzip" in request.headers.get("accept-encoding", ""):
        return Response(gzipped, media_type=media_type,
                        headers={**headers, "Content-Encoding": "gzip", "Vary": "Accept-Encoding"})
    return Response(plain, media_type=media_type, headers={**headers, "Vary": "Accept-Encoding"})


def _error(status: int, reason: str, message: str) -> JSONResponse:
    return JSONResponse({"error": message, "reason": reason}, status_code=status,
                        headers=SECURITY_HEADERS)


def _refusal(exc: WorkshopError) -> JSONResponse:
    return _error(status_of(exc.reason), exc.reason, exc.message)


class _Refused(Exception):
    """A request refused before the domain sees it, with the JSON error to send."""

    def __init__(self, status: int, reason: str, message: str) -> None:
        super().__init__(message)
        self.response = _error(status, reason, message)


UNREADABLE = (400, "bad_request", "The request could not be read.")
TOO_LARGE = (413, "too_large", "That answer is too long to send.")
NOT_JSON = (415, "unsupported_media_type", "Please send the request as JSON (Content-Type: application/json).")
BAD_ORIGIN = (403, "bad_origin", "This request did not come from the workshop's own page.")
RATE_LIMITED = (429, "rate_limited", "Too many requests in a short time. Please wait a moment.")
MAX_DEPTH = 4          # {"value": [1, 2]} is the deepest a phone sends
SINCE_SHAPE = re.compile(r"-?[0-9]{1,18}")          # ASCII digits only: int("²") fails


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")  # Python's json accepts NaN and Infinity


def _finite_float(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):  # 1e400 parses as inf
        raise ValueError("number out of range")
    return number


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data = dict(pairs)
    if len(data) != len(pairs):  # {"token": a, "token": b}: parsers disagree on which counts
        raise ValueError("duplicate key")
    return data


def _plain(data: Any) -> None:
    """Refuse lone surrogates anywhere (no database can store them) and deep nesting."""
    todo = [(data, 1)]
    while todo:
        item, depth = todo.pop()
        if depth > MAX_DEPTH:
            raise ValueError("nested too deep")
        if isinstance(item, dict):
            todo.extend((key, depth) for key in item)
            todo.extend((value, depth + 1) for value in item.values())
        elif isinstance(item, list):
            todo.extend((value, depth + 1) for value in item)
        elif isinstance(item, str):
            item.encode("utf-8")  # UnicodeEncodeError (a ValueError) on a lone surrogate


def parse_body(body: bytes) -> dict[str, Any]:
    """Strict JSON: UTF-8 only (no BOM, no UTF-16), finite numbers, unique keys, an object."""
    try:
        data = json.loads(body.decode("utf-8"), parse_constant=_refuse_constant,
                          parse_float=_finite_float, object_pairs_hook=_unique_keys)
        if not isinstance(data, dict):
            raise ValueError("not an object")
        _plain(data)
    except (ValueError, RecursionError):
        raise _Refused(*UNREADABLE) from None
    return data


def _is_json(content_type: str | None) -> bool:
    """application/json, with no charset or utf-8: what fetch() sends, and no simple CORS type."""
    if content_type is None:
        return False
    media, _, params = content_type.partition(";")
    if media.strip().lower() != "application/json":
        return False
    for param in params.split(";"):
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip().strip('"').lower() not in ("utf-8", "utf8"):
            return False
        if param.strip() and name.strip().lower() != "charset":
            return False
    return True


def _origin(url: str) -> str:
    """scheme://host[:port], lower case, without the scheme's default port; "" if unreadable."""
    try:
        parts = urlsplit(url.strip())
        scheme, host, port = parts.scheme.lower(), (parts.hostname or ""), parts.port
    except ValueError:  # "http://[::1", a port over 65535
        return ""
    if scheme not in ("http", "https") or not host:
        return ""
    if ":" in host:
        host = f"[{host}]"
    default = {"http": 80, "https": 443}.get(scheme)
    return f"{scheme}://{host}" + (f":{port}" if port is not None and port != default else "")


def same_origin(origin: str | None, public_url: str, host: str | None) -> bool:
    """A browser's POST says where its page came from: it must be the phone page's own origin."""
    if origin is None:
        return True  # not a browser (browsers always send Origin on a POST)
    if public_url:
        return _origin(origin) == _origin(public_url) != ""
    if not host:
        return False
    scheme = origin.strip().partition(":")[0].lower()
    return _origin(origin) == _origin(f"{scheme}://{host}") != ""


async def _read_json(request: Request) -> dict[str, Any]:
    """Read at most MAX_BODY_BYTES before parsing: a huge body is refused unread."""
    declared = request.headers.get("content-length")
    if declared is not None and not (declared.isascii() and declared.isdigit()):
        raise _Refused(*UNREADABLE)
    if declared is not None and int(declared) > MAX_BODY_BYTES:
        raise _Refused(*TOO_LARGE)
    body = bytearray()
    try:
        async for chunk in request.stream():
            body.extend(chunk)
            if len(body) > MAX_BODY_BYTES:
                raise _Refused(*TOO_LARGE)
    except ClientDisconnect:
        raise _Refused(400, "bad_request", "The request was cut off.") from None
    return parse_body(bytes(body))


# --- who is asking (for in-memory rate limits only, never stored) -----------------------
# Streamlit 1.67 runs st.App under uvicorn with uvicorn's defaults: proxy_headers=True and
# forwarded_allow_ips from FORWARDED_ALLOW_IPS, else "127.0.0.1,::1". So when the connection
# comes from loopback and carries X-Forwarded-For, uvicorn has already replaced
# request.client by the header's last entry that is not loopback: whatever the client wrote,
# if the proxy passed its header on. The routes undo that unless the proxy is trusted.
UVICORN_TRUSTED = tuple(ipaddress.ip_network(item.strip(), strict=False)
                        for item in os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1").split(",")
                        if item.strip() and item.strip() != "*")
VIA_UNTRUSTED_PROXY = "untrusted-proxy"  # one bucket for all who came through it


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def _within(text: str, networks: tuple[Network, ...]) -> bool:
    ip = _ip(text)
    return ip is not None and any(ip in net for net in networks)


def _host_port(entry: str) -> tuple[str, int]:
    """An X-Forwarded-For entry as uvicorn reads it: bare, host:port or [v6]:port."""
    if entry.startswith("[") and "]" in entry:
        host, _, rest = entry[1:].partition("]")
        port = rest[1:] if rest.startswith(":") else ""
        return host, int(port) if port.isascii() and port.isdigit() else 0
    if entry.count(":") == 1:
        host, _, port = entry.partition(":")
        return host, int(port) if port.isascii() and port.isdigit() else 0
    return entry, 0


def client_address(client: tuple[str, int] | None, forwarded_for: list[str],
                   trusted: tuple[Network, ...]) -> str:
    """The address a rate limit counts: the connection's, or a trusted proxy's word for it.

    A trusted proxy's word is the last X-Forwarded-For entry, the one it added itself
    (nginx: `proxy_set_header X-Forwarded-For $remote_addr`). Anyone else's header is ignored.
    """
    entries = [e.strip() for value in forwarded_for for e in value.split(",") if e.strip()]
    if client is None:
        return "unknown"
    host, port = client
    if not entries:
        return host
    taken_from_header = any(_host_port(entry) == (host, port) for entry in entries)
    if taken_from_header:  # uvicorn replaced a loopback connection's address with an entry
        believed = any(_within(str(net.network_address), trusted) for net in UVICORN_TRUSTED)
        return _host_port(entries[-1])[0] if believed else VIA_UNTRUSTED_PROXY
    return _host_port(entries[-1])[0] if _within(host, trusted) else host


def _watched(address: str) -> str:
    """The address the join-burst warning counts: none for this machine itself (the facilitator
    trying the phone page, the test suite) or for phones behind an untrusted proxy, which all
    share one address and would warn for ever."""
    ip = _ip(address)
    if address == VIA_UNTRUSTED_PROXY or (ip is not None and ip.is_loopback):
        return ""
    return address


class PhoneRoutes:
    def __init__(self, workshop: Callable[[], Workshop], long_poll_seconds: float = LONG_POLL_SECONDS,
                 trusted_proxies: tuple[Network, ...] | None = None) -> None:
        self._workshop = workshop
        self.long_poll_seconds = long_poll_seconds
        self.trusted_proxies = config.trusted_proxies() if trusted_proxies is None else trusted_proxies
        # A phone answers at most a few times a minute; a script hammering is refused.
        # Keyed only on tokens this session issued, so forged tokens add no keys.
        self.per_token = RateLimiter(limit=20, window=30.0, max_keys=20_000)
        # A whole room may share one NAT address, so this one is generous.
        # Measured: 1000 phones behind one NAT sent up to 2714 requests in 30 s (docs/benchmarks.md).
        self.per_address = RateLimiter(limit=10_000, window=30.0, max_keys=20_000)
        # A phone types a wrong code now and then; guessing codes is refused (no code oracle).
        self.unknown_codes = RateLimiter(limit=30, window=60.0, max_keys=20_000)
        # A room code is mistyped now and then; guessing it (1 in 5,000 a try, two codes are
        # accepted) is held to 10 misses a minute per address: 0.4 % a two-minute window.
        self.room_code_misses = RateLimiter(limit=10, window=60.0, max_keys=20_000)
        self._lookups: dict[str, asyncio.Future[None]] = {}  # codes being looked up now
        # Read once: serving from memory keeps a room's arrival off the disk and worker threads.
        self.assets = load_assets()

    def routes(self) -> list[Route]:
        return [
            Route("/join", self.page, methods=["GET"]),
            Route(ASSETS_PREFIX + "/{version}/{name:path}", self.asset, methods=["GET"]),
            Route("/api/join", self.join, methods=["POST"]),
            Route("/api/live", self.live, methods=["GET"]),
            Route("/api/answer", self.answer, methods=["POST"]),
            Route("/api/pause", self.pause, methods=["POST"]),
        ]

    async def page(self, request: Request) -> Response:
        return _maybe_gzipped(request, self.assets.page, self.assets.gzipped[PAGE],
                              "text/html; charset=utf-8", SECURITY_HEADERS)

    async def asset(self, request: Request) -> Response:
        """The joined script or sheet of this version, looked up by name: nothing else is served."""
        name = request.path_params["name"]
        body = self.assets.files.get(name)
        if request.path_params["version"] != self.assets.version or body is None:
            return Response(b"Not found", status_code=404, media_type="text/plain; charset=utf-8",
                            headers=SECURITY_HEADERS)
        return _maybe_gzipped(request, body, self.assets.gzipped[name], ASSET_MEDIA[name],
                              {**SECURITY_HEADERS, "Cache-Control": ASSET_CACHE})

    def address(self, request: Request) -> str:
        return client_address(request.client, request.headers.getlist("x-forwarded-for"),
                              self.trusted_proxies)

    async def _body(self, request: Request) -> dict[str, Any]:
        """The JSON object a phone page POSTed: same origin, JSON, at most 4 kB, strict."""
        if not same_origin(request.headers.get("origin"), config.public_url(), request.headers.get("host")):
            raise _Refused(*BAD_ORIGIN)
        if not _is_json(request.headers.get("content-type")):
            raise _Refused(*NOT_JSON)
        return await _read_json(request)

    async def _session(self, request: Request, code: str) -> None:
        """Make sure the session is in memory; guessing codes costs the guesser, not the room.

        Requests for the same code that arrive while it is being looked up wait for that one
        lookup and count nothing: after a restart a whole room behind one address reconnects
        at once, and each phone used to count as a guess (more than 30 got 429).
        """
        workshop = self._workshop()
        if workshop.board.get(code) is not None:
            return  # a session this server serves: no lookup, no limit
        pending = self._lookups.get(code)
        if pending is not None:
            await asyncio.shield(pending)  # found, or the same refusal
            return
        address = self.address(request)
        # Counted before the lookup, so concurrent guesses cannot all slip past the limit.
        if not self.unknown_codes.allow(address):
            raise _Refused(*RATE_LIMITED)
        lookup: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._lookups[code] = lookup
        try:
            await run_in_threadpool(workshop.session, code)
        except WorkshopError as exc:
            if exc.reason != UNKNOWN_SESSION.reason:
                self.unknown_codes.refund(address)
            lookup.set_exception(exc)
            lookup.exception()  # retrieved here, so an unshared lookup logs nothing
            raise
        finally:
            if not lookup.done():
                lookup.set_result(None)
            self._lookups.pop(code, None)
        self.unknown_codes.refund(address)  # found (e.g. after a restart): not a guess

    async def _guarded(self, request: Request, handler: Callable[[Request], Any]) -> Response:
        try:
            return await handler(request)
        except _Refused as refused:
            return refused.response
        except WorkshopError as exc:
            # The domain raises shared instances (UNKNOWN_TOKEN, ...): each raise would add
            # this request's frames to the one traceback they keep, for ever (a leak per request).
            exc.with_traceback(None)
            exc.__context__ = None
            return _refusal(exc)

    async def join(self, request: Request) -> Response:
        return await self._guarded(request, self._join)

    async def live(self, request: Request) -> Response:
        return await self._guarded(request, self._live)

    async def answer(self, request: Request) -> Response:
        return await self._guarded(request, self._answer)

    async def pause(self, request: Request) -> Response:
        return await self._guarded(request, self._pause)

    async def _join(self, request: Request) -> Response:
        body = await self._body(request)
        address = self.address(request)
        if not self.per_address.allow(address):
            raise _Refused(*RATE_LIMITED)
        code = normalise_code(body.get("code"))
        await self._session(request, code)
        room_code = body.get("room_code")
        if room_code not in (None, "") and self.room_code_misses.exhausted(address):
            raise _Refused(*RATE_LIMITED)
        workshop = self._workshop()
        try:
            session, token = await run_in_threadpool(
                lambda: workshop.join(code, body.get("token"), room_code=room_code,
                                      ticket=body.get("ticket"), address=_watched(address)))
        except JoinWaits as waits:
            session = workshop.session(code)
            return JSONResponse({"waiting": True, "ticket": waits.ticket, "code": session.code,
                                 "title": session.title, "message": WAITING_MESSAGE},
                                status_code=202, headers=SECURITY_HEADERS)
        except WorkshopError as exc:
            if exc.reason == ROOM_CODE_WRONG.reason:
                self.room_code_misses.allow(address)
            raise
        return JSONResponse({"token": token, "code": session.code, "title": session.title},
                            headers=SECURITY_HEADERS)

    async def _live(self, request: Request) -> Response:
        workshop = self._workshop()
        code = normalise_code(request.query_params.get("code"))
        since_raw = request.query_params.get("since", "")
        since = int(since_raw) if SINCE_SHAPE.fullmatch(since_raw) else None
        # Unknown here: a wrong code, or a session from before a restart.
        await self._session(request, code)
        await workshop.board.wait_for_change(code, since, self.long_poll_seconds)
        # Served from memory (the session's room), so no worker thread is needed per phone,
        # and pre-encoded but for the phone's own answer (workshop/service/phone_view.py).
        return PreEncodedJSON(workshop.live_view_json(code, request.query_params.get("token")))

    async def _from_phone(self, request: Request) -> tuple[dict[str, Any], str]:
        """A phone's POST body and token, once size, session, token and rate limits are checked.

        The token is checked against the session's tokens before any per-token count, so a
        forged token never becomes a rate-limit key.
        """
        body = await self._body(request)
        token = body.get("token")
        if not isinstance(token, str) or not TOKEN_SHAPE.fullmatch(token):
            raise UNKNOWN_TOKEN
        if not self.per_address.allow(self.address(request)):
            raise _Refused(*RATE_LIMITED)
        code = normalise_code(body.get("code"))
        await self._session(request, code)
        workshop = self._workshop()
        if workshop.store.shared:  # a token from another server is looked up in the database
            await run_in_threadpool(workshop.check_token, code, token)
        else:
            workshop.check_token(code, token)  # from memory
        if not self.per_token.allow(token):
            raise _Refused(*RATE_LIMITED)
        return body, token

    async def _answer(self, request: Request) -> Response:
        body, token = await self._from_phone(request)
        passed = body.get("pass") is True
        if not passed and "value" not in body:
            raise _Refused(400, "bad_request", "The answer is missing.")
        step = body.get("step")
        if not isinstance(step, int) or isinstance(step, bool):
            raise _Refused(400, "bad_request", "The answer does not say which exercise it is for.")
        message = await self._workshop().submit_async(body.get("code"), token, step, body.get("value"), passed)
        return JSONResponse({"ok": True, "message": message}, headers=SECURITY_HEADERS)

    async def _pause(self, request: Request) -> Response:
        body, token = await self._from_phone(request)
        await run_in_threadpool(self._workshop().request_pause, body.get("code"), token)
        return JSONResponse({"ok": True}, headers=SECURITY_HEADERS)
