"""Settings, declared once: name, default and help.

Each setting is read from an environment variable; `st.secrets` is not used
here so that the phone routes and the tests see exactly the same values.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Setting:
    env: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("WORKSHOP_DB_PATH", "data/workshop.duckdb",
            "DuckDB file holding sessions and answers; relative paths are from the project folder."),
    Setting("WORKSHOP_DATABASE_URL", "",
            "Empty: keep everything in the DuckDB file at WORKSHOP_DB_PATH (one app server). "
            "postgresql://user:password@host:5432/dbname: a PostgreSQL database that several app "
            "servers share behind a load balancer (see docs/scaling.md)."),
    Setting("WORKSHOP_CONTENT_DIR", "content",
            "Folder with exercises/ and agendas/ YAML files."),
    Setting("WORKSHOP_PUBLIC_URL", "",
            "Base URL phones use to reach this server, e.g. https://workshop.example.org "
            "behind a reverse proxy. Empty: derived from this machine's LAN address and the server port."),
    Setting("WORKSHOP_REFRESH_SECONDS", "0.5",
            "How often the projector's live chart refreshes (at least 0.5). The facilitator's "
            "live panel refreshes every second, or at this pace if it is slower."),
    Setting("WORKSHOP_PURGE_TEXT_AFTER_DAYS", "",
            "Forget typed words and texts of sessions that ended more than this many days ago "
            "(checked at start). Empty: keep until an organiser deletes them."),
    Setting("WORKSHOP_PASSCODE", "",
            "Facilitator passcode for the facilitator, projector and report pages (also read from "
            "facilitator_passcode in .streamlit/secrets.toml). Empty: one is generated at the first "
            "start, printed once, and kept as a scrypt hash in WORKSHOP_PASSCODE_FILE."),
    Setting("WORKSHOP_PASSCODE_FILE", "data/facilitator-passcode.scrypt",
            "Where the generated passcode's scrypt hash is kept (mode 0600) when WORKSHOP_PASSCODE "
            "is empty; `python -m workshop.passcode_store new` makes a new passcode."),
    Setting("WORKSHOP_DOWNLOAD_LINK_SECONDS", "120",
            "How long a report download link works (three uses, from the facilitator's browser "
            "only). While the Reports page stays open it draws fresh links every half of this."),
    Setting("WORKSHOP_TRUSTED_PROXIES", "",
            "Addresses (or networks such as 10.0.0.0/24) of reverse proxies whose X-Forwarded-For "
            "header the phone routes believe, comma-separated, e.g. 127.0.0.1 for nginx on this "
            "machine. Empty: believe no one; rate limits count the connecting address."),
)


def _raw(env: str) -> str:
    for setting in SETTINGS:
        if setting.env == env:
            return os.environ.get(env, setting.default)
    raise KeyError(env)


def _project_path(value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else PROJECT_ROOT / path


def db_path() -> Path:
    return _project_path(_raw("WORKSHOP_DB_PATH"))


def database() -> str | Path:
    """What the store opens: the PostgreSQL URL if one is set, else the DuckDB file."""
    return _raw("WORKSHOP_DATABASE_URL").strip() or db_path()


def content_dir() -> Path:
    return _project_path(_raw("WORKSHOP_CONTENT_DIR"))


def public_url() -> str:
    return _raw("WORKSHOP_PUBLIC_URL").strip().rstrip("/")


def refresh_seconds() -> float:
    """The projector's refresh: a refresh that changed nothing is a few ms of the server's CPU
    (the step's figure is cached per change, bench/projector_tick.py), so twice a second puts
    an answer on the wall within ~0.6 s (docs/benchmarks.md)."""
    try:
        return max(0.5, float(_raw("WORKSHOP_REFRESH_SECONDS")))
    except ValueError:
        return 0.5


def facilitator_refresh_seconds() -> float:
    """The facilitator's live panel (counts, queue, cues): a heavier page than the projector's,
    on the facilitator's own laptop, where a second is soon enough."""
    return max(1.0, refresh_seconds())


def download_link_seconds() -> float:
    try:
        return max(2.0, float(_raw("WORKSHOP_DOWNLOAD_LINK_SECONDS")))
    except ValueError:
        return 120.0


def passcode() -> str:
    return _raw("WORKSHOP_PASSCODE").strip()


def passcode_file() -> Path:
    return _project_path(_raw("WORKSHOP_PASSCODE_FILE"))


def purge_text_after_days() -> int | None:
    raw = _raw("WORKSHOP_PURGE_TEXT_AFTER_DAYS").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise ValueError(f"WORKSHOP_PURGE_TEXT_AFTER_DAYS must be a whole number of days, got {raw!r}")
    return int(raw)


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_proxies() -> tuple[Network, ...]:
    """The proxies whose word on a phone's address counts; a typo stops the start, loudly."""
    raw = _raw("WORKSHOP_TRUSTED_PROXIES")
    try:
        return tuple(ipaddress.ip_network(item.strip(), strict=False)
                     for item in raw.split(",") if item.strip())
    except ValueError as exc:
        raise ValueError(f"WORKSHOP_TRUSTED_PROXIES must list IP addresses or networks: {exc}") from None
