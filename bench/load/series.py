"""One run per N, as the command asks: wait for a quiet machine, run, run again if other
processes disturbed it, and write the report (JSON, tables, chart) as the runs come in."""

from __future__ import annotations

import asyncio
import json
import random
import shutil
import signal
import sys
import time
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.load.agenda import AgendaRefused, Played, prepare
from bench.load.machine import machine, raise_fd_limit
from bench.load.realphone import check_real_phones
from bench.load.run import run_once
from bench.load.sampling import wait_for_quiet
from bench.load.settings import RESULTS, ROOT, Settings, parse_args
from bench.load.source import take_snapshot
from bench.load.summary import collapsed
from bench.load.tables import fmt, chart, crosscheck_table, knee, stack_table, step_table, table
from harness.chromium import CHROMIUM


def main(argv: list[str] | None, description: str) -> int:
    args = parse_args(argv, description)
    if not Path(CHROMIUM).exists():
        print(f"Chromium not found at {CHROMIUM}", file=sys.stderr)
        return 2
    soft, _ = raise_fd_limit()
    need = 3 * max(args.phones) + 500  # each phone: a poll and an answer socket, on both ends
    if soft < need:
        print(f"warning: RLIMIT_NOFILE {soft} < ~{need} needed for {max(args.phones)} phones", file=sys.stderr)
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    json_path = RESULTS / f"phones-{stamp}.json"
    html_path = RESULTS / f"phones-{stamp}.html"
    report: dict[str, Any] = {"command": "python -m bench.phones " + " ".join(sys.argv[1:] if argv is None else argv),
                              "started": datetime.now(UTC).isoformat(timespec="seconds"),
                              "args": asdict(args), "machine": machine(), "runs": []}
    rng = random.Random(args.seed)
    stopped_early = None
    snapshot, report["app"] = take_snapshot(args.source, report["machine"].get("git", {}))
    try:
        played = prepare(snapshot, args.agenda, args.steps, report["app"])
        check_real_phones(played, args.steps, args.real_phones)
    except AgendaRefused as exc:
        shutil.rmtree(snapshot, ignore_errors=True)
        print(f"python -m bench.phones: error: {exc}", file=sys.stderr)
        return 2
    report["agenda"] = played.as_dict(args.steps)
    print(played.describe(args.steps), flush=True)
    try:
        for n in args.phones:
            r = run_n(n, args, stamp, rng, snapshot, played)
            report["runs"].append(r)
            json_path.write_text(json.dumps(report, indent=1, default=str))
            print_run(r)
            why = collapsed(r)
            if why and args.stop_on_collapse and n != args.phones[-1]:
                stopped_early = f"stopped after N = {n}: {why}"
                print(f"    {stopped_early}", flush=True)
                break
    except KeyboardInterrupt:
        stopped_early = "interrupted"
        print("interrupted: servers and browsers stopped", file=sys.stderr)
    finally:
        shutil.rmtree(snapshot, ignore_errors=True)
    report["stopped_early"] = stopped_early
    report["knee"] = knee(report["runs"])
    report["finished"] = datetime.now(UTC).isoformat(timespec="seconds")
    json_path.write_text(json.dumps(report, indent=1, default=str))
    if report["runs"]:
        chart(report["runs"], html_path)
    print_tables(report, played, stopped_early)
    print(f"results: {json_path.relative_to(ROOT)}, chart: {html_path.relative_to(ROOT)}")
    return 0 if stopped_early is None or stopped_early.startswith("stopped") else 130


def run_n(n: int, args: Settings, stamp: str, rng: random.Random, app_dir: Path, played: Played) -> dict[str, Any]:
    """One N on a fresh server once the machine is quiet; again (up to --disturbed-retries) when
    other processes used more than twice --quiet-threshold during it."""
    disturbed: list[str] = []
    for attempt in range(1 + args.disturbed_retries):
        busy, waited = wait_for_quiet(args.quiet_threshold, args.quiet_wait)
        print(f"--- N = {n} ({played.id}): machine busy {busy:.0f} % of a core before the run (waited {waited:.0f} s); "
              "starting a fresh server ...", flush=True)
        t = time.monotonic()
        r = asyncio.run(run_once(n, args, stamp, rng, app_dir, played))
        r["wall_seconds"] = time.monotonic() - t
        r["busy_before_pct"], r["quiet_waited_s"] = busy, waited
        other = r.get("other_cpu_pct", 0.0)
        if other <= 2 * args.quiet_threshold:
            break
        disturbed.append(f"attempt {attempt + 1}: other processes used {other:.0f} % of a core")
        print(f"    disturbed: {disturbed[-1]}", flush=True)
    r["disturbed_attempts"] = disturbed  # runs of this N thrown away (or kept, if the last)
    if r.get("other_cpu_pct", 0.0) > args.quiet_threshold:
        r["notes"].append(f"other processes used {r['other_cpu_pct']:.0f} % of a core during the run: "
                          "timings are disturbed")
    return r


def print_run(r: dict[str, Any]) -> None:
    nx, sb = r.get("next_to_phone") or {}, r.get("submit") or {}
    print(f"    connected {r.get('connected')}/{r['n']}, answers sent {r.get('answers_sent')}, stored "
          f"{r.get('answers_stored')}, verified {r.get('answers_verified')}, "
          f"next→phone p95 {fmt(nx.get('p95'))} s, submit p95 {fmt(sb.get('p95'), 1000, 0)} ms, "
          f"server CPU {fmt(r.get('server_cpu_pct'), 1, 0)} %, errors {r.get('errors')}, "
          f"{r['wall_seconds']:.0f} s", flush=True)
    for note in r.get("notes", []):
        print(f"    note: {note}", flush=True)


def print_tables(report: dict[str, Any], played: Played, stopped_early: str | None) -> None:
    print()
    print(played.describe(report["agenda"]["steps_played"]))
    print()
    print(table(report["runs"]))
    print()
    print(step_table(report["runs"]))
    print()
    print(stack_table(report["runs"]))
    print()
    if crosscheck_table(report["runs"]):
        print(crosscheck_table(report["runs"]))
        print()
    print(report["knee"])
    if stopped_early:
        print(stopped_early)
