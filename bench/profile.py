"""Where the server's CPU goes under load: py-spy attached to `streamlit run` during a bench run.

`python -m bench.phones --phones 300 --profile` attaches `py-spy record` (all threads, 100 Hz,
non-blocking, raw "folded" stacks) to the server while the phones are connected, and this
module sorts every sampled stack into what it was doing:

* answer writes / join writes: the group-commit threads writing to DuckDB;
* submit: the answer route and `Workshop.submit` (event loop and worker thread);
* poll: the long-poll route `/api/live` building a phone's view;
* join / page: `/api/join`, the page and its assets;
* gc.collect after each script run: Streamlit's `runner.postScriptGC`;
* script runs: Streamlit re-running the facilitator and projector pages and fragments;
* Streamlit websocket, sessions, media; HTTP server (uvicorn, h11, starlette, asyncio
  plumbing outside the routes, shared by every request); other;
* waiting: stacks whose leaf is a wait (select, Condition.wait, ...), left out of the CPU.

CPU per event = samples of its category / sampling rate / number of events the bench counted
(answers posted, polls answered), so "ms per submit" and "ms per poll" come out of one run.
py-spy samples from outside the process; with --nonblocking it does not pause the server, so
it costs the server nothing but takes some CPU of its own (reported by the bench as "other").
"""

from __future__ import annotations

import collections
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from harness.processes import stop

RATE = 100  # samples per second
TOP = 12

# (category, pattern on one frame "Class.function (file:line)"); the first category that
# matches any frame of a stack wins, so the specific ones come first.
CATEGORIES: list[tuple[str, re.Pattern[str]]] = [
    ("answer writes (DuckDB, group-commit thread)", re.compile(r"\b_upsert_answers \(")),
    ("join writes (DuckDB, group-commit thread)", re.compile(r"\b_insert_participants \(")),
    ("submit (route + Workshop.submit)", re.compile(r"PhoneRoutes\.(answer|_from_phone) \(|Workshop\.submit \(")),
    ("poll (route + live view)", re.compile(r"PhoneRoutes\.live \(|Workshop\.live_view(_json)? \(")),
    ("join / page", re.compile(r"PhoneRoutes\.(join|page|asset|_file) \(")),
    ("gc.collect after each script run", re.compile(r"ScriptRunner\._on_script_finished \(")),
    ("script runs (facilitator, projector)", re.compile(r"script_runner\.py|exec_code\.py")),
    ("Streamlit websocket, sessions, media", re.compile(r"streamlit/runtime|starlette_websocket|websockets/")),
    ("HTTP server (uvicorn, h11, starlette, asyncio)", re.compile(r"uvicorn|h11|starlette|asyncio/")),
]

# Leaf frames where a thread waits rather than runs: py-spy's own idle detection misses
# some of them, and they are not CPU.
WAITING = re.compile(r"^(EpollSelector\.select|Condition\.wait|Event\.wait|_worker|Thread\._wait_for_tstate_lock|"
                     r"PollingPathWatcher\._schedule\.<locals>\.task|Queue\.get|SimpleQueue\.get) \(")

# Events to divide a category's CPU by, to get ms per event.
PER_EVENT = {"submit (route + Workshop.submit)": "answer_posts",
             "answer writes (DuckDB, group-commit thread)": "answer_posts",
             "poll (route + live view)": "polls", "join / page": "joins",
             "join writes (DuckDB, group-commit thread)": "joins",
             "HTTP server (uvicorn, h11, starlette, asyncio)": "requests"}


def py_spy() -> str | None:
    """py-spy from the bench's venv, or from PATH."""
    here = Path(sys.executable).with_name("py-spy")
    return str(here) if here.exists() else shutil.which("py-spy")


class Profiler:
    """`py-spy record` attached to one process, stopped with SIGINT so it writes its output."""

    def __init__(self, pid: int, output: Path) -> None:
        self.pid = pid
        self.output = output
        self.process: subprocess.Popen[bytes] | None = None
        self.log = output.with_suffix(".log")

    def start(self) -> None:
        exe = py_spy()
        if exe is None:
            raise RuntimeError("py-spy not found: pip install py-spy==0.4.3")
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [exe, "record", "--pid", str(self.pid), "--rate", str(RATE), "--format", "raw",
                 "--nonblocking", "--output", str(self.output)],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)

    def stop(self, timeout: float = 30.0) -> None:
        process, self.process = self.process, None
        stop(process, timeout, sig=signal.SIGINT)


def read_folded(path: Path) -> list[tuple[list[str], int]]:
    """py-spy's raw output: one line per distinct stack, outermost frame first, then a count."""
    stacks = []
    for line in path.read_text(errors="replace").splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            stacks.append((stack.split(";"), int(count)))
    return stacks


def categorise(frames: list[str]) -> str:
    if WAITING.match(frames[-1]):
        return "waiting (not CPU)"
    for name, pattern in CATEGORIES:
        if any(pattern.search(frame) for frame in frames):
            return name
    return "other"


def _short(frame: str) -> str:
    """'save_answer (workshop/storage/store.py:402)' -> 'save_answer (workshop/storage/store.py)'."""
    return re.sub(r":\d+\)$", ")", frame)


def analyse(path: Path, events: dict[str, int]) -> dict[str, Any]:
    """Samples per category, CPU ms per event, and the top frames (self and total) of each."""
    stacks = read_folded(path)
    total = sum(count for _, count in stacks)
    per: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    leaf: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    inclusive: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for frames, count in stacks:
        cat = categorise(frames)
        per[cat]["samples"] += count
        leaf[cat][_short(frames[-1])] += count
        for frame in {_short(f) for f in frames}:
            inclusive[cat][frame] += count
    busy = total - per["waiting (not CPU)"]["samples"]
    out: dict[str, Any] = {"samples": total, "busy_samples": busy, "rate": RATE, "cpu_seconds": busy / RATE,
                           "events": events, "categories": {}}
    for cat, counter in sorted(per.items(), key=lambda kv: -kv[1]["samples"]):
        samples = counter["samples"]
        entry: dict[str, Any] = {"samples": samples, "share": samples / max(1, busy),
                                 "cpu_seconds": samples / RATE,
                                 "top_self": leaf[cat].most_common(TOP),
                                 "top_total": inclusive[cat].most_common(TOP)}
        key = PER_EVENT.get(cat)
        if key and events.get(key):
            entry["ms_per_event"] = 1000 * samples / RATE / events[key]
            entry["per"] = key
        out["categories"][cat] = entry
    return out


def summary(profile: dict[str, Any]) -> str:
    """A few lines for the console and the docs."""
    head = (f"py-spy: {profile['busy_samples']} busy samples of {profile['samples']} "
            f"({profile['cpu_seconds']:.1f} s of server CPU), events {profile['events']}")
    lines = [head]
    for cat, entry in profile["categories"].items():
        per = f", {entry['ms_per_event']:.2f} ms per {entry['per']}" if "ms_per_event" in entry else ""
        lines.append(f"  {cat}: {100 * entry['share']:.0f} % ({entry['cpu_seconds']:.1f} s{per})")
        for frame, count in entry["top_self"][:5]:
            lines.append(f"      self {100 * count / max(1, profile['busy_samples']):4.1f} %  {frame}")
    return "\n".join(lines)


if __name__ == "__main__":  # re-analyse a saved profile: python -m bench.profile FILE.txt [events JSON]
    import json

    print(summary(analyse(Path(sys.argv[1]), json.loads(sys.argv[2]) if len(sys.argv) > 2 else {})))
