"""Reading a database behind the store's back, to check what it really holds.

The throwaway PostgreSQL cluster the tests run on is harness/postgres.py's.
"""

from __future__ import annotations

from pathlib import Path

from workshop.storage.connections import connect


def read_database(target: str | Path, sql: str, params: tuple = ()) -> list[tuple]:
    """Rows read through a connection of the test's own, not the store's."""
    db = connect(target)
    try:
        return db.fetchall(sql, params)
    finally:
        db.close()
