"""What the report says about the machine (CPU, memory, package and tool versions, git state),
and the file-descriptor limit a thousand phones need."""

from __future__ import annotations

import contextlib
import os
import platform
import resource
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

from bench.load.settings import ROOT
from harness.chromium import CHROMIUM


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=20,
                          check=False).stdout


def machine() -> dict[str, Any]:
    cpu = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    versions = {}
    for name in ("streamlit", "uvicorn", "starlette", "anyio", "h11", "httptools", "uvloop",
                 "duckdb", "psycopg", "psycopg-pool", "httpx", "httpcore", "playwright", "plotly"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    chromium = None
    with contextlib.suppress(Exception):
        chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=20,
                                  check=False).stdout.strip()
    tools = {}
    postgres = sorted(Path("/usr/lib/postgresql").glob("*/bin/postgres"))
    for name, command in (("nginx", ["nginx", "-v"]), ("postgres", [str(postgres[-1]) if postgres else "postgres", "-V"])):
        with contextlib.suppress(Exception):
            done = subprocess.run(command, capture_output=True, text=True, timeout=20, check=False)
            tools[name] = (done.stdout + done.stderr).strip()
    git: dict[str, Any] = {}
    with contextlib.suppress(Exception):
        git["commit"] = _git("rev-parse", "--short", "HEAD").strip()
        git["uncommitted"] = _git("status", "--porcelain").splitlines()
        git["diff_stat"] = _git("diff", "HEAD", "--stat").splitlines()
    return {"git": git, "nproc": os.cpu_count(), "cpu_model": cpu, "mem_gb": round(mem_kb / 1024 / 1024, 1),
            "kernel": platform.release(), "python": platform.python_version(),
            "packages": versions, "chromium": chromium, "tools": tools,
            "nofile_limit": resource.getrlimit(resource.RLIMIT_NOFILE)}


def raise_fd_limit() -> tuple[int, int]:
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        target = hard if hard != resource.RLIM_INFINITY else 1_048_576
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)
