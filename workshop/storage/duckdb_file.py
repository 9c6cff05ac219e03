"""The embedded DuckDB file: one process, a gate for the erasure rewrite, and the file swap."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from workshop.storage.protocol import DatabaseInUse, Rows, lock_holder

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


class _Gate:
    """Many readers at once, or one holder alone (the file swap); a waiting swap goes first.

    Not re-entrant: a thread holding the gate must not ask for it again.
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._alone = False
        self._waiting = 0

    @contextmanager
    def shared(self) -> Iterator[None]:
        with self._cond:
            while self._alone or self._waiting:
                self._cond.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                if not self._readers:
                    self._cond.notify_all()

    @contextmanager
    def alone(self) -> Iterator[None]:
        with self._cond:
            self._waiting += 1
            while self._alone or self._readers:
                self._cond.wait()
            self._waiting -= 1
            self._alone = True
        try:
            yield
        finally:
            with self._cond:
                self._alone = False
                self._cond.notify_all()


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)


def _fsync(path: Path, directory: bool = False) -> None:
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if directory else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _held_elsewhere(path: Path) -> bool:
    """Whether a file descriptor of this process still has `path` open (Linux's /proc).

    DuckDB keeps one database instance per file and process: had another connection
    opened this file, closing ours would not close it, and reopening after the swap
    would hand back that instance, still writing to the replaced file.
    """
    try:
        fds = os.listdir("/proc/self/fd")
    except OSError:
        return False
    target = str(path.resolve())
    for fd in fds:
        try:
            if os.readlink(f"/proc/self/fd/{fd}") == target:
                return True
        except OSError:
            continue
    return False


class DuckDBDatabase:
    """One connection per process; a cursor per thread (DuckDB cursors are not shared
    between threads); one lock around writes so upserts never interleave.

    An erasure replaces the file by a fresh copy (`finish_erasure`); a gate keeps every
    reader and writer out meanwhile, and a generation number gives each thread a cursor
    of the new connection afterwards.
    """

    dialect = "duckdb"
    REWRITE_ALIAS = "workshop_rewrite"

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._memory = str(path) == ":memory:"
        self._interrupted = False
        if not self._memory:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._conn = duckdb.connect(str(path))
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            raise DatabaseInUse(path, lock_holder(str(exc))) from None
        if not self._memory:
            # A rewrite that died: its copy may be half-written, so it is deleted, never
            # used; the original file is intact, and the erasure is done again at open.
            # Only once the file's lock is ours: the server holding it may be rewriting.
            self._interrupted = self._pending.exists() or self._temp.exists()
            _remove(self._temp)
            _remove(_wal(self._temp))
        self._write_lock = threading.Lock()
        self._gate = _Gate()
        self._generation = 0
        self._local = threading.local()

    @property
    def _temp(self) -> Path:
        """Where the fresh copy is written before it replaces the file."""
        return self.path.with_name(self.path.name + ".rewrite")

    @property
    def _pending(self) -> Path:
        """Exists from `begin_erasure` until the fresh copy has replaced the file."""
        return self.path.with_name(self.path.name + ".erasing")

    def _cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor of the current connection; call it inside the gate."""
        local = self._local
        if getattr(local, "generation", None) != self._generation:
            local.cursor = self._conn.cursor()
            local.generation = self._generation
        return local.cursor

    def fetchall(self, sql: str, params: Sequence[Any] = ()) -> Rows:
        with self._gate.shared():
            return self._cursor().execute(sql, list(params) if params else None).fetchall()

    @contextmanager
    def transaction(self) -> Iterator[_DuckDBTransaction]:
        with self._write_lock, self._gate.shared():
            cursor = self._cursor()
            cursor.execute("BEGIN TRANSACTION")
            try:
                yield _DuckDBTransaction(cursor)
            except BaseException:
                cursor.execute("ROLLBACK")
                raise
            cursor.execute("COMMIT")

    def outside_transaction(self, sql: str) -> None:
        with self._write_lock, self._gate.shared():
            self._cursor().execute(sql)

    def begin_erasure(self) -> None:
        if not self._memory:
            self._pending.touch()
            _fsync(self.path.parent, directory=True)

    def erasure_interrupted(self) -> bool:
        return self._interrupted

    def finish_erasure(self, statements: Sequence[str]) -> None:
        """Copy the live rows into a fresh file and swap it in: DuckDB does not zero the
        blocks it frees, so deleted values stay in the old file until it is gone.

        `statements` copy the data, with `{old}` and `{new}` for the two databases. Readers
        and writers wait meanwhile (nothing is lost, nothing is read from a closed
        connection). The copy is complete and fsynced before `os.replace` swaps it in,
        so a crash at any point leaves either the old file or the new one.
        """
        if self._memory:
            return
        with self._write_lock, self._gate.alone():
            temp = self._temp
            _remove(temp)
            _remove(_wal(temp))
            cursor = self._conn.cursor()
            try:
                [[name]] = cursor.execute("SELECT current_database()").fetchall()
                cursor.execute(f"ATTACH {_literal(str(temp))} AS {self.REWRITE_ALIAS}")
                try:
                    for sql in statements:
                        cursor.execute(sql.format(old=_identifier(name), new=self.REWRITE_ALIAS))
                finally:
                    cursor.execute(f"DETACH {self.REWRITE_ALIAS}")  # writes the copy out
            except BaseException:
                cursor.close()
                _remove(temp)
                _remove(_wal(temp))
                raise
            cursor.close()
            _fsync(temp)
            self._conn.close()  # closes every thread's cursor too
            self._generation += 1
            try:
                if _held_elsewhere(self.path):
                    _remove(temp)
                    raise RuntimeError(f"another connection in this process holds {self.path}; "
                                       "it was not rewritten")
                _remove(_wal(self.path))  # closing checkpointed it; its rows are in the copy
                os.replace(temp, self.path)
                _fsync(self.path.parent, directory=True)
            finally:
                self._conn = duckdb.connect(str(self.path))
            _remove(self._pending)
            self._interrupted = False

    def listen(self, callback: Callable[[str | None], None]) -> None:
        """Nothing to hear: no other process may write this file."""

    def close(self) -> None:
        with self._write_lock, self._gate.alone():
            self._conn.close()


def _wal(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _literal(text: str) -> str:
    """A SQL string literal (ATTACH takes no parameters)."""
    return "'" + text.replace("'", "''") + "'"


def _identifier(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


