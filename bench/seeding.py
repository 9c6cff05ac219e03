"""A session of the all-types agenda filled through the Workshop's own API, for the benches
that time what the server does with a room's answers (projector_tick, fanout)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from harness.content import copy_content_with_all_types
from workshop.content import load_library
from workshop.models import Exercise, SessionSettings
from workshop.questions import kind_of
from workshop.service import Workshop
from workshop.storage.store import Store


@contextmanager
def all_types_session(folder: Path, phones: int,
                      settings: SessionSettings = SessionSettings()) -> Iterator[tuple[Workshop, str, list[str]]]:
    """A Workshop on a DuckDB file in `folder`, a session of the all-types agenda and the tokens
    of `phones` joined phones."""
    content = copy_content_with_all_types(folder / "content")
    ws = Workshop(Store(folder / "bench.duckdb"), load_library(content))
    code = ws.start_session("all-types", settings).code
    try:
        yield ws, code, [ws.join(code)[1] for _ in range(phones)]
    finally:
        ws.store.close()


def answered_steps(ws: Workshop, code: str, tokens: list[str], rng: random.Random) -> Iterator[tuple[int, Exercise]]:
    """Each step in turn, once every phone answered it (with its kind's examples) and its
    results are shown."""
    for step, exercise in enumerate(ws.session(code).steps):
        ws.go_to_step(code, step)
        kind = kind_of(exercise)
        values = [kind.examples(exercise, number, rng) for number in range(len(tokens))]
        with ThreadPoolExecutor(32) as pool:  # many phones at once: the writer commits them together
            list(pool.map(lambda pair: ws.submit(code, pair[0], step, pair[1]), zip(tokens, values)))
        ws.set_results_shown(code, True)
        yield step, exercise
