"""Security headers on every response, and Streamlit's metrics route hidden.

A pure ASGI middleware (no body buffering, websockets pass through). It only adds a
header a route did not set itself, so the phone routes keep their stricter CSP.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import streamlit
from starlette.types import ASGIApp, Message, Receive, Scope, Send

def _inline_script_hashes() -> str:
    """CSP sources for the inline scripts of Streamlit's own index.html (one, in 1.67:
    `window.prerenderReady = false`), read from the installed package so an upgrade that
    changes them changes the policy too."""
    index = Path(streamlit.__file__).parent / "static" / "index.html"
    try:
        html = index.read_text(encoding="utf-8")
    except OSError:
        return ""
    scripts = re.findall(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", html, flags=re.S)
    return "".join(f" 'sha256-{base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()}'"
                   for body in scripts if body.strip())


# Streamlit's frontend needs inline styles (emotion) and WebAssembly (its bundle); its inline
# script is allowed by hash, so no other inline script and no eval() runs. It talks to its own
# origin only, over a websocket. tests/browser/test_page_headers.py walks every page (Plotly
# charts included) and fails on any violation.
PAGE_CSP = (f"default-src 'self'; script-src 'self'{_inline_script_hashes()} 'wasm-unsafe-eval'; "
            "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; "
            "connect-src 'self' ws: wss:; worker-src 'self' blob:; object-src 'none'; "
            "base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
HEADERS = {
    "content-security-policy": PAGE_CSP,
    "x-frame-options": "DENY",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
}
HIDDEN_PATHS = ("/_stcore/metrics",)


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if scope["path"].rstrip("/") in HIDDEN_PATHS:
            await send({"type": "http.response.start", "status": 404, "headers": [
                (b"content-type", b"text/plain; charset=utf-8"),
                *((k.encode(), v.encode()) for k, v in HEADERS.items())]})
            await send({"type": "http.response.body", "body": b"Not Found"})
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k.encode(), v.encode()) for k, v in HEADERS.items()
                         if k.encode() not in present]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, send_with_headers)
