"""Streamlit building blocks shared by the pages. Only this package and pages/ import Streamlit."""
