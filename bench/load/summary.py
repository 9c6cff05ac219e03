"""What one run measured, put together: latencies, answers sent against answers stored, CPU and
memory; the py-spy profile per request; whether the run collapsed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bench.load.latency import dist, latencies
from bench.load.sampling import Sampler, cpu_and_memory
from bench.load.servers import read_answers
from bench.load.settings import ROOT
from bench.load.shared import Shared
from bench.profile import Profiler, analyse, summary
from bench.wsprojector import Seen


def summarise(n: int, shared: Shared, phones: list[Any], actions: list[dict[str, Any]],
              marks: dict[str, float], sampler: Sampler | None, lags: list[float],
              database: Path | str, code: str, projector_seen: list[Seen]) -> dict[str, Any]:
    out = latencies(shared, phones, actions, marks, projector_seen)
    out.update(sent_and_stored(phones, database, code))
    by_step = out.pop("answers_by_step", {})
    for row in out["per_step"]:
        row.update(by_step.get(row["step"], {}))
    if sampler is not None and sampler.samples:
        out.update(cpu_and_memory(sampler, marks, n))
    out["bench_loop_lag"] = dist(lags)
    out["marks"] = {k: round(v - marks.get("server_start", v), 3) for k, v in marks.items()}
    return out


def sent_and_stored(phones: list[Any], database: Path | str, code: str) -> dict[str, Any]:
    """Answers sent (latest acknowledged per phone and step, in the form the kind's `normalise`
    stores) against the rows stored, read after the servers have stopped; over the run and by
    step. A stored value is read back with json.loads and compared with ==, so a kind's lists
    (points, ranking, statements with their nulls) and dicts (window, mood) compare item by item
    and key by key, whatever order the keys were written in."""
    out: dict[str, Any] = {}
    expected = {(k, p.token): v for p in phones for k, v in p.acked.items()}
    out["answers_sent"] = len(expected)
    out["answers_given_up"] = sum(sum(p.given_up.values()) for p in phones)
    out["steps_answered_by_phones"] = sum(len(p.answer_tasks) for p in phones)
    try:
        rows, participants = read_answers(database, code)
    except Exception as exc:  # noqa: BLE001 - the comparison is the point: report, don't crash
        out["answers_stored"] = None
        out["db_error"] = f"{type(exc).__name__}: {exc}"
        return out
    out["participants_stored"] = participants
    out["answers_stored"] = len(rows)
    stored = {(k, token): (None if value_json is None else json.loads(value_json), passed)
              for k, token, value_json, passed, _ in rows}
    out["answers_missing"] = sum(1 for key in expected if key not in stored)
    out["answers_extra"] = sum(1 for key in stored if key not in expected)
    out["answers_value_mismatch"] = sum(1 for key, v in expected.items() if key in stored and stored[key] != v)
    out["answers_revised"] = sum(1 for *_, revisions in rows if revisions > 1)
    verified = {key for key, v in expected.items() if key in stored and stored[key] == v}
    out["answers_verified"] = len(verified)
    by_step: dict[int, dict[str, int]] = {}
    for k in sorted({k for k, _ in expected} | {k for k, _ in stored}):
        by_step[k] = {"answers_stored": sum(1 for key in stored if key[0] == k),
                      "answers_verified": sum(1 for key in verified if key[0] == k),
                      "passes_sent": sum(1 for key, (_, passed) in expected.items() if key[0] == k and passed)}
    out["answers_by_step"] = by_step
    return out


def profile_of(profiler: Profiler, shared: Shared) -> dict[str, Any]:
    """py-spy's samples sorted by what the server was doing, per answer posted and per poll."""
    polls = sum(b.get("polls answered", 0) for b in shared.seconds.values())
    joins = len(shared.join_times)
    events = {"answer_posts": shared.answer_posts, "polls": polls, "joins": joins,
              # a join: the page, its scripts and style sheets (two before the ES modules), /api/join
              "requests": shared.answer_posts + polls + len(shared.page_times) + shared.assets_fetched + joins}
    if not profiler.output.exists():
        return {"error": f"no py-spy output: {profiler.log.read_text(errors='replace')[-500:]}"}
    profile = analyse(profiler.output, events)
    profile["file"] = str(profiler.output.relative_to(ROOT))
    print(summary(profile), flush=True)
    return profile


def collapsed(r: dict[str, Any]) -> str | None:
    if r.get("collapsed"):
        return "run aborted"
    n = r["n"]
    if r.get("connected", 0) < 0.9 * n:
        return f"only {r.get('connected')} of {n} phones connected"
    if r.get("next_missed", 0) > 0.05 * n * max(1, r.get("steps", 1)):
        return f"{r['next_missed']} step changes never reached a phone"
    p95 = (r.get("next_to_phone") or {}).get("p95")
    if p95 is not None and p95 > 10:
        return f"next→phone p95 {p95:.1f} s"
    return None
