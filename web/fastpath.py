"""The phone's routes answered ahead of Streamlit's middleware: a phone's request is short.

Every request to st.App passes Streamlit's own middleware (path security for its static
files, the session cookie, gzip) and Starlette's exception layer before its route. A phone's
`/api/live` needs none of them: the phone routes read no file by path, keep no cookie, and
compress what is worth compressing themselves (phone/assets.py: the page and its two files
gzipped once at start; the JSON replies, ~1–3 kB, not at all). Measured with bench/plumbing.py
(docs/benchmarks.md, "One phone request, all in"): with this and the page gzipped once, a
`/api/live` reply went from 195 to 146–159 µs of the server's CPU and the page from 271 to
133–143 µs.

This middleware sits inside ours (CloseWhenStopping, SecurityHeaders: a phone's reply still
gets both) and before Streamlit's. A request for one of the phone routes is answered by
them; any other request, and every websocket and lifespan message, goes on to Streamlit
unchanged. Starlette's ServerErrorMiddleware stays outside all of it, so an error in a
phone route is still a 500 and a logged traceback, never a dropped connection.
"""

from __future__ import annotations

from starlette.routing import BaseRoute, Router
from starlette.types import ASGIApp, Receive, Scope, Send


class PhoneRoutesFirst:
    def __init__(self, app: ASGIApp, routes: list[BaseRoute]) -> None:
        self.app = app
        # No slash redirects here: "/join/" goes on to Streamlit's router, as it did before.
        self.router = Router(routes=routes, redirect_slashes=False, default=app)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            await self.router(scope, receive, send)
        else:
            await self.app(scope, receive, send)
