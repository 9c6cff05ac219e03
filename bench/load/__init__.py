"""The phone load bench (`python -m bench.phones`), one module per job.

- settings: the command line and the bench's fixed numbers (timeouts, bounds);
- source: the app the servers run (a copy of the working tree, or a `git archive` of a revision);
- agenda: the agenda a run plays (`--agenda`), written into that copy and checked by its own code;
- machine: what the report says about the machine, and the wait for a quiet one;
- sampling: CPU and memory of the servers, the bench and the browser, from /proc;
- servers: the app servers, PostgreSQL and nginx of one run, their logs and stored answers;
- shared: the state the phones and the facilitator share in one run;
- answers: what phones answer, made and compared by the question kinds' own rules;
- phone: a simulated phone (httpx); realphone: a real Chromium page on /join;
- facilitator: the facilitator page in Chromium; projectors: the projector, websocket or tab;
- run: the phases of one N; latency and summary: the measures of a run;
- tables: the markdown tables and the Plotly chart; series: one run per N, the report file.
"""
