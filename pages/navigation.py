"""Which pages exist. Phones never come here: they use /join (see app.py)."""

import streamlit as st

st.set_page_config(page_title="IPNB live workshop", page_icon="🌊", layout="wide")

pages = [
    st.Page("facilitator.py", title="Facilitator", default=True),
    st.Page("projector.py", title="Projector", url_path="projector"),
]
st.navigation(pages, position="hidden").run()
