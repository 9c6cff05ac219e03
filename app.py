"""Entry point: `streamlit run app.py`.

Serves the Streamlit pages (facilitator, projector) and, on the same port,
the lean phone page and its JSON API as plain Starlette routes.
"""

import streamlit as st

from workshop.phone.routes import PhoneRoutes
from workshop.runtime import workshop

app = st.App("pages/navigation.py", routes=PhoneRoutes(workshop).routes())
