"""The one Workshop of this server process, shared by pages and phone routes.

Streamlit runs each browser tab in its own thread and the phone routes in the
event loop, all in one process: they must share one store (DuckDB allows one
writing process per file) and one live board.
"""

from __future__ import annotations

import threading

from workshop import config
from workshop.content import load_library
from workshop.service import Workshop
from workshop.store import Store

_lock = threading.Lock()
_workshop: Workshop | None = None


def workshop() -> Workshop:
    global _workshop
    with _lock:
        if _workshop is None:
            _workshop = Workshop(Store(config.db_path()), load_library(config.content_dir()))
        return _workshop


def replace(new: Workshop | None) -> None:
    """Point this process at another Workshop (tests use one on a temporary file)."""
    global _workshop
    with _lock:
        _workshop = new
