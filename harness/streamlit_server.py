"""A real `streamlit run app.py` server on a free port, with WORKSHOP_* settings of the
caller's, logging to a file; the browser tests and the benches run the app this way."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from harness import ROOT
from harness.ports import free_port
from harness.processes import stop

PASSCODE = "test-river-001"  # the facilitator's passcode, unless the settings give another


@dataclass
class Server:
    url: str
    db_path: Path | str  # a DuckDB file, or the PostgreSQL URL
    log: Path
    process: subprocess.Popen
    own_group: bool = False  # started in a process group of its own: stop the whole group

    def stop(self, timeout: float = 10.0) -> None:
        """Stop the server, e.g. to read its DuckDB file (one process may hold it)."""
        stop(self.process, timeout, group=self.own_group)


def launch_streamlit(folder: Path, port: int | None = None, address: str | None = "127.0.0.1", *,
                     app_dir: Path = ROOT, log: Path | None = None, own_group: bool = False,
                     **settings: str) -> Server:
    """`streamlit run app.py` from `app_dir` on a free port (or `port`, to restart a server
    where it was) with these environment settings, not waiting for it; logs to `log`
    (default `folder/server-<port>.log`). `address=None` keeps config.toml's."""
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "WORKSHOP_PUBLIC_URL": url, "WORKSHOP_PASSCODE": PASSCODE, **settings}
    log = log or folder / f"server-{port}.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
             *(["--server.address", address] if address else []), "--server.headless", "true"],
            cwd=app_dir, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=own_group)
    return Server(url=url, db_path=settings.get("WORKSHOP_DATABASE_URL")
                  or settings.get("WORKSHOP_DB_PATH", ""), log=log, process=process, own_group=own_group)


def start_streamlit(folder: Path, port: int | None = None, address: str | None = "127.0.0.1",
                    **settings: str) -> Server:
    """`launch_streamlit`, then wait until healthy (60 s); stopped, and an error with its log, if not."""
    running = launch_streamlit(folder, port, address, **settings)
    if not healthy(running.url, running.process, seconds=60):
        running.stop()
        raise RuntimeError(f"streamlit did not start:\n{running.log.read_text()}")
    return running


def healthy(url: str, process: subprocess.Popen, seconds: float) -> bool:
    """Wait until Streamlit's health route answers at `url` (directly or through a proxy)."""
    deadline = time.monotonic() + seconds
    while process.poll() is None and time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.2)
    return False
