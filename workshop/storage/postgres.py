"""PostgreSQL shared by several app servers: a connection pool, and LISTEN/NOTIFY between them."""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from workshop.storage.protocol import CHANNEL, Rows

_log = logging.getLogger("workshop.database")


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

    def begin_erasure(self) -> None:
        """Nothing to note: the next delete or purge rewrites the same tables again."""

    def erasure_interrupted(self) -> bool:
        return False

    def finish_erasure(self, statements: Sequence[str]) -> None:
        """Run each statement (VACUUM FULL, CHECKPOINT); one the role may not run is skipped
        with a warning (CHECKPOINT needs superuser or pg_checkpoint)."""
        for sql in statements:
            try:
                self.outside_transaction(sql)
            except self._psycopg.errors.InsufficientPrivilege as exc:
                _log.warning("Could not run %s after an erasure (%s)", sql.split()[0], exc)

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
