"""A simulated phone's HTTP/1.1, written straight onto asyncio's transports.

httpx made the bench the bottleneck: at 1,000 phones it used 73 % of a core (issue #16) on
request objects, header models, pools and its h11 parser, where the server needs a handful of
bytes. Here a request is one bytes write and a reply is parsed from the buffer where it lands
(status line, Content-Length, Content-Encoding, Connection). What the server sees is what a
phone's browser sends: the same headers, kept-alive connections (one holds the long-poll, one
sends answers, as a browser's pool does), gzip accepted and undone.

The replies the phone API and its assets send all carry Content-Length; a chunked one is
refused loudly (ProtocolError) rather than misread.
"""

from __future__ import annotations

import asyncio
import json as jsonlib
import zlib
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

# What phone.js's fetch() adds in Chromium on Android, trimmed to what the server reads.
USER_AGENT = b"bench-phone/2"
ACCEPT_ENCODING = b"gzip, deflate"
MAX_CONNECTIONS = 4   # per phone, as httpx's pool was; a browser allows 6 per origin


class WireError(Exception):
    """A request that got no reply; the class name is what the bench reports."""


class ConnectError(WireError):
    pass


class ReadError(WireError):
    pass


class ProtocolError(WireError):
    pass


class Reply:
    """A reply as the phone code reads it: status, body, and where it came from."""

    __slots__ = ("status_code", "content", "url")

    def __init__(self, status_code: int, content: bytes, url: str) -> None:
        self.status_code = status_code
        self.content = content
        self.url = url

    @property
    def text(self) -> str:
        return self.content.decode("utf-8", "replace")

    def json(self) -> Any:
        return jsonlib.loads(self.content)


class _Connection(asyncio.Protocol):
    """One kept-alive connection; one request at a time, as HTTP/1.1 without pipelining."""

    def __init__(self) -> None:
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.waiter: asyncio.Future[tuple[int, bytes, bool]] | None = None
        self.open = True
        self.replies = 0          # replies read on this connection (> 0: a reused one)
        self.got_bytes = False    # any byte of the current reply

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]

    def data_received(self, data: bytes) -> None:
        self.got_bytes = True
        self.buffer += data
        if self.waiter is not None and not self.waiter.done():
            self._parse()

    def connection_lost(self, exc: Exception | None) -> None:
        self.open = False
        if self.waiter is not None and not self.waiter.done():
            self.waiter.set_exception(ReadError("the server closed the connection"))

    def _parse(self) -> None:
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return
        head = bytes(self.buffer[:end]).split(b"\r\n")
        try:
            status = int(head[0].split(b" ", 2)[1])
        except (IndexError, ValueError):
            self.waiter.set_exception(ProtocolError(f"bad status line {head[0][:60]!r}"))
            return
        length, encoding, close = 0, b"", False
        for line in head[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    self.waiter.set_exception(ProtocolError(f"Content-Length {value[:20]!r}"))
                    return
            elif name == b"content-encoding":
                encoding = value.strip().lower()
            elif name == b"connection":
                close = value.strip().lower() == b"close"
            elif name == b"transfer-encoding":
                self.waiter.set_exception(ProtocolError("a chunked reply"))
                return
        start = end + 4
        if len(self.buffer) < start + length:
            return
        body = bytes(self.buffer[start:start + length])
        del self.buffer[:start + length]
        try:
            if encoding == b"gzip":
                body = zlib.decompress(body, 16 + zlib.MAX_WBITS)
            elif encoding == b"deflate":
                body = zlib.decompress(body)
        except zlib.error as exc:
            self.waiter.set_exception(ProtocolError(f"a {encoding.decode()} body that does not inflate: {exc}"))
            return
        self.replies += 1
        self.waiter.set_result((status, body, close))

    async def exchange(self, request: bytes) -> tuple[int, bytes, bool]:
        self.waiter = asyncio.get_running_loop().create_future()
        self.got_bytes = bool(self.buffer)
        self.transport.write(request)
        if self.buffer:
            self._parse()
        try:
            return await self.waiter
        finally:
            self.waiter = None

    def close(self) -> None:
        self.open = False
        if self.transport is not None:
            self.transport.close()


class WireClient:
    """A phone's requests to one origin, over at most MAX_CONNECTIONS kept-alive connections.

    `request(method, url, params=, json=)` answers with a Reply or raises a WireError, as
    httpx.AsyncClient did for the bench (the phone code is unchanged but for this class).
    """

    def __init__(self, base: str, local_address: str | None = None) -> None:
        parts = urlsplit(base)
        if parts.scheme != "http":
            raise ValueError(f"the bench's phones speak plain HTTP, not {parts.scheme!r}")
        self.base = base
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.local = (local_address, 0) if local_address else None
        self.fixed = (b"Host: " + parts.netloc.encode() + b"\r\nUser-Agent: " + USER_AGENT
                      + b"\r\nAccept: */*\r\nAccept-Encoding: " + ACCEPT_ENCODING + b"\r\n")
        self.idle: list[_Connection] = []
        self.busy = 0                      # connections in use or being opened
        self.waiting = 0                   # requests waiting for one of them
        self.freed = asyncio.Condition()

    async def _connection(self) -> _Connection:
        while True:
            while self.idle:
                conn = self.idle.pop()
                if conn.open:
                    return conn
            if self.busy < MAX_CONNECTIONS:
                self.busy += 1
                try:
                    _, conn = await asyncio.get_running_loop().create_connection(
                        _Connection, self.host, self.port, local_addr=self.local)
                except OSError as exc:
                    self.busy -= 1
                    raise ConnectError(str(exc)) from exc
                self.busy -= 1
                return conn
            self.waiting += 1
            try:
                async with self.freed:
                    await self.freed.wait()
            finally:
                self.waiting -= 1

    async def request(self, method: str, url: str, *, params: dict[str, str] | None = None,
                      json: Any = None) -> Reply:
        full = urljoin(self.base, url)
        parts = urlsplit(full)
        target = parts.path or "/"
        query = parts.query or ""
        if params:
            query = (query + "&" if query else "") + urlencode(params)
        if query:
            target += "?" + query
        head = method.encode() + b" " + target.encode() + b" HTTP/1.1\r\n" + self.fixed
        if json is not None:
            body = jsonlib.dumps(json, separators=(",", ":")).encode()
            request = (head + b"Content-Type: application/json\r\nContent-Length: "
                       + str(len(body)).encode() + b"\r\n\r\n" + body)
        else:
            request = head + b"\r\n"
        for resend in (False, True):
            conn = await self._connection()
            try:
                return await self._exchange(conn, request, full)
            except ReadError:
                # Chromium sends a request again, once, when a reused kept-alive connection
                # closes before any byte of the reply: the server may have timed it out
                # just as the request left (HttpNetworkTransaction::ShouldResendRequest).
                if resend or conn.replies == 0 or conn.got_bytes:
                    raise
        raise AssertionError("unreachable")

    async def _exchange(self, conn: _Connection, request: bytes, url: str) -> Reply:
        self.busy += 1
        kept = False
        try:
            status, content, close = await conn.exchange(request)
            kept = not close
            return Reply(status, content, url)
        finally:
            self.busy -= 1
            if kept and conn.open:
                self.idle.append(conn)
            else:
                conn.close()
            if self.waiting:
                async with self.freed:
                    self.freed.notify()

    async def aclose(self) -> None:
        for conn in self.idle:
            conn.close()
        self.idle.clear()
