"""What answering woken phones costs the server: the body of one `/api/live` reply, per phone.

When the facilitator moves on, every parked phone wakes at once and each is sent the live
step: the same for all of them but for the phone's own answer. This bench builds a session
through the Workshop's API (`--phones` phones that each answered the step, results shown and
shared with phones, so the reply carries the group's counts too) and times, per phone, the
work `/api/live` does after the wake:

* **dict + JSONResponse**: `Workshop.live_view` builds the view as a dict and Starlette's
  `JSONResponse` encodes it (the way every reply was built before pre-encoded views);
* **pre-encoded**: `Workshop.live_view_json`, the shared part encoded once per live state and
  only the phone's own answer encoded per phone (when the checkout has it).

    python -m bench.fanout --phones 1000 --repeat 20
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from starlette.responses import JSONResponse

from harness.content import copy_content_with_all_types
from workshop.content import load_library
from workshop.models import SessionSettings
from workshop.questions import kind_of
from workshop.service import Workshop
from workshop.storage.store import Store


def per_phone_us(build, tokens: list[str], repeat: int) -> float:
    """Median over `repeat` rounds of one round's time per phone, in microseconds."""
    rounds = []
    for _ in range(repeat):
        started = time.perf_counter()
        for token in tokens:
            build(token)
        rounds.append((time.perf_counter() - started) / len(tokens))
    return statistics.median(rounds) * 1e6


def run(phones: int, repeat: int) -> list[tuple[str, str, float, float | None]]:
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        content = copy_content_with_all_types(Path(folder) / "content")
        ws = Workshop(Store(Path(folder) / "bench.duckdb"), load_library(content))
        session = ws.start_session("all-types", SessionSettings(share_with_phones=True))
        code = session.code
        tokens = [ws.join(code)[1] for _ in range(phones)]
        rng = random.Random(1)
        for step, exercise in enumerate(session.steps):
            ws.go_to_step(code, step)
            kind = kind_of(exercise)
            values = [kind.examples(exercise, number, rng) for number in range(phones)]
            with ThreadPoolExecutor(32) as pool:   # many phones at once: the writer commits them together
                list(pool.map(lambda pair: ws.submit(code, pair[0], step, pair[1]), zip(tokens, values)))
            ws.set_results_shown(code, True)
            old = per_phone_us(lambda token: JSONResponse(ws.live_view(ws.session(code), token)).body,
                               tokens, repeat)
            new = None
            if hasattr(ws, "live_view_json"):
                new = per_phone_us(lambda token: ws.live_view_json(code, token), tokens, repeat)
            rows.append((exercise.id, exercise.type.value, old, new))
        ws.store.close()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.fanout", description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    print(f"python -m bench.fanout --phones {args.phones} --repeat {args.repeat}; "
          f"Python {platform.python_version()}, {platform.system()} {platform.machine()}\n")
    print("| step | kind | dict + JSONResponse µs / phone | pre-encoded µs / phone |")
    print("|---|---|---:|---:|")
    for step_id, kind, old, new in run(args.phones, args.repeat):
        print(f"| {step_id} | {kind} | {old:.1f} | {'—' if new is None else f'{new:.1f}'} |")


if __name__ == "__main__":
    main()
