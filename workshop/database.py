"""Connections to the two databases the store can use: an embedded DuckDB file or PostgreSQL.

The store writes its SQL once, with `?` placeholders; these classes only carry
it to a database: how to read, how to run a transaction, how to tell other app
servers that something changed, and how to hear about it. Every SQL statement
stays in `workshop/store.py`.
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

import duckdb

Rows = list[tuple[Any, ...]]
_log = logging.getLogger("workshop.database")

# The one NOTIFY channel every app server listens on.
CHANNEL = "workshop_changes"


class Transaction(Protocol):
    def execute(self, sql: str, params: Sequence[Any] = ()) -> Rows: ...

    def notify(self, payload: str) -> None:
        """Tell the other app servers, once this transaction commits."""


class Database(Protocol):
    dialect: str

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> Rows: ...

    def transaction(self) -> Any:
        """A context manager yielding a `Transaction`; commits on exit, rolls back on error."""

    def outside_transaction(self, sql: str) -> None:
        """Maintenance that may not run inside a transaction (CHECKPOINT, VACUUM)."""

    def listen(self, callback: Callable[[str | None], None]) -> None:
        """Call back with each payload other servers notify; None means "you may have missed some"."""

    def close(self) -> None: ...


def is_postgres_url(target: str | Path) -> bool:
    return str(target).startswith(("postgresql://", "postgres://"))


def connect(target: str | Path) -> Database:
    """A DuckDB file path (the default) or a postgresql:// URL."""
    if is_postgres_url(target):
        return PostgresDatabase(str(target))
    return DuckDBDatabase(target)


def describe(target: str | Path) -> str:
    """For logs and pages: where the data is, without a password."""
    if not is_postgres_url(target):
        return f"DuckDB file {target}"
    from psycopg.conninfo import conninfo_to_dict

    info = conninfo_to_dict(str(target))
    return (f"PostgreSQL database {info.get('dbname', '?')} on "
            f"{info.get('host', 'localhost')}:{info.get('port', 5432)}")


# -- DuckDB ---------------------------------------------------------------------------
class _DuckDBTransaction:
    def __init__(self, cursor: duckdb.DuckDBPyConnection) -> None:
        self._cursor = cursor

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Rows:
        if params:
            self._cursor.execute(sql, list(params))
        else:
            self._cursor.execute(sql)  # may hold several statements (migrations)
        try:
            return self._cursor.fetchall()
        except duckdb.InvalidInputError:  # a statement that returns nothing
            return []

    def notify(self, payload: str) -> None:
        """One process owns a DuckDB file, so there is nobody else to tell."""


class DuckDBDatabase:
    """One connection per process; a cursor per thread (DuckDB cursors are not shared
    between threads); one lock around writes so upserts never interleave."""

    dialect = "duckdb"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = duckdb.connect(str(path))
        self._write_lock = threading.Lock()
        self._local = threading.local()

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        cursor = getattr(self._local, "cursor", None)
        if cursor is None:
            cursor = self._local.cursor = self._conn.cursor()
        return cursor

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> Rows:
        return self._cursor().execute(sql, list(params) if params else None).fetchall()

    @contextmanager
    def transaction(self) -> Iterator[_DuckDBTransaction]:
        with self._write_lock:
            cursor = self._cursor()
            cursor.execute("BEGIN TRANSACTION")
            try:
                yield _DuckDBTransaction(cursor)
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            cursor.execute("COMMIT")

    def outside_transaction(self, sql: str) -> None:
        self._cursor().execute(sql)

    def listen(self, callback: Callable[[str | None], None]) -> None:
        """Nothing to hear: no other process may write this file."""

    def close(self) -> None:
        self._conn.close()


# -- PostgreSQL --------------------------------------------------------------------------
@functools.lru_cache(maxsize=512)
def _postgres_sql(sql: str) -> str:
    """The store's `?` placeholders as psycopg's `%s` (a literal % doubled)."""
    return sql.replace("%", "%%").replace("?", "%s")


class _PostgresTransaction:
    def __init__(self, conn: Any) -> None:
        self._conn = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Rows:
        cursor = (self._conn.execute(_postgres_sql(sql), list(params)) if params
                  else self._conn.execute(sql))  # no parameters: may hold several statements
        return cursor.fetchall() if cursor.description is not None else []

    def notify(self, payload: str) -> None:
        self._conn.execute("SELECT pg_notify(%s, %s)", [CHANNEL, payload])


def _deliver(callback: Callable[[str | None], None], payload: str | None) -> None:
    try:
        callback(payload)
    except Exception:  # a failing handler must not end the listener
        _log.exception("Handling a change notification failed")


class PostgresDatabase:
    """A psycopg 3 connection pool, and one extra connection per process that LISTENs."""

    dialect = "postgresql"
    RECONNECT_SECONDS = 1.0

    def __init__(self, url: str, pool_size: int = 8) -> None:
        import psycopg
        from psycopg_pool import ConnectionPool

        self._psycopg = psycopg
        self.url = url
        self._pool = ConnectionPool(url, min_size=2, max_size=pool_size, open=True,
                                    kwargs={"autocommit": True}, name="workshop")
        self._pool.wait(timeout=10)
        self._stopping = threading.Event()
        self._listener: threading.Thread | None = None

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> Rows:
        with self._pool.connection() as conn:
            cursor = conn.execute(_postgres_sql(sql), list(params)) if params else conn.execute(sql)
            return cursor.fetchall()

    @contextmanager
    def transaction(self) -> Iterator[_PostgresTransaction]:
        with self._pool.connection() as conn, conn.transaction():
            yield _PostgresTransaction(conn)

    def outside_transaction(self, sql: str) -> None:
        with self._pool.connection() as conn:
            conn.execute(sql)

    def listen(self, callback: Callable[[str | None], None]) -> None:
        self._listener = threading.Thread(target=self._listen, args=(callback,),
                                          name="postgres-listener", daemon=True)
        self._listener.start()

    def _listen(self, callback: Callable[[str | None], None]) -> None:
        """Hold a LISTEN connection; after a drop, reconnect and say events may have been missed."""
        first = True
        while not self._stopping.is_set():
            try:
                with self._psycopg.connect(self.url, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    if not first:
                        _deliver(callback, None)
                    first = False
                    while not self._stopping.is_set():
                        for note in conn.notifies(timeout=0.2):
                            _deliver(callback, note.payload)
            except self._psycopg.OperationalError as exc:
                if self._stopping.is_set():
                    return
                _log.warning("Lost the PostgreSQL LISTEN connection (%s); reconnecting", exc)
                first = False
                time.sleep(self.RECONNECT_SECONDS)

    def close(self) -> None:
        self._stopping.set()
        if self._listener is not None:
            self._listener.join(timeout=5)
        self._pool.close()
