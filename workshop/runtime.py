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
from workshop.access import Throttle, generate_passcode
from workshop.content import load_library
from workshop.database import describe
from workshop.service import Workshop
from workshop.store import Store

_lock = threading.Lock()
_workshop: Workshop | None = None
_generated_passcode: str | None = None
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


def replace(new: Workshop | None) -> None:
    """Point this process at another Workshop (tests use one on a temporary file)."""
    global _workshop
    with _lock:
        _workshop = new


def facilitator_passcode(from_secrets: str | None = None) -> str:
    """secrets.toml, else WORKSHOP_PASSCODE, else one generated now and printed once."""
    global _generated_passcode
    if from_secrets and from_secrets.strip():
        return from_secrets.strip()
    if config.passcode():
        return config.passcode()
    with _lock:
        if _generated_passcode is None:
            _generated_passcode = generate_passcode()
            message = (f"Facilitator passcode for this run: {_generated_passcode}  "
                       "(set WORKSHOP_PASSCODE or facilitator_passcode in .streamlit/secrets.toml "
                       "to choose your own)")
            print(message, flush=True)
        return _generated_passcode
