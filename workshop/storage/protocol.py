"""What a database connection offers the store, whichever of the two it is.

The store writes its SQL once, with `?` placeholders; a connection only carries it to a
database: how to read, how to run a transaction, how to tell other app servers that
something changed, and how to hear about it. Every SQL statement stays in
`workshop/storage/store.py` and `schema.py`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Protocol


Rows = list[tuple[Any, ...]]

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

    def begin_erasure(self) -> None:
        """Before a delete or purge: remember that freed rows must leave the files, so that
        a crash before `finish_erasure` is finished at the next open."""

    def finish_erasure(self, statements: Sequence[str]) -> None:
        """After a delete or purge: rewrite storage so the removed values are in no file."""

    def erasure_interrupted(self) -> bool:
        """Whether the last run died between `begin_erasure` and the end of `finish_erasure`."""

    def listen(self, callback: Callable[[str | None], None]) -> None:
        """Call back with each payload other servers notify; None means "you may have missed some"."""

    def close(self) -> None: ...


class DatabaseInUse(Exception):
    """The DuckDB file is locked by another process, most likely a server already running on it.

    DuckDB lets one process open a file for writing. Its own error is a traceback naming the
    holder's Python binary; this says what to do instead, in one line.
    """

    def __init__(self, path: str | Path, pid: int | None) -> None:
        self.path = Path(path)
        self.pid = pid
        holder = "another running server" + (f" (PID {pid})" if pid is not None else "")
        super().__init__(f"The database file {path} is in use by {holder}. Stop that server first, "
                         "or set WORKSHOP_DB_PATH to another file.")


_LOCK_HOLDER = re.compile(r"Conflicting lock is held in .*?\(PID (\d+)\)")


def lock_holder(message: str) -> int | None:
    """The PID in DuckDB's "Conflicting lock is held in /usr/bin/python3 (PID 1234)", if given."""
    found = _LOCK_HOLDER.search(message)
    return int(found.group(1)) if found else None


