"""Load benchmark: N simulated phones against a real `streamlit run app.py`.

Run from the repository root:

    python -m bench.phones --phones 50 100 300 500 1000

For each N this starts a fresh server on a free port of 127.0.0.1 with a fresh
DuckDB file, plays the facilitator in headless Chromium, holds the projector page
as a Streamlit websocket client that re-runs its fragment every second as a
browser tab does (bench/wsprojector.py; `--projector chromium` for a real tab),
connects N phones from ONE asyncio process with httpx (each phone loads the
page, joins and long-polls `/api/live` exactly like
`phone/static/phone.js`), steps through the agenda, and measures:

* submit->counted: a phone's first send of its answer -> the projector showing
  a count that includes it (see counted_latencies);
* next->phone: facilitator's click -> the phone's long-poll returning the new step;
* submit: the round trip of every POST /api/answer;
* answers sent (the latest acknowledged answer or pass per phone and step)
  against the rows stored in DuckDB (read after the server has stopped);
* the server's CPU time and RSS sampled from /proc (process and children).

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
