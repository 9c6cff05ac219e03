"""The phone's routes answer ahead of Streamlit's middleware (web/fastpath.py): their own
requests never reach the app behind, everything else reaches it unchanged."""

from __future__ import annotations

import pytest
from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route, WebSocketRoute
from starlette.testclient import TestClient
from starlette.websockets import WebSocket

from web.fastpath import PhoneRoutesFirst


async def phone(request):
    return PlainTextResponse("phone route")


async def behind(request):
    return PlainTextResponse(f"behind {request.url.path}")


async def socket(websocket: WebSocket):
    await websocket.accept()
    await websocket.send_text("behind, websocket")
    await websocket.close()


@pytest.fixture
def client():
    seen: list[str] = []
    streamlit_like = Starlette(routes=[Route("/{path:path}", behind, methods=["GET", "POST"]),
                                       WebSocketRoute("/_stcore/stream", socket)])

    async def recording(scope, receive, send):
        seen.append(f"{scope['type']} {scope.get('path', '')}")
        await streamlit_like(scope, receive, send)

    app = PhoneRoutesFirst(recording, routes=[Route("/join", phone), Route("/api/live", phone)])
    with TestClient(app) as client:
        client.seen = seen
        yield client


def test_a_phone_route_is_answered_without_the_app_behind(client):
    assert client.get("/join?code=ABCDEF").text == "phone route"
    assert client.get("/api/live").text == "phone route"
    assert [s for s in client.seen if s.startswith("http")] == []


@pytest.mark.parametrize("path", ["/", "/projector", "/join/", "/join/assets/x/page.js", "/_stcore/health"])
def test_any_other_path_goes_on_to_the_app_behind_unchanged(client, path):
    assert client.get(path).text == f"behind {path}"
    assert client.seen[-1] == f"http {path}"


def test_a_wrong_method_on_a_phone_route_is_refused_there(client):
    assert client.post("/join").status_code == 405
    assert [s for s in client.seen if s.startswith("http")] == []


def test_websockets_and_lifespan_go_on_to_the_app_behind(client):
    with client.websocket_connect("/_stcore/stream") as websocket:
        assert websocket.receive_text() == "behind, websocket"
    assert "websocket /_stcore/stream" in client.seen
    assert "lifespan " in client.seen
