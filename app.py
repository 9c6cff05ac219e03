"""Entry point: `streamlit run app.py`.

Serves the Streamlit pages (facilitator, projector) and, on the same port,
the lean phone page and its JSON API as plain Starlette routes.
"""

import sys

import streamlit as st
from starlette.middleware import Middleware

from ui.access import announce_passcode
from web import downloads
from web.headers import SecurityHeaders
from web.fastpath import PhoneRoutesFirst
from web.lifecycle import CloseWhenStopping, lifespan
from workshop.storage.protocol import DatabaseInUse
from phone.routes import PhoneRoutes
from workshop.runtime import workshop

try:
    workshop()  # open the database and load content/ now, not on the first visitor
except DatabaseInUse as exc:  # a second server on the same DuckDB file
    # uvicorn imports this module inside `streamlit run`; SystemExit passes through both, so
    # the process ends with code 1 and this one line, no traceback (tests/browser/test_shutdown.py).
    print(exc, file=sys.stderr, flush=True)
    sys.exit(1)
announce_passcode()  # with none configured, one is made at the first start and printed here
# The phone's routes answer ahead of Streamlit's middleware (web/fastpath.py); the
# facilitator's downloads go through it, with its session cookie.
app = st.App("pages/navigation.py", routes=downloads.routes,
             middleware=[Middleware(CloseWhenStopping), Middleware(SecurityHeaders),
                         Middleware(PhoneRoutesFirst, routes=PhoneRoutes(workshop).routes())],
             lifespan=lifespan)
