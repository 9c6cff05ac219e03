"""The bench's output: markdown tables of the runs, the knee, and the offline Plotly chart."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.load.settings import KNEE_SECONDS


def fmt(v: float | None, scale: float = 1.0, digits: int = 2) -> str:
    return "-" if v is None else f"{v * scale:.{digits}f}"


def spread(d: dict[str, Any], *quantiles: str, scale: float = 1.0, digits: int = 2) -> str:
    """"p50 / p95 / max" of one distribution (latency.dist), e.g. in ms with scale 1000."""
    return " / ".join(fmt(d.get(q), scale, digits) for q in quantiles)


# A latency is not reported when the bench's own event loop was late (p95) by more than this
# share of it: the bench, not the server, may have made it (issue #16). Printed as "lag".
LAG_SHARE = 0.10


def timed(d: dict[str, Any], lag_p95: float | None, *quantiles: str, scale: float = 1.0, digits: int = 2) -> str:
    """`spread`, with each value the bench's loop lag makes doubtful printed as "lag"."""
    cells = []
    for q in quantiles:
        v = d.get(q)
        cells.append("lag" if v is not None and lag_p95 is not None and lag_p95 > LAG_SHARE * v
                     else fmt(v, scale, digits))
    return " / ".join(cells)


def pct(r: dict[str, Any], key: str) -> str:
    return fmt(r.get(key), 1, 0)


def markdown(head: str, rows: list[list[Any]]) -> str:
    lines = [head, "|" + "---|" * (head.count("|") - 1)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def table(results: list[dict[str, Any]]) -> str:
    head = ("| N | connected | answers sent / stored / verified | submit→counted on projector p50 / p95 / max (s) | "
            "next→phone p50 / p95 / max (s) | submit round trip p50 / p95 / max (ms) | "
            "server CPU s (mean %, peak %) | peak RSS MB | RSS / phone kB | bench CPU % | bench loop lag p95 / max (ms) | "
            "Chromium CPU % | other CPU % | errors |")
    rows = []
    for r in results:
        nx, sb, sc = r.get("next_to_phone") or {}, r.get("submit") or {}, r.get("submit_to_counted") or {}
        lag = r.get("bench_loop_lag") or {}
        errors = ", ".join(f"{k} ×{v}" for k, v in (r.get("errors") or {}).items()) or "none"
        if r.get("collapsed"):
            errors += " (run aborted)"
        answers = " / ".join(str(r.get(key, "-")) for key in ("answers_sent", "answers_stored", "answers_verified"))
        rows.append([r["n"], r.get("connected", "-"), answers,
                     timed(sc, lag.get("p95"), "p50", "p95", "max"), timed(nx, lag.get("p95"), "p50", "p95", "max"),
                     timed(sb, lag.get("p95"), "p50", "p95", "max", scale=1000, digits=0),
                     f"{fmt(r.get('server_cpu_s'), 1, 1)} ({pct(r, 'server_cpu_pct')} %, "
                     f"{pct(r, 'server_cpu_pct_peak')} %)",
                     pct(r, "server_peak_rss_mb"), pct(r, "rss_per_phone_kb"), pct(r, "bench_cpu_pct"),
                     spread(lag, "p95", "max", scale=1000, digits=1), pct(r, "browser_cpu_pct"),
                     pct(r, "other_cpu_pct"), errors])
    return markdown(head, rows)


def projector_check(check: dict[str, Any] | None) -> str:
    """What `--check-projector` saw of a step's "N responded": the count expected and when it showed."""
    if not check:
        return "-"
    if check.get("seconds") is not None:
        return f"{check['expected']} after {check['seconds']:.2f} s"
    return f"{check['expected']} never shown" + (f" ({check['shown']})" if check.get("shown") else "")


def step_table(results: list[dict[str, Any]]) -> str:
    """Each step of each N: its kind, its answers made, stored and verified by the kind's rules,
    and its latencies, so a kind that costs more (or loses answers) shows on its own row."""
    head = ("| N | step | kind | exercise | answers sent / stored / verified (passes) | "
            "next→phone p50 / p95 (s) | submit round trip p50 / p95 (ms) | submit→counted p50 / p95 (s) | "
            "projector \"N responded\" |")
    rows = []
    for r in results:
        lag95 = (r.get("bench_loop_lag") or {}).get("p95")
        for k in r.get("per_step") or []:
            rows.append([r["n"], k["step"] + 1, k.get("type") or "-", k.get("exercise") or "-",
                         f"{k.get('answers_sent', '-')} / {k.get('answers_stored', '-')} / "
                         f"{k.get('answers_verified', '-')} ({k.get('passes_sent', '-')})",
                         timed(k.get("next_to_phone") or {}, lag95, "p50", "p95"),
                         timed(k.get("submit") or {}, lag95, "p50", "p95", scale=1000, digits=0),
                         timed(k.get("submit_to_counted") or {}, lag95, "p50", "p95"),
                         projector_check(k.get("projector_answered"))])
    return markdown(head, rows)


def stack_table(results: list[dict[str, Any]]) -> str:
    """Where the CPU went with several servers, PostgreSQL and nginx (in % of one core)."""
    head = ("| N | servers | database | nginx | app servers CPU % (each) | PostgreSQL CPU % | nginx CPU % | "
            "bench CPU % | Chromium CPU % | other CPU % | machine CPU % (of 200) | app servers peak RSS MB |")
    rows = []
    for r in results:
        each = " + ".join(fmt(v, 1, 0) for v in r.get("per_server_cpu_pct") or [])
        rows.append([r["n"], r.get("servers", 1), r.get("database", "duckdb"), "yes" if r.get("nginx") else "no",
                     f"{pct(r, 'server_cpu_pct')} ({each})"]
                    + [pct(r, key) for key in ("postgres_cpu_pct", "nginx_cpu_pct", "bench_cpu_pct",
                                               "browser_cpu_pct", "other_cpu_pct", "system_cpu_pct",
                                               "server_peak_rss_mb")])
    return markdown(head, rows)


def crosscheck_table(results: list[dict[str, Any]]) -> str:
    """Simulated against real Chromium phones of the same runs (`--real-phones`)."""
    head = ("| N | phones | kind | answers sent | next→phone p50 / p95 / max (s) | next→on screen p50 / p95 (s) | "
            "submit→counted p50 / p95 / max (s) | submit round trip p50 / p95 (ms) |")
    rows = []
    for r in results:
        lag95 = (r.get("bench_loop_lag") or {}).get("p95")
        for kind, k in (r.get("by_kind") or {}).items():
            nx, sc, sb, sh = (k.get(key) or {} for key in ("next_to_phone", "submit_to_counted", "submit",
                                                            "next_to_screen"))
            rows.append([r["n"], k["phones"], kind, k["answers_sent"], timed(nx, lag95, "p50", "p95", "max"),
                         timed(sh, lag95, "p50", "p95"), timed(sc, lag95, "p50", "p95", "max"),
                         timed(sb, lag95, "p50", "p95", scale=1000, digits=0)])
    return markdown(head, rows) if rows else ""


KNEE_MEASURES = (("next_to_phone", "next→phone"), ("submit_to_counted", "submit→counted"),
                 ("submit", "submit round trip"))


def knee(results: list[dict[str, Any]]) -> str:
    """The first N at which a p95 latency passes KNEE_SECONDS."""
    for r in results:
        for key, name in KNEE_MEASURES:
            p95 = (r.get(key) or {}).get("p95")
            if p95 is not None and p95 > KNEE_SECONDS:
                return f"{name} p95 passes {KNEE_SECONDS:g} s at N = {r['n']} (p95 {p95:.2f} s)"
    return f"no knee: every p95 latency stays under {KNEE_SECONDS:g} s for every N run"


def chart(results: list[dict[str, Any]], path: Path) -> None:
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    ok = [r for r in results if r.get("next_to_phone")]
    xs = [r["n"] for r in ok]
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, vertical_spacing=0.12,
                        subplot_titles=("Latency (s)", "Server CPU (% of one core) and RSS per phone (kB)"))
    for key, name in KNEE_MEASURES:
        for q, dash in (("p50", "solid"), ("p95", "dash")):
            fig.add_trace(go.Scatter(x=xs, y=[(r.get(key) or {}).get(q) for r in ok], mode="lines+markers",
                                     name=f"{name} {q}", line={"dash": dash}), row=1, col=1)
    fig.add_hline(y=KNEE_SECONDS, line_dash="dot", line_color="red", row=1, col=1,
                  annotation_text=f"{KNEE_SECONDS:g} s")
    fig.add_trace(go.Scatter(x=xs, y=[r.get("server_cpu_pct") for r in ok], mode="lines+markers",
                             name="server CPU % (mean)"), row=2, col=1)
    fig.add_trace(go.Scatter(x=xs, y=[r.get("server_cpu_pct_peak") for r in ok], mode="lines+markers",
                             name="server CPU % (busiest interval)"), row=2, col=1)
    fig.add_trace(go.Scatter(x=xs, y=[r.get("rss_per_phone_kb") for r in ok], mode="lines+markers",
                             name="RSS per phone kB"), row=2, col=1)
    fig.update_xaxes(title_text="phones (N)", row=2, col=1)
    agenda = f" ({ok[0].get('agenda')})" if ok and ok[0].get("agenda") else ""
    fig.update_layout(title=f"Live workshop: N phones against one `streamlit run app.py`{agenda}", height=800)
    fig.write_html(str(path), include_plotlyjs=True)
