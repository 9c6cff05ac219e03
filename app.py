"""Entry point: `streamlit run app.py`.

Serves the Streamlit pages (facilitator, projector) and, on the same port,
the lean phone page and its JSON API as plain Starlette routes.
"""

import streamlit as st
from starlette.middleware import Middleware

from ui.access import announce_passcode
from web import downloads
from web.headers import SecurityHeaders
from web.lifecycle import lifespan
from workshop.phone.routes import PhoneRoutes
from workshop.runtime import workshop

announce_passcode()  # with none configured, one is made at the first start and printed here
workshop()  # open the database and load content/ now, not on the first visitor
app = st.App("pages/navigation.py", routes=PhoneRoutes(workshop).routes() + downloads.routes,
             middleware=[Middleware(SecurityHeaders)], lifespan=lifespan)
