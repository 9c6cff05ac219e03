"""What a room costs the database per phone: rows, bytes on disk and NOTIFY traffic.

For docs/scaling.md's sizing of an event with many rooms. One session of the all-types
agenda (one step of every kind) on a DuckDB file and on a PostgreSQL database in a throwaway
cluster (harness/postgres.py): `--phones` phones join, answer every step with their kind's
examples as the phone route does (all at once on one event loop, so the group commit
batches them as it does in the server), a share of them change their answer once; then

* rows and bytes: `answers` and `participants` (PostgreSQL: pg_total_relation_size, indexes
  and TOAST included; DuckDB: the file after a CHECKPOINT);
* NOTIFY: every notification another server would hear, counted and measured on a LISTEN
  connection of its own (payload bytes);
* a step read back: the median time to load the first step's answers (one a phone), which a
  server sharing the database does on the next read after another server stored answers to it.

    python -m bench.footprint --phones 3000
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from harness.content import copy_content_with_all_types
from harness.postgres import throwaway_database
from workshop.content import load_library
from workshop.questions import kind_of
from workshop.service import Workshop
from workshop.storage.protocol import CHANNEL
from workshop.storage.store import Store

CHANGE_RATE = 0.2   # as the load bench's phones: a fifth change their answer once


async def answer_every_step(ws: Workshop, code: str, tokens: list[str], rng: random.Random) -> int:
    sent = 0
    for step, exercise in enumerate(ws.session(code).steps):
        ws.go_to_step(code, step)
        kind = kind_of(exercise)
        values = [kind.examples(exercise, number, rng) for number in range(len(tokens))]
        await asyncio.gather(*(ws.submit_async(code, t, step, v) for t, v in zip(tokens, values)))
        changing = [t for t in tokens if rng.random() < CHANGE_RATE]
        await asyncio.gather(*(ws.submit_async(code, t, step, kind.examples(exercise, n + 11, rng))
                               for n, t in enumerate(changing)))
        sent += len(tokens) + len(changing)
    return sent


def fill(ws: Workshop, phones: int, seed: int) -> tuple[str, int]:
    code = ws.start_session("all-types").code
    with ThreadPoolExecutor(32) as pool:   # joins arrive together: the join writer batches them
        tokens = [token for _, token in pool.map(lambda _: ws.join(code), range(phones))]
    return code, asyncio.run(answer_every_step(ws, code, tokens, random.Random(seed)))


def reload_ms(store: Store, code: str, repeat: int = 10) -> float:
    """Median time to read one step's answers back (what a room does after another server's
    answers to that step: Room.apply(AnswersStored) drops them and the next reader loads them)."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        store.answers_for_step(code, 0)
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)


def row_counts(store: Store) -> tuple[int, int]:
    [[answers]] = store.db.fetchall("SELECT count(*) FROM answers")
    [[participants]] = store.db.fetchall("SELECT count(*) FROM participants")
    return answers, participants


def duckdb_row(folder: Path, library, phones: int, seed: int) -> dict:
    path = folder / "footprint.duckdb"
    store = Store(path)
    started = time.perf_counter()
    code, sent = fill(Workshop(store, library), phones, seed)
    took = time.perf_counter() - started
    answers, participants = row_counts(store)
    reload = reload_ms(store, code)
    store.db.outside_transaction("CHECKPOINT")
    store.close()
    return {"database": "DuckDB file", "sent": sent, "answers": answers, "participants": participants,
            "answers_bytes": None, "participants_bytes": None, "total_bytes": path.stat().st_size,
            "notifies": None, "notify_bytes": None, "seconds": took, "reload_ms": reload}


def postgres_row(library, phones: int, seed: int) -> dict:
    import psycopg

    with throwaway_database() as url:
        store = Store(url)
        listener = psycopg.connect(url, autocommit=True)
        listener.execute(f"LISTEN {CHANNEL}")
        started = time.perf_counter()
        code, sent = fill(Workshop(store, library), phones, seed)
        took = time.perf_counter() - started
        time.sleep(0.5)
        payloads = [n.payload for n in listener.notifies(timeout=1.0)]
        listener.close()
        answers, participants = row_counts(store)
        reload = reload_ms(store, code)
        [[answers_bytes, participants_bytes, total]] = store.db.fetchall(
            "SELECT pg_total_relation_size('answers'), pg_total_relation_size('participants'), "
            "pg_database_size(current_database())")
        store.close()
    return {"database": "PostgreSQL 15", "sent": sent, "answers": answers, "participants": participants,
            "answers_bytes": answers_bytes, "participants_bytes": participants_bytes, "total_bytes": total,
            "notifies": len(payloads), "notify_bytes": sum(len(p.encode()) for p in payloads), "seconds": took,
            "reload_ms": reload}


def own_bytes(row: dict) -> int:
    """The session's bytes: the two tables where they can be measured, else the whole file."""
    if row["answers_bytes"] is None:
        return row["total_bytes"]
    return row["answers_bytes"] + row["participants_bytes"]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.footprint", description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        library = load_library(copy_content_with_all_types(folder / "content"))
        rows = [duckdb_row(folder, library, args.phones, args.seed), postgres_row(library, args.phones, args.seed)]
    steps = len(library.agendas["all-types"].steps)
    print(f"python -m bench.footprint --phones {args.phones}: {steps} steps (one of every kind), "
          f"{int(CHANGE_RATE * 100)} % of phones change each answer once\n")
    print("| database | answers sent / rows | phones (rows) | answers: bytes / row | participants: bytes / row "
          "| whole database | NOTIFYs (payload bytes) | per phone: rows, bytes, NOTIFY bytes | a step read back (ms) |")
    print("|---|---|---:|---:|---:|---:|---|---|---:|")
    for r in rows:
        per_row = lambda total, count: f"{total / count:.0f}" if total is not None else "-"
        notifies = f"{r['notifies']} ({r['notify_bytes']:,})" if r["notifies"] is not None else "-"
        per_phone_notify = f"{r['notify_bytes'] / args.phones:.0f}" if r["notify_bytes"] is not None else "-"
        print(f"| {r['database']} | {r['sent']} / {r['answers']} | {r['participants']} | "
              f"{per_row(r['answers_bytes'], r['answers'])} | {per_row(r['participants_bytes'], r['participants'])} | "
              f"{r['total_bytes'] / 1e6:.1f} MB | {notifies} | "
              f"{(r['answers'] + r['participants']) / args.phones:.1f}, {own_bytes(r) / args.phones / 1e3:.2f} kB, {per_phone_notify} | {r['reload_ms']:.1f} |")
    print("\nPer phone: its answer rows and its participant row; bytes are the two tables with their "
          "indexes (PostgreSQL), or the whole file (DuckDB, which has no per-table size).")


if __name__ == "__main__":
    main()
