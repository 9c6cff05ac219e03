"""The load bench's `--agenda` (bench/load/settings.py, bench/load/agenda.py): nine-domains-intro
by default with the 7 steps every earlier run played, all-types with all of its steps, `--steps`
bounded by the chosen agenda, and stored answers of every kind (lists with nulls, dicts) checked
against what the phones sent (bench/load/summary.py). Fast: no server, no browser."""

import json
from types import SimpleNamespace

import pytest

from bench.load import summary
from bench.load.agenda import step_ids, write_all_types
from bench.load.settings import parse_args
from harness.content import ALL_TYPES_STEPS, CONTENT
from workshop.content import load_library


def test_the_default_agenda_plays_the_seven_steps_earlier_runs_played():
    settings = parse_args(["--phones", "20"], "bench")
    assert (settings.agenda, settings.steps) == ("nine-domains-intro", 7)


def test_all_types_plays_every_step_unless_told():
    assert parse_args(["--agenda", "all-types"], "bench").steps == len(ALL_TYPES_STEPS) == 12
    assert parse_args(["--agenda", "all-types", "--steps", "3"], "bench").steps == 3


@pytest.mark.parametrize("agenda", ["all-types", "nine-domains-intro"])
def test_steps_beyond_the_chosen_agenda_are_refused(agenda, capsys):
    length = len(step_ids(agenda))
    assert parse_args(["--agenda", agenda, "--steps", str(length)], "bench").steps == length
    for steps in (length + 1, 0):
        with pytest.raises(SystemExit):
            parse_args(["--agenda", agenda, "--steps", str(steps)], "bench")
        assert f"--steps must be between 1 and {length}, the length of {agenda}" in capsys.readouterr().err


def test_the_all_types_agenda_written_into_a_copy_loads_with_one_step_of_every_kind(tmp_path):
    content = tmp_path / "content"
    (content / "agendas").mkdir(parents=True)
    (content / "exercises").symlink_to(CONTENT / "exercises")
    write_all_types(content)
    library = load_library(content)
    agenda = library.agendas["all-types"]
    assert agenda.title == "Every question type"
    assert len({step.type for step in agenda.steps}) == len(agenda.steps) == len(ALL_TYPES_STEPS)


def test_stored_lists_and_dicts_are_verified_value_by_value(monkeypatch):
    sent = {7: ({"band": "inside", "position": 40}, False), 8: ([5, 30, 40, 25], False),
            9: (["b", "a"], False), 10: ({"point": [31, 47], "word": "calm"}, False),
            11: ([4, None, 2], False), 0: (None, True)}
    phone = SimpleNamespace(token="t1", acked=sent, given_up={}, answer_tasks=dict.fromkeys(sent))
    rows = [(k, "t1", None if value is None else json.dumps(value, sort_keys=True), passed, 1)
            for k, (value, passed) in sent.items()]
    rows[-2] = (11, "t1", json.dumps([4, 1, 2]), False, 2)  # a statement's pass lost: not verified
    monkeypatch.setattr(summary, "read_answers", lambda database, code: (rows, 1))
    out = summary.sent_and_stored([phone], "unused", "ABC123")
    assert (out["answers_sent"], out["answers_stored"], out["answers_verified"]) == (6, 6, 5)
    assert out["answers_value_mismatch"] == 1
    assert out["answers_by_step"][11] == {"answers_stored": 1, "answers_verified": 0, "passes_sent": 0}
    assert out["answers_by_step"][0] == {"answers_stored": 1, "answers_verified": 1, "passes_sent": 1}
