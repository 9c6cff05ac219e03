"""What one phone request costs the server, all in: HTTP parsing, middleware, routing, our code.

`python -m bench.plumbing --requests 20000 --connections 50` prepares a session on a fresh
DuckDB file (step 1 shown, results shared with phones), starts `streamlit run app.py` on it,
joins the phones through the API, then sends each kind of request as fast as the server
answers, over `--connections` kept-alive connections (bench/load/wire.py, as phones hold them):

* **live, at once**: `GET /api/live` without `since`, answered at once with the live view
  (the reply a woken phone gets, minus the wait);
* **answer**: `POST /api/answer` with the phone's answer (stored: DuckDB's upsert included);
* **page**: `GET /join`, the phone page's HTML.

For each it reports the server's CPU time per request (from /proc, the whole process), the
bench's own, and requests per second. The difference between "live, at once" and the ~7–25 µs
that building its body costs (bench/fanout.py) is the HTTP plumbing issue #16 asks about.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import resource
import signal
import tempfile
import time
from pathlib import Path

import collections
import re

from bench.load.sampling import CLK_TCK, _stat_fields
from bench.load.wire import WireClient
from bench.profile import WAITING, Profiler, read_folded
from bench.shutdown import raise_file_limit
from harness.content import copy_content_with_all_types
from harness.streamlit_server import start_streamlit
from workshop.content import load_library
from workshop.models import SessionSettings
from workshop.service import Workshop
from workshop.storage.store import Store

STEP = 0          # the all-types agenda's first step: a 0–10 scale
ANSWERS_PER_TOKEN = 15   # under phone/routes.py's 20 per token in 30 s


def prepare(folder: Path) -> tuple[Path, Path, str]:
    content = copy_content_with_all_types(folder / "content")
    db_path = folder / "workshop.duckdb"
    store = Store(db_path)
    try:
        workshop = Workshop(store, load_library(content))
        code = workshop.start_session("all-types", SessionSettings(share_with_phones=True)).code
        workshop.go_to_step(code, STEP)
    finally:
        store.close()
    return db_path, content, code


# Where a sampled stack's innermost frame is, by file: the layers a request passes through.
LAYERS = [("uvicorn + h11 (HTTP parsing, protocol)", re.compile(r"uvicorn/|h11/|httptools")),
          ("Streamlit's middleware and app", re.compile(r"streamlit/")),
          ("starlette (middleware, routing, responses)", re.compile(r"starlette/")),
          ("anyio (threads)", re.compile(r"anyio/")),
          ("our code (phone/, web/, workshop/)", re.compile(r"\((phone|web|workshop)/")),
          ("json", re.compile(r"json/")),
          ("asyncio (event loop, sockets)", re.compile(r"asyncio/|selectors|socket")),
          ("DuckDB", re.compile(r"duckdb"))]


def layers(path: Path) -> list[tuple[str, float]]:
    """Share of the busy samples whose innermost frame is in each layer."""
    counts: collections.Counter = collections.Counter()
    for frames, count in read_folded(path):
        if WAITING.match(frames[-1]):
            continue
        name = next((name for name, pattern in LAYERS if pattern.search(frames[-1])), "other")
        counts[name] += count
    busy = max(1, sum(counts.values()))
    return [(name, count / busy) for name, count in counts.most_common()]


def cpu_seconds(pid: int) -> float:
    fields = _stat_fields(pid)
    return (int(fields[11]) + int(fields[12])) / CLK_TCK if fields else 0.0


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def hammer(clients: list[WireClient], requests: int, make) -> tuple[int, dict[int, int]]:
    """`requests` requests spread over the clients, one at a time per client."""
    statuses: dict[int, int] = {}
    per = requests // len(clients)

    async def one(i: int, client: WireClient) -> None:
        for k in range(per):
            method, url, kw = make(i, k)
            reply = await client.request(method, url, **kw)
            statuses[reply.status_code] = statuses.get(reply.status_code, 0) + 1

    await asyncio.gather(*(one(i, c) for i, c in enumerate(clients)))
    return per * len(clients), statuses


async def scenario(base: str, pid: int, code: str, requests: int, connections: int,
                   profile_to: Path | None) -> list[tuple]:
    # An address may send 10,000 requests in 30 s: each connection comes from one of its own.
    clients = [WireClient(base, f"127.0.0.{2 + i % 250}") for i in range(connections)]
    # A token may send 20 requests in 30 s (phone/routes.py): each connection speaks for
    # enough phones that none of them is refused, with phones of its own for each kind.
    tokens: list[list[str]] = [[] for _ in clients]

    async def join_phones() -> None:
        for i, client in enumerate(clients):
            tokens[i] = []
            for _ in range(requests // connections // ANSWERS_PER_TOKEN + 2):
                reply = await client.request("POST", "/api/join", json={"code": code})
                tokens[i].append(reply.json()["token"])

    def token(i: int, k: int) -> str:
        return tokens[i][(k // ANSWERS_PER_TOKEN) % len(tokens[i])]

    kinds = {
        "live, at once": lambda i, k: ("GET", "/api/live", {"params": {"code": code, "token": token(i, k)}}),
        "answer": lambda i, k: ("POST", "/api/answer", {"json": {"code": code, "token": token(i, k), "step": STEP,
                                                                "value": (i + k) % 11}}),
        "page": lambda i, k: ("GET", "/join", {"params": {"code": code}}),
    }
    rows = []
    for name, make in kinds.items():
        await join_phones()
        await hammer(clients, connections, make)  # warm: caches, connections (one per phone's first)
        profiler = None
        if profile_to is not None:
            profiler = Profiler(pid, profile_to / f"plumbing-{name.split(',')[0]}.txt")
            profiler.start()
        server0, own0, wall0 = cpu_seconds(pid), own_cpu_seconds(), time.monotonic()
        sent, statuses = await hammer(clients, requests, make)
        server1, own1, wall1 = cpu_seconds(pid), own_cpu_seconds(), time.monotonic()
        if profiler is not None:
            profiler.stop()
        rows.append((name, sent, statuses, 1e6 * (server1 - server0) / sent, 1e6 * (own1 - own0) / sent,
                     sent / (wall1 - wall0), profiler.output if profiler else None))
    for client in clients:
        await client.aclose()
    return rows


def run(requests: int, connections: int, env: dict[str, str], profile_to: Path | None = None) -> list[tuple]:
    raise_file_limit(connections * 4 + 1000)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        db_path, content, code = prepare(folder)
        server = start_streamlit(folder, WORKSHOP_DB_PATH=str(db_path), WORKSHOP_CONTENT_DIR=str(content), **env)
        try:
            return asyncio.run(scenario(server.url, server.process.pid, code, requests, connections, profile_to))
        finally:
            server.process.send_signal(signal.SIGTERM)
            server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.plumbing", description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=1, help="runs, each on a fresh server")
    parser.add_argument("--profile", type=Path, metavar="FOLDER",
                        help="py-spy each measured kind into FOLDER and print where its CPU went, by layer")
    args = parser.parse_args()
    if args.profile:
        args.profile.mkdir(parents=True, exist_ok=True)
    print(f"python -m bench.plumbing --requests {args.requests} --connections {args.connections}; "
          f"Python {platform.python_version()}, {os.cpu_count()} CPUs\n")
    print("| request | sent | replies | server CPU µs / request | bench CPU µs / request | requests / s |")
    print("|---|---:|---|---:|---:|---:|")
    profiles = []
    for _ in range(args.repeat):
        for name, sent, statuses, server_us, own_us, rate, profile in run(args.requests, args.connections, {},
                                                                          args.profile):
            replies = ", ".join(f"{status} ×{count}" for status, count in sorted(statuses.items()))
            print(f"| {name} | {sent} | {replies} | {server_us:.0f} | {own_us:.0f} | {rate:.0f} |", flush=True)
            if profile is not None:
                profiles.append((name, server_us, profile))
    for name, server_us, profile in profiles:
        print(f"\n{name}: {server_us:.0f} µs of server CPU per request, by layer (py-spy, innermost frame)")
        for layer, share in layers(profile):
            print(f"  {100 * share:4.0f} %  ~{share * server_us:4.0f} µs  {layer}")


if __name__ == "__main__":
    main()
