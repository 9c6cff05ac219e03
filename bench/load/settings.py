"""The bench's command line, read into frozen `Settings`, and its fixed numbers."""

from __future__ import annotations

import argparse
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bench.load.agenda import AGENDAS, default_steps, step_ids

ROOT = Path(__file__).resolve().parent.parent.parent
RESULTS = ROOT / "bench" / "results"
HOST = "127.0.0.1"
BENCH_PASSCODE = "bench-phones-001"  # used only if the app asks the facilitator for a passcode

# Like phone.js: a poll gives up after 40 s (the server answers within 25 s),
# a send after 15 s.
POLL_TIMEOUT = 40.0
SEND_TIMEOUT = 15.0
MAX_SEND_ATTEMPTS = 6          # per answer; phone.js retries for as long as the page is open
MAX_JOIN_ATTEMPTS = 8
MAX_POLLS_PER_PHONE = 5_000    # a safety bound: a normal run makes a few dozen
KNEE_SECONDS = 2.0
SERVER_STOP_SECONDS = 15.0  # SIGTERM to SIGKILL


@dataclass(frozen=True)
class Settings:
    """One bench command's settings: the flags below, checked (see their help)."""

    phones: tuple[int, ...]
    agenda: str
    steps: int
    join_seconds: float
    connect_timeout: float
    think_min: float
    think_max: float
    change_rate: float
    pass_rate: float
    step_timeout: float
    show_results: bool
    results_seconds: float
    projector: str
    real_phones: int
    server_env: tuple[str, ...]
    profile: bool
    check_projector: bool
    idle_seconds: float
    sample_interval: float
    source_ips: int
    run_timeout: float
    stop_on_collapse: bool
    source: str
    quiet_threshold: float
    quiet_wait: float
    disturbed_retries: int
    servers: int
    database: str
    nginx: bool
    nginx_worker_connections: int
    seed: int

    def server_environment(self) -> dict[str, str]:
        """Extra environment for the server (`--server-env`), e.g. a Streamlit option to try
        without editing the app: STREAMLIT_RUNNER_POST_SCRIPT_GC=false."""
        return dict(item.split("=", 1) for item in self.server_env)


def is_revision(name: str) -> bool:
    """Whether git knows `name` as a commit of this repository (a hash, tag, branch, HEAD~2...)."""
    done = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"{name}^{{commit}}"], cwd=ROOT,
                          capture_output=True, timeout=20, check=False)
    return done.returncode == 0


def parser(description: str) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench.phones", description=description,
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--phones", type=int, nargs="+", default=[50, 100, 300, 500, 1000],
                   help="numbers of simulated phones, one fresh server each")
    p.add_argument("--agenda", choices=AGENDAS, default=AGENDAS[0],
                   help="the agenda the facilitator picks (by its title): nine-domains-intro, shipped, as in "
                        "every earlier run; all-types, one step of every question kind (harness/content.py), "
                        "written into the app's copy")
    p.add_argument("--steps", type=int, default=argparse.SUPPRESS,
                   help="agenda steps to play, from the first, at most the agenda's length (default: "
                        f"{default_steps(AGENDAS[0])} of nine-domains-intro, comparable with earlier runs: "
                        "single_choice, scale, single_choice, spectrum, single_choice, single_choice, word; "
                        f"all {default_steps('all-types')} of all-types)")
    p.add_argument("--join-seconds", type=float, default=10.0, help="phones arrive spread over this time")
    p.add_argument("--connect-timeout", type=float, default=60.0,
                   help="extra time allowed for every phone to be connected")
    p.add_argument("--think-min", type=float, default=0.5)
    p.add_argument("--think-max", type=float, default=4.0)
    p.add_argument("--change-rate", type=float, default=0.2, help="share of phones that change their answer once")
    p.add_argument("--pass-rate", type=float, default=0.05, help="share of phones that pass")
    p.add_argument("--step-timeout", type=float, default=60.0,
                   help="the facilitator waits at most this long for the phones before moving on")
    p.add_argument("--show-results", action=argparse.BooleanOptionalAction, default=True,
                   help="reveal results on the projector after each step (one more broadcast per step)")
    p.add_argument("--results-seconds", type=float, default=2.0, help="time results stay up before Next")
    p.add_argument("--projector", choices=("ws", "chromium", "none"), default="ws",
                   help="the projector page (it refreshes every second): a Streamlit websocket client "
                        "speaking BackMsg/ForwardMsg (ws), a Chromium tab (chromium), or none")
    p.add_argument("--real-phones", type=int, default=0,
                   help="of the N phones, this many are real headless Chromium pages on /join (touch viewport) "
                        "answering through the page, timed apart from the simulated ones (cross-check)")
    p.add_argument("--server-env", action="append", default=[], metavar="NAME=VALUE",
                   help="extra environment variable for the server (repeatable), to measure a setting "
                        "without editing the app, e.g. STREAMLIT_RUNNER_POST_SCRIPT_GC=false")
    p.add_argument("--profile", action="store_true",
                   help="attach py-spy to the server while phones are connected; report CPU per submit and per "
                        "poll and the top frames (bench/profile.py)")
    p.add_argument("--check-projector", action=argparse.BooleanOptionalAction, default=True,
                   help="check the projector's joined/answered counts")
    p.add_argument("--idle-seconds", type=float, default=3.0, help="idle sampling before phones connect")
    p.add_argument("--sample-interval", type=float, default=0.5)
    p.add_argument("--source-ips", type=int, default=1,
                   help="spread phones over 127.0.0.1..127.0.0.K as source addresses (1 = one NAT'd room)")
    p.add_argument("--run-timeout", type=float, default=900.0, help="hard limit for one N")
    p.add_argument("--stop-on-collapse", action=argparse.BooleanOptionalAction, default=True,
                   help="skip larger N once a run collapses")
    p.add_argument("--source", default="worktree", metavar="{worktree,head,REV}",
                   help="run the app from a copy of the working tree taken at start, or from a clean "
                        "`git archive` of HEAD or of any git revision REV (e.g. 9aaed06, to compare with an "
                        "older app); either way edits made during the run do not reach it")
    p.add_argument("--quiet-threshold", type=float, default=25.0,
                   help="before each N, wait until other processes use less than this %% of one core")
    p.add_argument("--quiet-wait", type=float, default=600.0, help="longest wait for a quiet machine (s)")
    p.add_argument("--disturbed-retries", type=int, default=1,
                   help="run an N again (after waiting for quiet) when other processes used more than "
                        "twice --quiet-threshold during it")
    p.add_argument("--servers", type=int, default=1,
                   help="app servers (`streamlit run app.py` each) sharing one database; more than 1 needs "
                        "--database postgresql. The facilitator drives the first, the projector watches the "
                        "last, the phones go through nginx")
    p.add_argument("--database", choices=("duckdb", "postgresql"), default="duckdb",
                   help="duckdb: a DuckDB file (one server); postgresql: a throwaway PostgreSQL cluster "
                        "(harness/postgres.py) whose one database every server uses")
    p.add_argument("--nginx", action=argparse.BooleanOptionalAction, default=None,
                   help="put Debian's nginx with deploy/nginx-workshop.conf in front of the servers and send "
                        "the phones (and the join links) through it; default: on with 2 or more servers")
    p.add_argument("--nginx-worker-connections", type=int, default=8192,
                   help="nginx's worker_connections (a phone's long-poll holds two connections in nginx)")
    p.add_argument("--seed", type=int, default=1)
    return p


def parse_args(argv: list[str] | None, description: str) -> Settings:
    p = parser(description)
    args = p.parse_args(argv)
    if not 1 <= args.servers <= 8:
        p.error("--servers must be between 1 and 8")
    if args.servers > 1 and args.database != "postgresql":
        p.error("--servers above 1 needs --database postgresql (a DuckDB file has one writing process)")
    if args.nginx is None:
        args.nginx = args.servers > 1
    if args.servers > 1 and not args.nginx:
        p.error("--servers above 1 needs nginx in front (--nginx)")
    if args.profile and args.servers > 1:
        p.error("--profile attaches to one server: use it with --servers 1")
    if not all(1 <= n <= 5000 for n in args.phones):
        p.error("--phones must be between 1 and 5000")
    if any("=" not in item for item in args.server_env):
        p.error("--server-env takes NAME=VALUE")
    if not 0 <= args.real_phones <= min(args.phones):
        p.error("--real-phones must be between 0 and the smallest --phones")
    if not 1 <= args.source_ips <= 250:
        p.error("--source-ips must be between 1 and 250")
    length = len(step_ids(args.agenda))
    args.steps = getattr(args, "steps", default_steps(args.agenda))
    if not 1 <= args.steps <= length:
        p.error(f"--steps must be between 1 and {length}, the length of {args.agenda}")
    if args.source not in ("worktree", "head") and not is_revision(args.source):
        p.error(f"--source {args.source!r}: not worktree, head or a git revision of this repository")
    return Settings(**{**vars(args), "phones": tuple(args.phones), "server_env": tuple(args.server_env)})
