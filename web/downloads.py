"""GET /download/<token>: a report file for the signed-in facilitator's own browser only."""

from __future__ import annotations

import hashlib
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from streamlit.web.server.starlette.starlette_app_utils import decode_xsrf_token_string

from workshop.downloads import tokens

XSRF_COOKIE = "_streamlit_xsrf"
NO_STORE = {"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer"}


def browser_id(cookie: str | None) -> str | None:
    """A hash of Streamlit's xsrf token bytes: the same across reloads of one browser."""
    token, _ = decode_xsrf_token_string(cookie or "")
    return hashlib.sha256(token).hexdigest() if token else None


async def download(request: Request) -> Response:
    found = tokens.take(request.path_params["token"], browser_id(request.cookies.get(XSRF_COOKIE)))
    if found is None:
        return PlainTextResponse("This download link has expired or is not yours. "
                                 "Go back to Reports and press the button again.",
                                 status_code=404, headers=NO_STORE)
    return Response(found.content, media_type=found.media_type, headers={
        **NO_STORE, "Content-Disposition": f"attachment; filename*=utf-8''{quote(found.filename, safe='')}"})


routes = [Route("/download/{token}", download, methods=["GET"])]
