"""The servers of one run: app servers (`streamlit run app.py`), a throwaway PostgreSQL cluster
and nginx in front when asked; their logs, and the answers they stored."""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import re
import subprocess
from pathlib import Path
from typing import Any

import duckdb

from bench.load.settings import BENCH_PASSCODE, HOST, RESULTS, SERVER_STOP_SECONDS, Settings
from harness.nginx import nginx_command, nginx_config
from harness.ports import free_port
from harness.processes import stop
from harness.streamlit_server import Server, healthy, launch_streamlit


def start_server(app_dir: Path, folder: Path, port: int, log: Path, server_env: dict[str, str],
                 database_url: str | None = None, public_url: str | None = None) -> Server:
    """`python -m streamlit run app.py` from `app_dir` in its own process group, not yet ready;
    on a DuckDB file in `folder`, or the PostgreSQL database every server of the run shares.
    With nginx in front (`public_url`), the join links point at it."""
    server = launch_streamlit(
        folder, port, HOST, app_dir=app_dir, log=log, own_group=True,
        WORKSHOP_DB_PATH=str(folder / "workshop.duckdb"), WORKSHOP_DATABASE_URL=database_url or "",
        WORKSHOP_CONTENT_DIR=str(app_dir / "content"), WORKSHOP_PUBLIC_URL=public_url or f"http://{HOST}:{port}",
        WORKSHOP_PASSCODE=BENCH_PASSCODE, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",
        STREAMLIT_SERVER_FILE_WATCHER_TYPE="none", **server_env)
    atexit.register(server.stop, SERVER_STOP_SECONDS)
    return server


async def wait_ready(server: Server, timeout: float) -> None:
    """Until the server answers its health route (polled in a thread, so the loop runs on)."""
    if not await asyncio.to_thread(healthy, server.url, server.process, timeout):
        raise RuntimeError(f"streamlit did not start:\n{server.log.read_text(errors='replace')[-3000:]}")


class Nginx:
    """Debian's nginx in front of the app servers, with the shipped sample config
    (deploy/nginx-workshop.conf, put together by harness/nginx.py) and one change: more
    `worker_connections` than the test's 1024, since every phone's long-poll holds two
    connections in nginx (the phone's and the upstream one)."""

    def __init__(self, folder: Path, port: int, servers: list[str], worker_connections: int) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.url = f"http://{HOST}:{port}"
        config = nginx_config(folder, port, servers, worker_connections)
        self.command = nginx_command(folder, config)
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        with (self.folder / "stderr.log").open("wb") as err:
            self.process = subprocess.Popen(self.command, stdout=subprocess.DEVNULL, stderr=err,
                                            start_new_session=True)
        atexit.register(self.stop)

    async def wait_ready(self, timeout: float = 20.0) -> None:
        if not await asyncio.to_thread(healthy, self.url, self.process, timeout):
            raise RuntimeError(f"nginx did not start: {(self.folder / 'stderr.log').read_text(errors='replace')}"
                               f"{self.error_log()[-2000:]}")

    def error_log(self) -> str:
        path = self.folder / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        process, self.process = self.process, None
        stop(process, 10)  # our own nginx master, started above


def log_lines(text: str, pattern: str) -> dict[str, Any]:
    lines = [line for line in text.splitlines() if re.search(pattern, line)]
    return {"lines": len(lines), "first": sorted(set(lines))[:10]}


def log_problems(log_path: Path) -> dict[str, Any]:
    text = log_path.read_text(errors="replace") if log_path.exists() else ""
    lines = text.splitlines()
    errors = [line for line in lines if re.search(r"\b(ERROR|Error|Exception)\b", line)]
    return {"tracebacks": text.count("Traceback (most recent call last)"),
            "error_lines": len(errors),
            "first_errors": sorted(set(errors))[:10]}


def read_answers(target: Path | str, code: str) -> tuple[list[tuple[Any, ...]], int]:
    """The stored answers and participants of the session: from the DuckDB file, or from
    PostgreSQL (a connection of the bench's own) when `target` is a postgresql:// URL."""
    if isinstance(target, str):
        import psycopg

        with psycopg.connect(target) as pg:
            rows = pg.execute("SELECT step_index, token, value_json, passed, revisions FROM answers "
                              "WHERE session_code = %s", [code]).fetchall()
            participants = pg.execute("SELECT count(*) FROM participants WHERE session_code = %s",
                                      [code]).fetchone()[0]
        return rows, participants
    with duckdb.connect(str(target), read_only=True) as conn:
        rows = conn.execute(
            "SELECT step_index, token, value_json, passed, revisions FROM answers WHERE session_code = ?",
            [code]).fetchall()
        participants = conn.execute(
            "SELECT count(*) FROM participants WHERE session_code = ?", [code]).fetchone()[0]
    return rows, participants


class Stack:
    """The servers of one N, started one after the other (the first creates the tables), the
    PostgreSQL cluster first and nginx last; logs go to bench/results/<prefix>-*.log."""

    def __init__(self, settings: Settings, app_dir: Path, folder: Path, prefix: str) -> None:
        self.settings, self.app_dir, self.folder, self.prefix = settings, app_dir, folder, prefix
        self.cluster: Any = None
        self.database_url: str | None = None
        self.nginx: Nginx | None = None
        self.nginx_port = free_port() if settings.nginx else None
        self.public_url = f"http://{HOST}:{self.nginx_port}" if self.nginx_port else None
        self.servers: list[Server] = []
        self.others: dict[str, int] = {}  # PostgreSQL's postmaster and nginx's master, sampled apart

    async def start(self) -> None:
        s = self.settings
        if s.database == "postgresql":
            from harness.postgres import Cluster, find_bin

            bin_dir = find_bin()
            if bin_dir is None:
                raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
            self.cluster = Cluster(bin_dir)
            atexit.register(self.cluster.stop)
            self.database_url = self.cluster.database()
            self.others["postgres"] = self.cluster.postmaster_pid()
        ports: set[int] = {self.nginx_port} if self.nginx_port else set()
        for i in range(s.servers):
            port = free_port()
            while port in ports:
                port = free_port()
            ports.add(port)
            name = "server" if s.servers == 1 else f"server{i + 1}"
            self.servers.append(start_server(self.app_dir, self.folder, port, RESULTS / f"{self.prefix}-{name}.log",
                                             s.server_environment(), database_url=self.database_url,
                                             public_url=self.public_url))
            await wait_ready(self.servers[-1], 90)
        if self.nginx_port is not None:
            self.nginx = Nginx(self.folder / "nginx", self.nginx_port, [v.url for v in self.servers],
                               s.nginx_worker_connections)
            self.nginx.start()
            await self.nginx.wait_ready()
            self.others["nginx"] = self.nginx.process.pid

    @property
    def phones_base(self) -> str:
        """Where the phones go: nginx when it runs, else the one server."""
        return self.nginx.url if self.nginx is not None else self.servers[0].url

    @property
    def database(self) -> Path | str:
        """What read_answers reads: the PostgreSQL URL or the DuckDB file."""
        return self.database_url or self.folder / "workshop.duckdb"

    def stop_servers(self, result: dict[str, Any]) -> None:
        """Stop nginx and the app servers; their logs' errors go into `result`."""
        if self.nginx is not None:
            self.nginx.stop()
            text = self.nginx.error_log()
            (RESULTS / f"{self.prefix}-nginx-error.log").write_text(text)
            result["nginx_log"] = log_lines(text, r"\[(error|crit|alert|emerg)\]")
        for server in self.servers:
            server.stop(SERVER_STOP_SECONDS)
        logs = [log_problems(v.log) for v in self.servers]
        result["server_log"] = logs[0] if len(logs) == 1 else {
            "tracebacks": sum(g["tracebacks"] for g in logs), "error_lines": sum(g["error_lines"] for g in logs),
            "first_errors": [e for g in logs for e in g["first_errors"]][:10], "per_server": logs}

    def stop_database(self, result: dict[str, Any]) -> None:
        """Stop the PostgreSQL cluster, once the stored answers are read; keep its log."""
        if self.cluster is None:
            return
        with contextlib.suppress(OSError):
            text = (self.cluster.root / "log").read_text(errors="replace")
            (RESULTS / f"{self.prefix}-postgres.log").write_text(text)
            result["postgres_log"] = log_lines(text, r"\b(ERROR|FATAL|PANIC|WARNING):")
        atexit.unregister(self.cluster.stop)
        with contextlib.suppress(Exception):
            self.cluster.stop()
