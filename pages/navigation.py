"""Which pages exist and who may see them. Phones never come here: they use /join (see app.py)."""

import streamlit as st

from ui.access import is_facilitator, opens_projector_with_key, sign_in_form

st.set_page_config(page_title="IPNB live workshop", page_icon="🌊", layout="wide")

facilitator = st.Page("facilitator.py", title="Facilitator", default=True)
projector = st.Page("projector.py", title="Projector", url_path="projector")
reports = st.Page("reports.py", title="Reports", url_path="reports")
agendas = st.Page("agendas.py", title="Agenda builder", url_path="agendas")
page = st.navigation([facilitator, projector, reports, agendas], position="hidden")

if is_facilitator() or (page.url_path == projector.url_path and opens_projector_with_key()):
    page.run()
else:
    sign_in_form()
