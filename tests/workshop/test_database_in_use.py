"""A second process on a DuckDB file that a server holds gets one clear sentence, not DuckDB's traceback."""

import subprocess
import sys
import textwrap

import pytest

from harness import ROOT
from workshop.storage.protocol import DatabaseInUse, lock_holder
from workshop.storage.store import Store

HOLD = textwrap.dedent("""
    import sys, time
    from workshop.storage.store import Store
    store = Store(sys.argv[1])
    print("holding", flush=True)
    time.sleep(60)
""")


def test_opening_a_file_another_process_holds_names_that_process(tmp_path):
    path = tmp_path / "workshop.duckdb"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "holding"
        with pytest.raises(DatabaseInUse) as info:
            Store(path)
    finally:
        holder.kill()
        holder.wait()
    assert info.value.pid == holder.pid and info.value.path == path
    assert str(info.value) == (f"The database file {path} is in use by another running server "
                               f"(PID {holder.pid}). Stop that server first, or set WORKSHOP_DB_PATH "
                               "to another file.")
    Store(path).close()  # free again once the holder is gone


def test_without_a_pid_in_duckdbs_message_the_sentence_says_only_another_server():
    message = ('IO Error: Could not set lock on file "/x/workshop.duckdb": Conflicting lock is held '
               'in /usr/bin/python3.11 (PID 4321). See also https://duckdb.org/docs/current/connect/concurrency')
    assert lock_holder(message) == 4321
    assert lock_holder('IO Error: Could not set lock on file "/x/workshop.duckdb": Resource busy') is None
    assert str(DatabaseInUse("data/workshop.duckdb", None)) == (
        "The database file data/workshop.duckdb is in use by another running server. "
        "Stop that server first, or set WORKSHOP_DB_PATH to another file.")
