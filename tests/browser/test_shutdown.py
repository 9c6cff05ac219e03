"""Stopping and starting real servers: Ctrl+C or SIGTERM stops one promptly with phones parked
and keeps every answer; a second one on the same DuckDB file says so and exits.

Parked long-polls used to hold uvicorn's graceful shutdown for their 25 s. The scenario is
bench/shutdown.py's (there with 1,000 phones: gone 0.3–0.8 s after the signal on 2 cores, was 23 s);
here 300 phones keep the test short. No browser: the phones speak the HTTP API.
"""

import os
import signal
import subprocess
import sys

import pytest

from bench.shutdown import run
from harness import ROOT
from harness.content import copy_content_with_all_types
from harness.ports import free_port
from harness.streamlit_server import PASSCODE, start_streamlit

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_the_server_stops_within_two_seconds_with_300_phones_parked(tmp_path, sig):
    outcome = run(tmp_path, phones=300, answering=150, sig=sig)
    print(outcome.summary())
    assert outcome.exit_seconds < 2.0, outcome.summary()
    # Every parked poll was answered (the phone polls again, then retries until the server
    # is back) or saw its connection close; none was left hanging.
    assert set(outcome.polls) <= {"200", "closed"}, outcome.summary()
    assert outcome.poll_end_seconds < 5.0, outcome.summary()
    # Answers sent around the signal: each one acknowledged is in the file after the exit.
    assert outcome.acknowledged, outcome.summary()
    assert outcome.lost == [], outcome.summary()
    log = next(tmp_path.glob("server-*.log")).read_text()
    assert "Stopped: the database is closed" in log and "Traceback" not in log, log


def test_a_second_server_on_the_same_file_says_so_in_one_line_and_exits_with_code_1(tmp_path):
    content = copy_content_with_all_types(tmp_path / "content")
    settings = {"WORKSHOP_DB_PATH": str(tmp_path / "workshop.duckdb"), "WORKSHOP_CONTENT_DIR": str(content)}
    first = start_streamlit(tmp_path, **settings)
    try:
        second = subprocess.run(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(free_port()),
             "--server.headless", "true"],
            cwd=ROOT, env={**os.environ, "WORKSHOP_PASSCODE": PASSCODE, **settings},
            capture_output=True, text=True, timeout=60)
        assert first.process.poll() is None  # the first one serves on
    finally:
        first.stop()
    output = second.stdout + second.stderr
    assert second.returncode == 1, output
    line = (f"The database file {settings['WORKSHOP_DB_PATH']} is in use by another running server "
            f"(PID {first.process.pid}). Stop that server first, or set WORKSHOP_DB_PATH to another file.")
    assert line in output.splitlines(), output
    assert "Traceback" not in output and "IOException" not in output, output
