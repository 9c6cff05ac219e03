"""The load bench refuses a latency its own event loop could have made (bench/load/tables.py):
when the bench's loop lag p95 is over 10 % of a value, the table says "lag", not the number."""

from bench.load.tables import table, timed


def test_a_value_ten_times_the_lag_is_reported_and_a_smaller_one_is_not():
    d = {"p50": 0.004, "p95": 0.05, "max": 0.2}
    assert timed(d, 0.004, "p50", "p95", "max", scale=1000, digits=0) == "lag / 50 / 200"
    assert timed(d, 0.0001, "p50", "p95", scale=1000, digits=0) == "4 / 50"
    assert timed(d, None, "p50") == "0.00"   # no lag measured: nothing to refuse on


def test_the_run_table_shows_the_lag_and_refuses_what_it_spoils():
    run = {"n": 1000, "connected": 1000, "answers_sent": 7000, "answers_stored": 7000, "answers_verified": 7000,
           "submit_to_counted": {"p50": 0.6, "p95": 1.2, "max": 2.0},
           "next_to_phone": {"p50": 0.2, "p95": 0.4, "max": 0.9},
           "submit": {"p50": 0.01, "p95": 0.3, "max": 0.8},
           "bench_loop_lag": {"p95": 0.025, "max": 0.12}}
    row = table([run]).splitlines()[2].split(" | ")
    assert row[3:6] == ["0.60 / 1.20 / 2.00", "lag / 0.40 / 0.90", "lag / 300 / 800"]
    assert "25.0 / 120.0" in row
