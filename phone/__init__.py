"""The lean participant page and its JSON API, served beside Streamlit."""
