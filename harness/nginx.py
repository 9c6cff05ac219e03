"""nginx from Debian in front of app servers, configured by the shipped sample.

Used by the two-server browser test and by the load bench, so both run the very
file `deploy/nginx-workshop.conf` that docs/scaling.md tells people to copy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from harness import ROOT
from harness.processes import stop
from harness.streamlit_server import healthy

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SAMPLE_CONFIG = ROOT / "deploy" / "nginx-workshop.conf"
SAMPLE_SERVERS = ("127.0.0.1:8501", "127.0.0.1:8502")


def nginx_config(folder: Path, port: int, servers: list[str],
                 worker_connections: int | None = None) -> Path:
    """The shipped sample, with free ports, inside a minimal main config of its own.

    `worker_connections` above the default 1024 (with the open-file limit to match) is for
    the bench, where every phone's long-poll holds two connections in nginx."""
    sample = SAMPLE_CONFIG.read_text(encoding="utf-8")
    for placeholder in SAMPLE_SERVERS:
        assert placeholder in sample, f"{SAMPLE_CONFIG} no longer names {placeholder}"
    sample = sample.replace(f"    server {SAMPLE_SERVERS[1]};\n", "")  # keep one line per upstream
    hosts = "".join(f"    server {url.removeprefix('http://')};\n" for url in servers)
    sample = sample.replace(f"    server {SAMPLE_SERVERS[0]};\n", hosts)
    assert "listen 8080;" in sample
    sample = sample.replace("listen 8080;", f"listen 127.0.0.1:{port};")
    (folder / "workshop.conf").write_text(sample, encoding="utf-8")
    temp = " ".join(f"{kind}_temp_path {folder / kind};"
                    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    limit = (f"worker_rlimit_nofile {2 * worker_connections + 200};\n" if worker_connections else "")
    main = (("user root;\n" if os.geteuid() == 0 else "")
            + f"worker_processes 1;\n{limit}pid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'};\n"
            + f"events {{ worker_connections {worker_connections or 1024}; }}\n"
            + f"http {{\n  {temp}\n  include {folder / 'workshop.conf'};\n}}\n")
    path = folder / "nginx.conf"
    path.write_text(main, encoding="utf-8")
    return path


def nginx_command(folder: Path, config: Path) -> list[str]:
    """nginx in the foreground (so that its process is the one to stop), rooted in `folder`."""
    return [NGINX, "-p", str(folder), "-c", str(config), "-g", "daemon off;"]


def start_nginx(folder: Path, port: int, servers: list[str]) -> tuple[str, subprocess.Popen]:
    """nginx with the sample config in front of these app servers (http://host:port each)."""
    config = nginx_config(folder, port, servers)
    process = subprocess.Popen(nginx_command(folder, config),
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    if not healthy(url, process, seconds=20):
        stop(process)
        raise RuntimeError(f"nginx did not start: {process.stderr.read().decode()}")
    return url, process
