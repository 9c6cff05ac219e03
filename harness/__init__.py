"""Machinery that the tests and the benches share: free ports, stopping processes, a throwaway
PostgreSQL cluster, nginx with the shipped config, a `streamlit run app.py` server, Debian's
headless Chromium and content with an agenda of every question type.

It lives apart from both so that neither imports the other, and imports neither `tests`
nor `bench` itself (tests/test_layers.py checks).
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # the repository: where `streamlit run app.py` runs
