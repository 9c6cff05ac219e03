"""A throwaway PostgreSQL cluster on a loopback port, gone when its user ends; or fresh
databases on a server someone else runs.

The tests (one cluster a run) and the benches (one a run of theirs) both need one. Uses
Debian's `postgresql` package (`.ci/run` installs it). PostgreSQL refuses to run as root,
so as root the cluster runs as the `postgres` user the package creates.
"""

from __future__ import annotations

import atexit
import glob
import itertools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from harness.ports import free_port

ADMIN_DB = "postgres"


def find_bin() -> Path | None:
    """The newest installed server's bin folder, e.g. /usr/lib/postgresql/15/bin."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


class Cluster:
    """initdb + pg_ctl start on 127.0.0.1:<free port>; `database()` hands out fresh databases."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="workshop-pg-"))
        self.data = self.root / "data"
        self._names = itertools.count(1)
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--no-sync")
        options = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "log"),
                  "-w", "start")
        atexit.register(self.stop)

    def _run(self, tool: str, *args: str) -> None:
        command = [str(self.bin / tool), *args]
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def url(self, name: str = ADMIN_DB) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def database(self) -> str:
        """A new empty database, so each test (or bench run) starts from nothing."""
        import psycopg

        name = f"workshop_test_{next(self._names)}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def postmaster_pid(self) -> int:
        """The server's main process (first line of postmaster.pid), e.g. to sample its CPU."""
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def stop(self) -> None:
        """Stop and delete the cluster; also run at exit, so a crashed caller leaves none behind."""
        if not self.root.exists():
            return
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


@contextmanager
def throwaway_database() -> Iterator[str]:
    """The URL of a fresh database in a cluster of its own, stopped and deleted on exit (a
    bench's run); SystemExit naming the package when PostgreSQL is not installed."""
    bin_dir = find_bin()
    if bin_dir is None:
        raise SystemExit("PostgreSQL is not installed (apt-get install postgresql)")
    cluster = Cluster(bin_dir)
    try:
        yield cluster.database()
    finally:
        cluster.stop()


class ExternalServer:
    """A server someone else runs (WORKSHOP_TEST_DATABASE_URL): fresh databases on it."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._names = itertools.count(1)
        self._prefix = f"workshop_test_{os.getpid()}_"

    def database(self) -> str:
        import psycopg

        name = f"{self._prefix}{next(self._names)}"
        with psycopg.connect(self._url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self._url.rsplit("/", 1)[0] + "/" + name  # postgresql://user@host:port/<name>

    def stop(self) -> None:
        """Its databases stay; the server is not ours to stop."""
