"""CPU per stored answer at a steady arrival rate, with and without the group-commit gather window.

Phones arrive as threads calling `Store.save_answer` (as the phone route's worker
threads do) at a fixed total rate on a fresh DuckDB file; the process's CPU time
is divided by the answers stored.

    python -m bench.groupcommit --rates 100 300 600 --seconds 5
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

from workshop.models import Answer
from workshop.storage.store import Store


def run(rate: int, seconds: float, gather: float) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        store = Store(Path(folder) / "bench.duckdb")
        store._answers._gather = gather  # the knob under test
        latencies: list[float] = []
        lock = threading.Lock()
        total = int(rate * seconds)

        def phone(n: int, at: float) -> None:
            time.sleep(max(0.0, at - time.monotonic()))
            started = time.monotonic()
            store.save_answer("BENCH", Answer(0, "e", f"t{n}", n % 11, False))
            with lock:
                latencies.append(time.monotonic() - started)

        cpu = time.process_time()
        start = time.monotonic() + 0.2
        threads = [threading.Thread(target=phone, args=(n, start + n / rate)) for n in range(total)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        used = time.process_time() - cpu
        stored = store.count_answers("BENCH")
        store.close()
    latencies.sort()
    return {"stored": stored, "cpu_ms_per_answer": 1000 * used / stored,
            "p50_ms": 1000 * statistics.median(latencies),
            "p95_ms": 1000 * latencies[int(0.95 * len(latencies))]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rates", type=int, nargs="+", default=[100, 300, 600])
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    print("| answers/s | gather | stored | CPU per answer | save p50 | save p95 |")
    print("|---:|---:|---:|---:|---:|---:|")
    for rate in args.rates:
        for gather in (0.0, 0.01):
            r = run(rate, args.seconds, gather)
            print(f"| {rate} | {gather * 1000:.0f} ms | {r['stored']:.0f} | {r['cpu_ms_per_answer']:.2f} ms "
                  f"| {r['p50_ms']:.1f} ms | {r['p95_ms']:.1f} ms |")


if __name__ == "__main__":
    main()
