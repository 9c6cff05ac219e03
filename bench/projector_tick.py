"""What one projector or facilitator refresh costs the server in the domain, per question kind.

Every projector refreshes once a second (`st.fragment(run_every=1)`), and each refresh asks
the Workshop for the session, the number of phones, the room code, the step's results and
draws the chart; the facilitator's page does the same and more. With hundreds of phones the
results are recomputed from every answer unless something caches them.

This bench fills a DuckDB file through the Workshop's own API (`--phones` phones answering
each step of the all-types agenda, answers made by each kind's `examples`), then times, per
step:

* **idle tick**: the calls of one projector refresh when nothing changed since the last one,
  the chart's JSON included (Streamlit serialises the figure on every refresh);
* **tick after an answer**: the same right after one phone changed its answer (what a
  refresh costs while a room is answering);
* **figure**: building the step's Plotly figure from its results and serialising it to
  JSON (what `st.plotly_chart` sends), part of both ticks.

    python -m bench.projector_tick --phones 1000 --repeat 200
"""

from __future__ import annotations

import argparse
import platform
import random
import statistics
import tempfile
import time
from pathlib import Path

from bench.seeding import all_types_session, answered_steps
from workshop.questions import figure_for, kind_of
from workshop.service import Workshop

PROJECTOR_HEIGHT = 300  # ui.components.MIN_PROJECTOR_CHART_HEIGHT


def tick(ws: Workshop, code: str, step: int) -> None:
    """The domain calls of one projector refresh (pages/projector.py), chart included."""
    session = ws.session(code)
    ws.participant_count(code)
    ws.room_code(code)
    ws.step_results(code, session.live.step_index)
    figure = draw(ws, code, session.live.step_index)
    if figure is not None:
        figure.to_json()  # what st.plotly_chart sends, every refresh


def draw(ws: Workshop, code: str, step: int):
    """The projector's chart as pages/projector.py gets it (before rooms: drawn each refresh)."""
    if hasattr(ws, "step_figure"):
        return ws.step_figure(code, step, PROJECTOR_HEIGHT)
    figure = figure_for(ws.step_results(code, step))
    if figure is not None:
        figure.update_layout(height=PROJECTOR_HEIGHT)
    return figure


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def run(phones: int, repeat: int) -> list[tuple[str, str, float, float, float]]:
    rows = []
    with tempfile.TemporaryDirectory() as folder, all_types_session(Path(folder), phones) as (ws, code, tokens):
        rng = random.Random(1)
        for step, exercise in answered_steps(ws, code, tokens, rng):
            kind = kind_of(exercise)
            tick(ws, code, step)  # warm: the step's answers read once
            idle, busy, drawing = [], [], []
            for number in range(repeat):
                started = time.perf_counter()
                tick(ws, code, step)
                idle.append(time.perf_counter() - started)
                ws.submit(code, tokens[number % phones], step, kind.examples(exercise, number + 7, rng))
                started = time.perf_counter()
                tick(ws, code, step)
                busy.append(time.perf_counter() - started)
                started = time.perf_counter()
                figure = figure_for(ws.step_results(code, step))
                if figure is not None:
                    figure.to_json()
                drawing.append(time.perf_counter() - started)
            rows.append((exercise.id, exercise.type.value, median_ms(idle), median_ms(busy),
                         median_ms(drawing)))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phones", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    print(f"python -m bench.projector_tick --phones {args.phones} --repeat {args.repeat}; "
          f"Python {platform.python_version()}, {platform.system()} {platform.machine()}")
    print()
    print("| step | kind | idle tick median ms | tick after an answer median ms | figure + JSON median ms |")
    print("|---|---|---:|---:|---:|")
    for step_id, kind, idle, busy, drawing in run(args.phones, args.repeat):
        print(f"| {step_id} | {kind} | {idle:.2f} | {busy:.2f} | {drawing:.2f} |")


if __name__ == "__main__":
    main()
