"""The one Workshop of this server process, shared by pages and phone routes.

Streamlit runs each browser tab in its own thread and the phone routes in the
event loop, all in one process: they must share one store (DuckDB allows one
writing process per file; with PostgreSQL, one connection pool) and one live board.
"""

from __future__ import annotations

import threading

import logging
from datetime import datetime, timedelta, timezone

from workshop import config
from workshop import access
from workshop.access import Throttle
from workshop.content import load_library
from workshop.storage.connections import describe
from workshop.passcode_store import PasscodeFile
from workshop.service import Workshop
from workshop.storage.store import Store

_lock = threading.Lock()
_workshop: Workshop | None = None
_announced = False
passcode_throttle = Throttle()
_log = logging.getLogger("workshop")


def workshop() -> Workshop:
    global _workshop
    with _lock:
        if _workshop is None:
            target = config.database()
            _workshop = Workshop(Store(target), load_library(config.content_dir()))
            _log.warning("Sessions and answers are kept in the %s", describe(target))
            days = config.purge_text_after_days()
            if days is not None:
                cutoff = datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(days=days)
                purged = _workshop.purge_text_of_sessions_ended_before(cutoff)
                _log.warning("Purged typed text of %d session(s) ended over %d days ago", len(purged), days)
        return _workshop


def stopping() -> None:
    """The server is stopping: release every parked long-poll at once (see LiveBoard.close)."""
    current = _workshop
    if current is not None:
        current.board.close()


def close() -> None:
    """The server has stopped serving: write what is queued and close the database.

    The Workshop stays in place, closed, so a late caller gets an error rather than
    opening the database again.
    """
    with _lock:
        if _workshop is not None:
            _workshop.board.close()
            _workshop.store.close()


def replace(new: Workshop | None) -> None:
    """Point this process at another Workshop (tests use one on a temporary file)."""
    global _workshop
    with _lock:
        _workshop = new


def configured_passcode(from_secrets: str | None = None) -> str | None:
    """secrets.toml, else WORKSHOP_PASSCODE; None means the generated one (see passcode_store)."""
    if from_secrets and from_secrets.strip():
        return from_secrets.strip()
    return config.passcode() or None


def passcode_matches(attempt: str, from_secrets: str | None = None) -> bool:
    configured = configured_passcode(from_secrets)
    if configured is not None:
        return access.passcode_matches(configured, attempt)
    return PasscodeFile(config.passcode_file()).matches(attempt)


def announce_passcode(from_secrets: str | None = None) -> None:
    """At start: make and print a passcode if none is configured or kept; else say where it is."""
    global _announced
    with _lock:
        if _announced or configured_passcode(from_secrets) is not None:
            return
        _announced = True
        kept = PasscodeFile(config.passcode_file())
        rotate = "python -m workshop.passcode_store new"
        if kept.exists():
            made = datetime.fromtimestamp(kept.made_at()).strftime("%Y-%m-%d %H:%M")
            print(f"Facilitator passcode: the one printed when it was made ({made}); only its hash is "
                  f"kept, in {kept.path}. Lost it? Run `{rotate}`.", flush=True)
            return
        print(f"Facilitator passcode: {kept.new()}\n  Write it down: it is printed only now and "
              f"stays the same after restarts (only its hash is kept, in {kept.path}). For a new "
              f"one run `{rotate}`; to choose your own, set WORKSHOP_PASSCODE or "
              "facilitator_passcode in .streamlit/secrets.toml.", flush=True)
