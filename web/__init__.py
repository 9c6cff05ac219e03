"""Web layer of the Streamlit side (Starlette middleware); `workshop/` stays framework-free."""
