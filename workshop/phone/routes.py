"""Starlette routes for phones: the page, the live long-poll and answers.

Phones never touch Streamlit: each poll is answered from memory and each
answer is one upsert run in a worker thread, off the event loop.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from workshop.ratelimit import RateLimiter
from workshop.service import UNKNOWN_TOKEN, Workshop, WorkshopError, normalise_code

STATIC = Path(__file__).parent / "static"
STATIC_MEDIA = {
    "phone.html": "text/html; charset=utf-8",
    "phone.js": "text/javascript; charset=utf-8",
    "phone.css": "text/css; charset=utf-8",
}
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


def _error(status: int, reason: str, message: str) -> JSONResponse:
    return JSONResponse({"error": message, "reason": reason}, status_code=status,
                        headers=SECURITY_HEADERS)


def _refusal(exc: WorkshopError) -> JSONResponse:
    return _error(exc.status, exc.reason, exc.message)


class _TooLarge(Exception):
    pass


async def _read_json(request: Request) -> dict[str, Any]:
    """Read at most MAX_BODY_BYTES before parsing: a huge body is refused unread."""
    declared = request.headers.get("content-length")
    if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY_BYTES):
        raise _TooLarge
    body = bytearray()
    async for chunk in request.stream():
        body.extend(chunk)
        if len(body) > MAX_BODY_BYTES:
            raise _TooLarge
    data = json.loads(body)
    if not isinstance(data, dict):
        raise ValueError("not an object")
    return data


def _client_address(request: Request) -> str:
    # Used only as an in-memory rate-limit key, never stored.
    return request.client.host if request.client else "unknown"


class PhoneRoutes:
    def __init__(self, workshop: Callable[[], Workshop], long_poll_seconds: float = LONG_POLL_SECONDS) -> None:
        self._workshop = workshop
        self.long_poll_seconds = long_poll_seconds
        # A phone answers at most a few times a minute; a script hammering is refused.
        self.per_token = RateLimiter(limit=20, window=30.0)
        # A whole room may share one NAT address, so this one is generous.
        # Measured: 1000 phones behind one NAT sent up to 2714 requests in 30 s (docs/benchmarks.md).
        self.per_address = RateLimiter(limit=10_000, window=30.0)
        # Read once: serving from memory keeps a room's arrival off the disk and worker threads.
        self._static = {name: (STATIC / name).read_bytes() for name in STATIC_MEDIA}

    def routes(self) -> list[Route]:
        return [
            Route("/join", self.page, methods=["GET"]),
            Route("/join/phone.js", self.asset, methods=["GET"]),
            Route("/join/phone.css", self.asset, methods=["GET"]),
            Route("/api/join", self.join, methods=["POST"]),
            Route("/api/live", self.live, methods=["GET"]),
            Route("/api/answer", self.answer, methods=["POST"]),
            Route("/api/pause", self.pause, methods=["POST"]),
        ]

    def _file(self, name: str) -> Response:
        return Response(self._static[name], media_type=STATIC_MEDIA[name], headers=SECURITY_HEADERS)

    async def page(self, request: Request) -> Response:
        return self._file("phone.html")

    async def asset(self, request: Request) -> Response:
        return self._file(request.url.path.rsplit("/", 1)[-1])

    async def _body(self, request: Request) -> dict[str, Any] | JSONResponse:
        try:
            return await _read_json(request)
        except _TooLarge:
            return _error(413, "too_large", "That answer is too long to send.")
        except ClientDisconnect:
            return _error(400, "bad_request", "The request was cut off.")
        except (ValueError, UnicodeDecodeError):
            return _error(400, "bad_request", "The request could not be read.")

    async def join(self, request: Request) -> Response:
        body = await self._body(request)
        if isinstance(body, JSONResponse):
            return body
        if not self.per_address.allow(_client_address(request)):
            return _error(429, "rate_limited", "Too many requests. Please wait a moment.")
        try:
            session, token = await run_in_threadpool(self._workshop().join, body.get("code"), body.get("token"))
        except WorkshopError as exc:
            return _refusal(exc)
        return JSONResponse({"token": token, "code": session.code, "title": session.title},
                            headers=SECURITY_HEADERS)

    async def live(self, request: Request) -> Response:
        workshop = self._workshop()
        code = normalise_code(request.query_params.get("code"))
        since_raw = request.query_params.get("since", "")
        since = int(since_raw) if since_raw.lstrip("-").isdigit() else None
        try:
            if workshop.board.get(code) is None:
                # Unknown here: a wrong code, or a session from before a restart.
                await run_in_threadpool(workshop.session, code)
        except WorkshopError as exc:
            return _refusal(exc)
        await workshop.board.wait_for_change(code, since, self.long_poll_seconds)
        # Served from memory (the answer cache), so no worker thread is needed per phone.
        view = workshop.live_view(workshop.session(code), request.query_params.get("token"))
        return JSONResponse(view, headers=SECURITY_HEADERS)

    async def _from_phone(self, request: Request) -> tuple[dict[str, Any], str] | JSONResponse:
        """A phone's POST body and token, once size, token and rate limits are checked."""
        body = await self._body(request)
        if isinstance(body, JSONResponse):
            return body
        token = body.get("token")
        if not isinstance(token, str) or not token:
            return _refusal(UNKNOWN_TOKEN)
        if not (self.per_token.allow(token) and self.per_address.allow(_client_address(request))):
            return _error(429, "rate_limited", "Too many requests in a short time. Please wait a moment.")
        return body, token

    async def answer(self, request: Request) -> Response:
        checked = await self._from_phone(request)
        if isinstance(checked, JSONResponse):
            return checked
        body, token = checked
        passed = body.get("pass") is True
        if not passed and "value" not in body:
            return _error(400, "bad_request", "The answer is missing.")
        try:
            message = await run_in_threadpool(
                self._workshop().submit, body.get("code"), token, body.get("step"),
                body.get("value"), passed)
        except WorkshopError as exc:
            return _refusal(exc)
        return JSONResponse({"ok": True, "message": message}, headers=SECURITY_HEADERS)

    async def pause(self, request: Request) -> Response:
        checked = await self._from_phone(request)
        if isinstance(checked, JSONResponse):
            return checked
        body, token = checked
        try:
            await run_in_threadpool(self._workshop().request_pause, body.get("code"), token)
        except WorkshopError as exc:
            return _refusal(exc)
        return JSONResponse({"ok": True}, headers=SECURITY_HEADERS)
