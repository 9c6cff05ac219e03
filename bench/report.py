"""Report benchmark: how long the organisers' downloads take for a large session.

Run from the repository root:

    python -m bench.report                      # 500 phones, 3 timed runs
    python -m bench.report --participants 1000 --repeat 5
    python -m bench.report --append-docs        # also append the table to docs/benchmarks.md

It seeds one session of the 13-step agenda `nine-domains-intro` through the
Workshop API (the same calls the phone routes make) on a fresh DuckDB file in a
temporary folder: every phone joins, answers every step (about 5 % pass, about
10 % skip a step, so the pre/post change has unpaired phones), and the
facilitator approves the most frequent words and texts. Then it times, each
`--repeat` times, what the reports page does:

* gather: `reports.build` (per-step aggregates, pre/post pairing, domain profile);
* HTML: `reports.html_report` (Plotly figures, Plotly's JavaScript inlined once);
* CSV zip: `export_files.csv_zip`; Parquet: `export_files.parquet_bytes` (pyarrow).

Nothing is kept: the temporary folder is removed on exit.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import string
import sys
import tempfile
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from workshop import export_files, reports
from workshop.content import load_library
from workshop.models import Moderation, QuestionType
from workshop.questions import kind_of
from workshop.service import Workshop
from workshop.storage.store import Store

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "benchmarks.md"
AGENDA_ID = "nine-domains-intro"


def answer_for(exercise, phone: int, rng: random.Random):
    """A phone's answer, made by the kind itself (workshop/questions) as the preview's are; texts
    get a suffix, so a session of 500 holds many distinct texts, as a real one would."""
    answer = kind_of(exercise).examples(exercise, phone, rng)
    if exercise.type is QuestionType.TEXT:
        answer = f"{answer} {''.join(rng.choices(string.ascii_lowercase, k=3))}"
    return answer


def seed(ws: Workshop, participants: int, rng: random.Random) -> tuple[str, int]:
    """One session answered by `participants` phones; returns its code and the stored answers."""
    session = ws.start_session(AGENDA_ID)
    code = session.code
    tokens = [ws.join(code)[1] for _ in range(participants)]
    stored = 0
    for index, exercise in enumerate(session.steps):
        ws.go_to_step(code, index)
        for phone, token in enumerate(tokens):
            roll = rng.random()
            if roll < 0.10:
                continue                                  # this phone skips the step
            if roll < 0.15:
                ws.submit(code, token, index, passed=True)
            else:
                ws.submit(code, token, index, answer_for(exercise, phone, rng))
            stored += 1
        if exercise.type in (QuestionType.WORD, QuestionType.TEXT):
            for value, _, _ in ws.moderation_queue(code, index)[:20]:
                ws.moderate(code, index, value, Moderation.APPROVED)
    ws.end_session(code)
    return code, stored


def timed(repeat: int, action):
    """Median and max seconds of `repeat` runs, and the last result."""
    seconds, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), max(seconds), result


def run(participants: int, repeat: int, seed_value: int) -> dict:
    rng = random.Random(seed_value)
    with tempfile.TemporaryDirectory(prefix="ipnb-bench-report-") as folder:
        store = Store(Path(folder) / "bench.duckdb")
        try:
            ws = Workshop(store, load_library(ROOT / "content"))
            started = time.perf_counter()
            code, stored = seed(ws, participants, rng)
            seed_seconds = time.perf_counter() - started
            session = ws.session(code)
            rows = {}
            rows["gather"] = timed(repeat, lambda: reports.build(ws, code))
            report = rows["gather"][2]
            rows["HTML report"] = timed(repeat, lambda: reports.html_report(report))
            rows["CSV zip"] = timed(repeat, lambda: export_files.csv_zip(store, session))
            rows["Parquet"] = timed(repeat, lambda: export_files.parquet_bytes(store, session))
            rows["all four (as the page does)"] = timed(repeat, lambda: (
                reports.html_report(reports.build(ws, code)), export_files.csv_zip(store, session),
                export_files.parquet_bytes(store, session)))
        finally:
            store.close()
    [change] = report.changes
    return {"participants": participants, "steps": len(session.steps), "answers": stored,
            "seed_seconds": seed_seconds, "repeat": repeat, "rows": rows,
            "paired": change.paired, "unpaired": change.unpaired}


def markdown(result: dict) -> str:
    sizes = {"HTML report": len(result["rows"]["HTML report"][2]),
             "CSV zip": len(result["rows"]["CSV zip"][2]),
             "Parquet": len(result["rows"]["Parquet"][2])}
    lines = [
        "## Reports",
        "",
        (f"`python -m bench.report --participants {result['participants']} --repeat {result['repeat']}`, "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, Python {platform.python_version()}, "
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"plotly {metadata.version('plotly')}, duckdb {metadata.version('duckdb')}."),
        "",
        (f"One session of `{AGENDA_ID}` ({result['steps']} steps) seeded through the Workshop API on a "
        f"temporary DuckDB file: {result['participants']} phones, {result['answers']} stored answers "
        f"(about 5 % passes, 10 % skipped steps; pre/post: {result['paired']} phones paired, "
        f"{result['unpaired']} answered only once); seeding took {result['seed_seconds']:.1f} s."),
        "",
        f"| step | median of {result['repeat']} (s) | max (s) | output |",
        "|---|---:|---:|---:|",
    ]
    for name, (median, worst, _) in result["rows"].items():
        size = f"{sizes[name] / 1_000_000:.2f} MB" if name in sizes else ""
        lines.append(f"| {name} | {median:.3f} | {worst:.3f} | {size} |")
    lines += ["",
              ("The HTML report is mostly Plotly's JavaScript (about 4.8 MB), inlined once so it opens "
              "offline; the reports page shows a progress bar while it builds."), ""]
    return "\n".join(lines)


def append_to_docs(section: str) -> None:
    """Append only: other benchmarks write their own sections of the same file."""
    DOCS.parent.mkdir(parents=True, exist_ok=True)
    existing = DOCS.read_text(encoding="utf-8") if DOCS.exists() else ""
    prefix = "" if not existing or existing.endswith("\n\n") else ("\n" if existing.endswith("\n") else "\n\n")
    with DOCS.open("a", encoding="utf-8") as out:
        out.write(prefix + section)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=500, help="phones in the session (default 500)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of each step (default 3)")
    parser.add_argument("--seed", type=int, default=20261127, help="random seed of the answers")
    parser.add_argument("--append-docs", action="store_true",
                        help="append the result as a '## Reports' section to docs/benchmarks.md")
    args = parser.parse_args(argv)
    if not 1 <= args.participants <= 5000 or not 1 <= args.repeat <= 20:
        parser.error("--participants must be 1-5000 and --repeat 1-20")
    section = markdown(run(args.participants, args.repeat, args.seed))
    print(section)
    if args.append_docs:
        append_to_docs(section)
        print(f"appended to {DOCS.relative_to(ROOT)}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
