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
from pathlib import Path

from starlette.responses import JSONResponse

from bench.seeding import all_types_session, answered_steps
from workshop.models import SessionSettings


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
    with tempfile.TemporaryDirectory() as folder, all_types_session(
            Path(folder), phones, SessionSettings(share_with_phones=True)) as (ws, code, tokens):
        for _, exercise in answered_steps(ws, code, tokens, random.Random(1)):
            old = per_phone_us(lambda token: JSONResponse(ws.live_view(ws.session(code), token)).body,
                               tokens, repeat)
            new = None
            if hasattr(ws, "live_view_json"):
                new = per_phone_us(lambda token: ws.live_view_json(code, token), tokens, repeat)
            rows.append((exercise.id, exercise.type.value, old, new))
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
