"""Ctrl+C or SIGTERM stops a real server promptly with phones parked, and keeps every answer.

Parked long-polls used to hold uvicorn's graceful shutdown for their 25 s. The scenario is
bench/shutdown.py's (there with 1,000 phones: gone 0.3–0.8 s after the signal on 2 cores, was 23 s);
here 300 phones keep the test short. No browser: the phones speak the HTTP API.
"""

import signal

import pytest

from bench.shutdown import run

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
