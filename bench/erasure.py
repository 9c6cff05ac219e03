"""How long "Forget typed words" and "Delete session" take once they erase from the files.

Fills a database with `--sessions` sessions of the river-and-window agenda, each with
`--phones` phones answering its first `--answers` steps (words and texts typed, moderation
decisions for the words; phone 0's words are the session's marker), through the store's own
insert statements. Then, on `--repeat` different sessions, it times `Workshop.purge_typed_text` and
`Workshop.delete_session` (DuckDB: the UPDATE or DELETE plus the copy into a fresh file
that replaces the old one; PostgreSQL: plus VACUUM FULL and CHECKPOINT), the rewrite
alone, and what a phone answering meanwhile waits. It checks that the purged session's
marker is in no file of the database's folder (DuckDB) or of `base/` (PostgreSQL).

    python -m bench.erasure --sessions 50 --phones 300 --answers 20
    python -m bench.erasure --database postgresql
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import tempfile
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

from workshop.content import load_library
from workshop.models import Moderation, QuestionType, value_json_of
from workshop.questions import kind_of
from workshop.service import Workshop
from workshop.storage.schema import ERASE
from workshop.storage.store import Store

ROOT = Path(__file__).resolve().parent.parent
WORDS = ("calm", "open", "tired", "curious", "safe", "heavy", "warm", "restless", "held", "clear")


def value_for(step, phone: int, marker: str | None):
    """Phone `phone`'s answer: words carry the session's marker (phone 0) or a common word, texts
    a sentence of their own, every other kind one of its own examples (workshop/questions)."""
    if step.type is QuestionType.WORD:
        return marker if marker and phone == 0 else WORDS[phone % len(WORDS)]
    if step.type is QuestionType.TEXT:
        return f"Phone {phone} noticed the river widening and felt the banks hold it"
    return kind_of(step).examples(step, phone, random.Random(phone))


def fill(workshop: Workshop, sessions: int, phones: int, answers: int) -> list[tuple[str, str]]:
    """(code, marker) per session, written with the store's own multi-row inserts."""
    store = workshop.store
    made = []
    for number in range(sessions):
        session = workshop.start_session("river-and-window")
        marker = f"marker{number:03d}{os.urandom(6).hex()}"
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        tokens = [f"{session.code}-{phone:04d}-{os.urandom(8).hex()}" for phone in range(phones)]
        store._insert_participants([(session.code, token, now) for token in tokens])
        rows = []
        for index, step in enumerate(session.steps[:answers]):
            for phone, token in enumerate(tokens):
                value = value_for(step, phone, marker)
                rows.append((session.code, index, step.id, token, value_json_of(value), False, now))
            if step.type.value == "word":
                store.moderate(session.code, index, [marker, *WORDS[:5]], Moderation.APPROVED)
        store._upsert_answers(rows)
        made.append((session.code, marker))
    return made


def files_holding(folder: Path, marker: str) -> list[str]:
    needle = marker.encode()
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                  if p.is_file() and needle in p.read_bytes())


def size_of(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


class Answering:
    """One phone saving an answer every 5 ms: how long a save waits while a rewrite runs."""

    def __init__(self, store: Store, code: str) -> None:
        self.store, self.code = store, code
        self.latencies: list[tuple[float, float]] = []  # (start, seconds)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        from workshop.models import Answer

        n = 0
        while not self._stop.is_set():
            started = time.monotonic()
            self.store.save_answer(self.code, Answer(0, "bench", f"bench-{n}", n % 11, False))
            self.latencies.append((started, time.monotonic() - started))
            n += 1
            time.sleep(0.005)

    def worst_between(self, start: float, end: float) -> float:
        return max((s for t, s in self.latencies if t <= end and t + s >= start), default=0.0)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=("duckdb", "postgresql"), default="duckdb")
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--phones", type=int, default=300)
    parser.add_argument("--answers", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    library = load_library(ROOT / "content")
    cluster = None
    folder_tmp = tempfile.TemporaryDirectory()
    if args.database == "postgresql":
        from harness.postgres import Cluster, find_bin

        bin_dir = find_bin()
        if bin_dir is None:
            raise SystemExit("PostgreSQL is not installed (apt-get install postgresql)")
        cluster = Cluster(bin_dir)
        target: str | Path = cluster.database()
        folder = cluster.data / "base"
    else:
        folder = Path(folder_tmp.name)
        target = folder / "workshop.duckdb"
    workshop = Workshop(Store(target), library)
    started = time.monotonic()
    made = fill(workshop, args.sessions, args.phones, args.answers)
    filled = time.monotonic() - started
    workshop.store.db.outside_transaction("CHECKPOINT")  # the answers in the table files, as after a while
    answers = args.sessions * args.phones * min(args.answers, 21)
    idle = Workshop(workshop.store, library).start_session("river-and-window").code
    workshop.go_to_step(idle, 0)
    print(f"{args.database}: {args.sessions} sessions x {args.phones} phones x {args.answers} answers "
          f"= {answers} answers, filled in {filled:.1f} s, {size_of(folder) / 2**20:.1f} MiB on disk "
          f"(load average {os.getloadavg()[0]:.2f})")

    phone = Answering(workshop.store, idle)
    time.sleep(0.5)
    baseline = statistics.median(s for _, s in phone.latencies)
    timings: dict[str, list[float]] = {"purge": [], "rewrite": [], "delete": []}
    waits: dict[str, list[float]] = {"purge": [], "rewrite": [], "delete": []}
    before, left = [], []
    for (code, marker), (doomed, _) in zip(made[: args.repeat], made[args.repeat: 2 * args.repeat]):
        before.append(files_holding(folder, marker))
        for name, action in (("purge", lambda: workshop.purge_typed_text(code)),
                             ("rewrite", lambda: workshop.store.db.finish_erasure(
                                 ERASE[workshop.store.dialect])),
                             ("delete", lambda: workshop.delete_session(doomed))):
            start = time.monotonic()
            action()
            end = time.monotonic()
            timings[name].append(end - start)
            time.sleep(0.05)
            waits[name].append(phone.worst_between(start, end))
        left.append(files_holding(folder, marker))
    phone.stop()
    print(f"a phone's save at rest: median {1000 * baseline:.0f} ms")
    print("| action | median s | max s | longest wait of a phone's save during it, s |")
    print("|---|---:|---:|---:|")
    for name in timings:
        print(f"| {name} | {statistics.median(timings[name]):.2f} | {max(timings[name]):.2f} | "
              f"{max(waits[name]):.2f} |")
    print(f"files holding the marker before the purge: {before}; after: {left}")
    print(f"on disk afterwards: {size_of(folder) / 2**20:.1f} MiB")
    workshop.store.close()
    if cluster is not None:
        cluster.stop()
    folder_tmp.cleanup()


if __name__ == "__main__":
    main()
