"""How long a step change made on one app server takes to wake phones waiting on another.

Two Workshops (as two app servers are) on one PostgreSQL database in a throwaway
cluster; a long-poll waits on B while A moves to the next step, many times over.

    python -m bench.notify --repeat 200
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path

from harness.postgres import throwaway_database
from workshop.content import load_library
from workshop.service import Workshop
from workshop.storage.store import Store

ROOT = Path(__file__).resolve().parent.parent


async def one_change(a: Workshop, b: Workshop, code: str, step: int) -> tuple[float, float]:
    """Seconds for A to commit the change, then for B's waiting phone to wake."""
    version = b.session(code).live.version
    waiting = asyncio.create_task(b.board.wait_for_change(code, version, timeout=10))
    await asyncio.sleep(0.02)  # the phone is parked
    started = time.perf_counter()
    await asyncio.to_thread(a.go_to_step, code, step)
    committed = time.perf_counter()
    state = await waiting
    woke = time.perf_counter()
    assert state is not None and state.step_index == step, "B did not hear of the change"
    return committed - started, woke - committed


async def run(a: Workshop, b: Workshop, code: str, repeat: int) -> list[tuple[float, float]]:
    steps = len(a.session(code).steps)
    return [await one_change(a, b, code, n % steps) for n in range(1, repeat + 1)]


def describe(label: str, seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, int(0.95 * len(ms)))]
    return f"{label}: median {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms, max {ms[-1]:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    with throwaway_database() as url:
        library = load_library(ROOT / "content")
        a, b = Workshop(Store(url), library), Workshop(Store(url), library)
        code = a.start_session("nine-domains-intro").code
        b.session(code)  # B serves this session's phones
        results = asyncio.run(run(a, b, code, args.repeat))
        print(f"{args.repeat} step changes on A with a phone waiting on B")
        print(describe("A: change committed", [r[0] for r in results]))
        print(describe("B: phone woken after the commit", [r[1] for r in results]))
        a.store.close()
        b.store.close()


if __name__ == "__main__":
    main()
