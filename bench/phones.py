"""Load benchmark: N simulated phones against a real `streamlit run app.py`.

Run from the repository root:

    python -m bench.phones --phones 50 100 300 500 1000

For each N this starts a fresh server on a free port of 127.0.0.1 with a fresh
DuckDB file, plays the facilitator in headless Chromium, holds the projector page
as a Streamlit websocket client that re-runs its fragment every second as a
browser tab does (bench/wsprojector.py; `--projector chromium` for a real tab),
connects N phones from ONE asyncio process over raw keep-alive connections
(bench/load/wire.py, not httpx: the bench must not be the bottleneck; each phone loads the
page, joins and long-polls `/api/live` exactly like
`phone/static/phone.js`), steps through the agenda, and measures:

* submit->counted: a phone's first send of its answer -> the projector showing
  a count that includes it (see counted_latencies);
* next->phone: facilitator's click -> the phone's long-poll returning the new step;
* submit: the round trip of every POST /api/answer;
* answers sent (the latest acknowledged answer or pass per phone and step)
  against the rows stored in DuckDB (read after the server has stopped), values
  compared, over the run and per step (kind);
* the server's CPU time and RSS sampled from /proc (process and children).

The agenda played is steps 1-7 of `nine-domains-intro` by default (single_choice,
scale, single_choice, spectrum, single_choice, single_choice, word), comparable with
every earlier run. `--agenda all-types` plays harness/content.py's agenda "Every
question type" instead, all 12 steps by default: one step of every kind, so one run
also sends, stores and checks window, points, ranking, mood and statements answers.
Phones make each answer with its kind's own `examples`, and what is stored is
compared with the kind's `normalise` (bench/load/answers.py); the printed tables
give each step (kind) its own row. `--steps K` plays the first K steps, at most the
agenda's length. With `--source REV` the bench refuses an agenda the revision cannot
load, naming the kinds it lacks (bench/load/agenda.py).

`--real-phones 5` makes 5 of the N phones real headless Chromium pages on /join
that answer through the page (bench/load/realphone.py) and reports their latencies
next to the simulated phones', as a cross-check of the simulation.

`--servers 2 --database postgresql` runs two app servers on one database in a
throwaway PostgreSQL cluster (harness/postgres.py), with Debian's nginx and the
shipped deploy/nginx-workshop.conf in front (`--nginx`, also for one server):
the phones and the join links go through nginx, the facilitator drives the
first server, the projector watches the last one (so submit->counted crosses
servers), stored answers are read from PostgreSQL, and PostgreSQL's and nginx's
CPU are sampled apart from the app servers'.

Results go to bench/results/ (git-ignored): a JSON file, an offline Plotly HTML
chart and the server log of each run. Everything is bounded in count and time,
and the server and the browser are stopped on exit, Ctrl-C or error.

The bench process and Chromium run on the same machine as the server and
compete with it for CPU: their CPU use is reported next to the server's.

This module is the entry point; the bench's jobs live in bench/load/ (one module each:
settings, the app's source, servers, phones, facilitator, projectors, latency, tables...).
"""

from __future__ import annotations

import sys

from bench.load.series import main as run_series


def main(argv: list[str] | None = None) -> int:
    return run_series(argv, description=__doc__.split("\n\n")[0])


if __name__ == "__main__":
    sys.exit(main())
