"""The load bench's own HTTP client (bench/load/wire.py) against a real uvicorn server: what it
reads is what was sent, connections are kept alive and reused as a browser's are, and a reply
it cannot read is an error with a name, never a hang or a wrong body. No browser, ~1 s."""

import asyncio
import gzip
import json
import threading
import time

import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.responses import JSONResponse, PlainTextResponse, Response, StreamingResponse
from starlette.routing import Route

from bench.load.wire import ConnectError, ProtocolError, ReadError, WireClient
from harness.ports import free_port

PORTS: list[int] = []   # the client port of every request the server saw


async def echo(request):
    PORTS.append(request.scope["client"][1])
    body = await request.body()
    return JSONResponse({"method": request.method, "path": request.url.path,
                         "query": dict(request.query_params), "body": body.decode(),
                         "type": request.headers.get("content-type"),
                         "accept_encoding": request.headers.get("accept-encoding")})


async def big(request):
    return JSONResponse({"words": ["window of tolerance"] * 200})  # gzipped: over 500 bytes


async def closing(request):
    PORTS.append(request.scope["client"][1])
    return PlainTextResponse("bye", headers={"connection": "close"})


async def chunked(request):
    async def parts():
        yield b"a"
        yield b"b"
    return StreamingResponse(parts())


async def bad_gzip(request):
    return Response(b"not gzip at all", headers={"content-encoding": "gzip"})


async def slow(request):
    await asyncio.sleep(5)
    return PlainTextResponse("late")


@pytest.fixture(scope="module")
def base():
    app = Starlette(routes=[Route("/echo", echo, methods=["GET", "POST"]), Route("/big", big),
                            Route("/closing", closing), Route("/chunked", chunked),
                            Route("/bad-gzip", bad_gzip), Route("/slow", slow)],
                    middleware=[Middleware(GZipMiddleware)])
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = server.force_exit = True  # not waiting for /slow
    thread.join(5)


def run(coroutine):
    return asyncio.run(coroutine)


def test_a_get_and_a_post_arrive_as_sent_on_one_kept_alive_connection(base):
    async def scenario():
        client = WireClient(base)
        got = await client.request("GET", "/echo", params={"code": "ABC123", "since": "7"})
        sent = {"code": "ABC123", "token": "t", "step": 2, "value": [3, None, "ü"]}
        posted = await client.request("POST", f"{base}/echo", json=sent)
        await client.aclose()
        return got, posted, sent

    PORTS.clear()
    got, posted, sent = run(scenario())
    assert got.status_code == 200 and got.url == f"{base}/echo"
    assert got.json()["query"] == {"code": "ABC123", "since": "7"}
    assert got.json()["accept_encoding"] == "gzip, deflate"
    assert posted.json()["method"] == "POST" and posted.json()["type"] == "application/json"
    assert json.loads(posted.json()["body"]) == sent
    assert len(PORTS) == 2 and PORTS[0] == PORTS[1]  # the second request reused the connection


def test_a_gzipped_reply_is_read_as_the_json_that_was_compressed(base):
    async def scenario():
        client = WireClient(base)
        reply = await client.request("GET", "/big")
        await client.aclose()
        return reply

    assert run(scenario()).json() == {"words": ["window of tolerance"] * 200}
    assert len(gzip.compress(json.dumps({"words": ["window of tolerance"] * 200}).encode())) < 500


def test_a_parked_request_and_a_send_use_two_connections_and_a_close_is_honoured(base):
    async def scenario():
        client = WireClient(base)
        first, second = await asyncio.gather(client.request("GET", "/echo"), client.request("GET", "/echo"))
        bye = await client.request("GET", "/closing")
        after = await client.request("GET", "/closing")
        await client.aclose()
        return first, second, bye, after

    PORTS.clear()
    *_, bye, after = run(scenario())
    assert bye.text == after.text == "bye"
    assert len(set(PORTS[:2])) == 2          # in parallel: a connection each
    assert PORTS[3] != PORTS[2]              # the one that said "Connection: close" was not reused


@pytest.mark.parametrize("path, error", [("/chunked", ProtocolError), ("/bad-gzip", ProtocolError)])
def test_a_reply_it_cannot_read_is_a_named_error(base, path, error):
    async def scenario():
        client = WireClient(base)
        with pytest.raises(error):
            await asyncio.wait_for(client.request("GET", path), 3)
        await client.aclose()

    run(scenario())


def test_no_server_is_a_connect_error_and_an_aborted_request_frees_its_connection(base):
    async def scenario():
        with pytest.raises(ConnectError):
            await WireClient(f"http://127.0.0.1:{free_port()}").request("GET", "/")
        client = WireClient(base)
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(0.2):
                await client.request("GET", "/slow")
        assert client.busy == 0 and client.idle == []  # the aborted connection is dropped
        again = await client.request("GET", "/echo")
        await client.aclose()
        return again

    assert run(scenario()).status_code == 200


def test_a_server_that_closes_mid_reply_is_a_read_error():
    async def scenario():
        async def half(reader, writer):
            await reader.readuntil(b"\r\n\r\n")
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly part")
            await writer.drain()
            writer.close()

        server = await asyncio.start_server(half, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        with pytest.raises(ReadError):
            await asyncio.wait_for(WireClient(f"http://127.0.0.1:{port}").request("GET", "/"), 3)
        server.close()

    run(scenario())


def test_a_reused_connection_closed_before_the_reply_is_sent_again_once_as_a_browser_does():
    """The server times out an idle kept-alive connection just as the next request leaves."""
    async def scenario():
        seen = []

        async def serve(reader, writer):
            while True:
                try:
                    await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                seen.append(writer.get_extra_info("peername")[1])
                if len(seen) == 2:  # the second request: closed with no reply
                    writer.close()
                    return
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                await writer.drain()

        server = await asyncio.start_server(serve, "127.0.0.1", 0)
        client = WireClient(f"http://127.0.0.1:{server.sockets[0].getsockname()[1]}")
        first = await client.request("GET", "/")
        second = await asyncio.wait_for(client.request("GET", "/"), 3)
        await client.aclose()
        server.close()
        return first, second, seen

    first, second, seen = run(scenario())
    assert first.text == second.text == "ok"
    assert len(seen) == 3 and seen[0] == seen[1] != seen[2]  # sent again on a new connection
