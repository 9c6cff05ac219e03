"""The latencies of a run: percentiles, facilitator click -> phone, submit -> counted on the
projector, and the same for each kind of phone (simulated or real) for the cross-check."""

from __future__ import annotations

import bisect
import collections
import math
from typing import Any

from bench.load.shared import Shared
from bench.wsprojector import Seen


def pct(values: list[float], q: float) -> float | None:
    """Percentile with linear interpolation (q in 0..100)."""
    if not values:
        return None
    s = sorted(values)
    k = (len(s) - 1) * q / 100.0
    lo = math.floor(k)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def dist(values: list[float]) -> dict[str, Any]:
    return {"count": len(values), "p50": pct(values, 50), "p95": pct(values, 95),
            "p99": pct(values, 99), "max": max(values) if values else None,
            "mean": sum(values) / len(values) if values else None}


def counted_latencies(first_acks: list[tuple[Any, int, float, float]], seen: list[Seen]) -> dict[Any, float]:
    """Submit -> counted on the projector, for each phone's first acknowledged answer of a step.

    The projector shows how many phones have answered the live step. The server acknowledges
    an answer only once it is stored and in the answer cache the projector reads, so the
    r-th answer acknowledged in a step is counted in the first count shown after its
    acknowledgement that reaches r; the latency runs from the start of its first send.
    A change of answer does not change the count, so only first answers are timed.
    """
    by_step: dict[int, list[tuple[float, float, Any]]] = collections.defaultdict(list)
    for key, step, sent, acked in first_acks:
        by_step[step].append((acked, sent, key))
    shown: dict[int, list[Seen]] = collections.defaultdict(list)
    for s in seen:
        if s.step is not None and s.answered is not None:
            shown[s.step].append(s)
    out: dict[Any, float] = {}
    for step, acks in by_step.items():
        counts = sorted(shown.get(step, []), key=lambda s: s.t)
        times = [s.t for s in counts]
        for rank, (acked, sent, key) in enumerate(sorted(acks, key=lambda a: a[:2]), start=1):
            for s in counts[bisect.bisect_left(times, acked):]:
                if s.answered >= rank:
                    out[key] = s.t - sent
                    break
    return out


def kind_summary(phones: list[Any], actions: list[dict[str, Any]], counted: dict[Any, float]) -> dict[str, Any]:
    """The latencies of one kind of phone (simulated or real Chromium), for the cross-check."""
    nexts = [a for a in actions if a["kind"] == "next"]
    out: dict[str, Any] = {
        "phones": len(phones),
        "next_to_phone": dist([p.step_arrival[a["step"]] - a["click"] for a in nexts for p in phones
                               if a["step"] in p.step_arrival]),
        "submit_to_counted": dist([v for (i, _), v in counted.items() if i in {p.index for p in phones}]),
        "submit": dist([t for p in phones for t in p.submit_times]),
        "answers_sent": sum(len(p.acked) for p in phones)}
    shown = [p.step_shown[a["step"]] - a["click"] for a in nexts for p in phones
             if a["step"] in getattr(p, "step_shown", {})]
    if shown:
        out["next_to_screen"] = dist(shown)  # real pages: until the step counter changed on screen
    return out


def latencies(shared: Shared, phones: list[Any], actions: list[dict[str, Any]], marks: dict[str, float],
              projector_seen: list[Seen]) -> dict[str, Any]:
    """Every latency of the run, per step and over all, and the per-second timeline."""
    out: dict[str, Any] = {}
    connected = [p for p in phones if p.connected]
    out["connected"] = len(connected)

    # Latencies: facilitator click -> each phone's long-poll returning the change.
    next_all: list[float] = []
    missed = 0
    per_step = []
    for action in actions:
        if action["kind"] == "next":
            k = action["step"]
            lat = [p.step_arrival[k] - action["click"] for p in connected if k in p.step_arrival]
            missed += len(connected) - len(lat)
            early = sum(1 for t in lat if t < 0)
            if early:
                # Phones had this step before its click: an earlier click advanced two steps.
                out.setdefault("anomalies", []).append(
                    f"step {k}: {early} phones had it before its click (an earlier click advanced two steps); "
                    "left out of next→phone")
            else:
                next_all.extend(lat)
            rows = {"step": k, "type": shared.exercises.get(k, {}).get("type"),
                    "exercise": shared.exercises.get(k, {}).get("id"),
                    "next_to_phone": dist(lat), "missed": len(connected) - len(lat),
                    "click_seconds": action["clicked"] - action["click"],
                    "facilitator_seen": action.get("facilitator_seen"),
                    "answered_after": action.get("answered_after"),
                    "phones_done": action.get("phones_done"),
                    "answers_sent": sum(1 for p in connected if k in p.acked),
                    "submit": dist([t for p in connected for t in p.step_submits.get(k, [])]),
                    "projector_answered": action.get("projector_answered")}
            per_step.append(rows)
        elif action["kind"] == "results":
            k = action["step"]
            lat = []
            for p in connected:
                if k not in p.step_version:
                    continue
                want = p.step_version[k] + 1
                seen = [t for v, t in p.version_arrival.items() if v >= want]
                if seen:
                    lat.append(min(seen) - action["click"])
            for rows in per_step:
                if rows["step"] == k:
                    rows["results_to_phone"] = dist(lat)
        elif action["kind"] == "end":
            lat = [p.ended_at - action["click"] for p in connected if p.ended_at is not None]
            out["end_to_phone"] = dist(lat)
            out["end_missed"] = len(connected) - len(lat)
    out["next_to_phone"] = dist(next_all)
    out["next_missed"] = missed
    out["per_step"] = per_step
    out["results_to_phone_p95_max"] = max(
        (r["results_to_phone"]["p95"] for r in per_step
         if r.get("results_to_phone") and r["results_to_phone"]["p95"] is not None), default=None)
    out["submit"] = dist(shared.submit_times)
    first_acks = [((p.index, k), k, sent, acked) for p in connected for k, (sent, acked) in p.first_ack.items()]
    counted = counted_latencies(first_acks, projector_seen)
    out["submit_to_counted"] = dist(list(counted.values()))
    for rows in per_step:
        rows["submit_to_counted"] = dist([v for (_, k), v in counted.items() if k == rows["step"]])
    out["submit_to_counted_missed"] = len(first_acks) - len(counted) if projector_seen else None
    if any(p.real for p in phones):
        out["by_kind"] = {kind: kind_summary([p for p in connected if p.real == real], actions, counted)
                          for kind, real in (("simulated", False), ("real", True))}
    out["answer_to_ack"] = dist(shared.ack_times)
    # Per second since the phones started: answers acknowledged (by when they were sent),
    # their mean round trip, and errors by kind.
    offset = int(shared.t0 - marks["phones_start"])
    out["timeline"] = {
        str(sec + offset): {k: (round(v, 3) if isinstance(v, float) else v) for k, v in sorted(b.items())}
        for sec, b in sorted(shared.seconds.items())}
    for b in out["timeline"].values():
        if b.get("answers ok"):
            b["answer seconds"] = round(b["answer seconds"] / b["answers ok"], 3)
    out["submit_refused"] = dict(shared.submit_other)
    out["answer_posts"] = shared.answer_posts
    out["join"] = dist(shared.join_times)
    out["page"] = dist(shared.page_times)
    out["errors"] = dict(shared.errors.most_common())
    out["facilitator_seen"] = dist([a["facilitator_seen"] for a in actions
                                    if a["kind"] == "next" and a.get("facilitator_seen") is not None])
    return out
