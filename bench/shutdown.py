"""How long a real server takes to stop with many phones parked in the long-poll.

`python -m bench.shutdown --phones 1000 --signal INT` prepares a session on a fresh DuckDB
file (step 1 shown), starts `streamlit run app.py` on it, joins N phones through the phone
API, parks every phone's `GET /api/live` (waiting for a change that never comes), has
`--answering` of them send one answer each, spread over a second, and sends the signal
half-way through. It measures how long the process takes to exit, how each parked poll
ended, and, from the DuckDB file after exit, whether every acknowledged answer was stored.

tests/browser/test_shutdown.py runs the same scenario with fewer phones.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import signal
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from harness.content import copy_content_with_all_types
from harness.streamlit_server import start_streamlit
from workshop.content import load_library
from workshop.service import Workshop
from workshop.storage.store import Store

STEP = 0          # the all-types agenda's first step: a 0–10 scale


@dataclass
class Outcome:
    phones: int
    signal: str
    exit_seconds: float                  # signal sent -> process gone
    returncode: int | None
    polls: dict[str, int] = field(default_factory=dict)   # "200", "closed", "hung", ...
    poll_end_seconds: float = 0.0        # signal sent -> the last parked poll ended
    acknowledged: dict[str, int] = field(default_factory=dict)  # token -> value answered with 200
    refused: dict[str, int] = field(default_factory=dict)  # no 200: "ConnectError (due after the signal)", ...
    stored: dict[str, int] = field(default_factory=dict)
    join_seconds: float = 0.0

    @property
    def lost(self) -> list[str]:
        return [token for token, value in self.acknowledged.items() if self.stored.get(token) != value]

    def summary(self) -> str:
        return (f"{self.phones} phones parked, SIG{self.signal}: exit after {self.exit_seconds:.2f} s "
                f"(code {self.returncode}); polls {dict(sorted(self.polls.items()))}, last ended "
                f"{self.poll_end_seconds:.2f} s after the signal; answers {len(self.acknowledged)} "
                f"acknowledged, not: {dict(sorted(self.refused.items()))}, {len(self.lost)} acknowledged "
                f"but not stored "
                f"(joining took {self.join_seconds:.1f} s)")


def raise_file_limit(needed: int) -> None:
    """Each parked phone is a socket in this process and one in the server."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < needed:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(needed, hard), hard))


def prepare(folder: Path) -> tuple[Path, Path, str, int]:
    """A session showing step 1, in a DuckDB file nobody holds: the server loads it by code."""
    content = copy_content_with_all_types(folder / "content")
    db_path = folder / "workshop.duckdb"
    store = Store(db_path)
    try:
        workshop = Workshop(store, load_library(content))
        code = workshop.start_session("all-types").code
        version = workshop.go_to_step(code, STEP).version
    finally:
        store.close()
    return db_path, content, code, version


def established(port: int) -> int:
    """Open TCP connections to the server's port, from /proc/net/tcp (the server's side)."""
    count = 0
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            if state == "01" and int(local.rsplit(":", 1)[1], 16) == port:
                count += 1
    return count


async def _scenario(server, code: str, version: int, phones: int, answering: int,
                    sig: signal.Signals) -> Outcome:
    port = int(server.url.rsplit(":", 1)[1])
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=None)
    timeout = httpx.Timeout(40.0)
    async with httpx.AsyncClient(base_url=server.url, headers={"Origin": server.url}, limits=limits,
                                 timeout=timeout, trust_env=False) as client:
        started = time.monotonic()
        gate = asyncio.Semaphore(50)

        async def join() -> str:
            async with gate:
                reply = await client.post("/api/join", json={"code": code})
                reply.raise_for_status()
                return reply.json()["token"]

        # The first join loads the session; concurrent first lookups of a code not yet in
        # memory count as guesses (30 a minute per address) and would be refused.
        tokens = [await join()]
        tokens += await asyncio.gather(*(join() for _ in range(phones - 1)))
        join_seconds = time.monotonic() - started

        # With no pool limit, each parked poll has a connection of its own, as each phone has.
        ended: list[float] = []

        async def park(token: str) -> str:
            try:
                reply = await client.get("/api/live", params={"code": code, "token": token, "since": version})
                json.loads(reply.text)  # a JSON body the phone page can read
                result = str(reply.status_code)
            except httpx.TimeoutException:
                result = "hung"
            except (httpx.TransportError, json.JSONDecodeError):
                result = "closed"
            ended.append(time.monotonic())
            return result

        polls = [asyncio.create_task(park(token)) for token in tokens]
        deadline = time.monotonic() + 60
        while established(port) < phones and time.monotonic() < deadline:
            await asyncio.sleep(0.1)
        await asyncio.sleep(1.0)  # the last requests reach the long-poll
        if any(task.done() for task in polls):
            early = [task.result() for task in polls if task.done()]
            raise RuntimeError(f"{len(early)} polls returned before the signal ({early[:5]}), "
                               f"{time.monotonic() - started:.1f} s after the first join")

        acknowledged: dict[str, int] = {}
        refused: dict[str, int] = {}
        sent = float("inf")

        async def answer(n: int, token: str) -> None:
            await asyncio.sleep(n / max(answering, 1))  # spread over one second
            value = n % 11
            when = "before" if time.monotonic() < sent else "after"
            try:
                reply = await client.post("/api/answer", json={"code": code, "token": token,
                                                               "step": STEP, "value": value})
                result = str(reply.status_code)
            except httpx.TransportError as exc:
                result = type(exc).__name__
            if result == "200":
                acknowledged[token] = value
            else:
                key = f"{result} (due {when} the signal)"
                refused[key] = refused.get(key, 0) + 1


        answers = [asyncio.create_task(answer(n, token)) for n, token in enumerate(tokens[:answering])]
        await asyncio.sleep(0.5)
        # A thread blocked in waitpid notes the exit at once, however busy this loop is
        # reading the 1,000 answers.
        gone: list[float] = []
        watcher = threading.Thread(target=lambda: (server.process.wait(60), gone.append(time.monotonic())))
        watcher.start()
        sent = time.monotonic()
        server.process.send_signal(sig)
        await asyncio.to_thread(watcher.join)
        exit_seconds = gone[0] - sent
        results = await asyncio.gather(*polls)
        await asyncio.gather(*answers)
    counts: dict[str, int] = {}
    for result in results:
        counts[result] = counts.get(result, 0) + 1
    return Outcome(phones=phones, signal=sig.name.removeprefix("SIG"), exit_seconds=exit_seconds,
                   returncode=server.process.poll(), polls=counts,
                   poll_end_seconds=max(ended) - sent, acknowledged=acknowledged, refused=refused,
                   join_seconds=join_seconds)


def run(folder: Path, phones: int, answering: int, sig: signal.Signals) -> Outcome:
    raise_file_limit(2 * phones + 1000)
    db_path, content, code, version = prepare(folder)
    server = start_streamlit(folder, WORKSHOP_DB_PATH=str(db_path), WORKSHOP_CONTENT_DIR=str(content))
    try:
        outcome = asyncio.run(_scenario(server, code, version, phones, answering, sig))
    finally:
        server.stop()
    store = Store(db_path)
    try:
        outcome.stored = {a.token: a.value for a in store.answers_for_step(code, STEP)}
    finally:
        store.close()
    return outcome


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, nargs="+", default=[1000])
    parser.add_argument("--answering", type=int, default=300)
    parser.add_argument("--signal", choices=["INT", "TERM"], nargs="+", default=["INT", "TERM"])
    args = parser.parse_args()
    for phones in args.phones:
        for name in args.signal:
            with tempfile.TemporaryDirectory() as folder:
                outcome = run(Path(folder), phones, min(args.answering, phones), signal.Signals[f"SIG{name}"])
            print(outcome.summary(), flush=True)


if __name__ == "__main__":
    main()
