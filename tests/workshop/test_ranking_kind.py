"""Ranking (workshop/questions/ranking.py): what a phone may send, what the room sees and what a
content file may say. The registry's own tests (test_question_kinds.py) run on it too."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.workshop.kind_files import answer, assert_refused_storing_nothing, phone_on_step, the_one_error
from workshop.aggregate import aggregate_step, rows_for_phones
from workshop.answers import InvalidAnswer, normalise_answer
from workshop.charts import ranking_figure
from workshop.models import Answer

ITEMS = ["Slowing my breath", "Moving my body", "Being with someone I trust", "Time outside", "Naming what I feel"]


@pytest.fixture
def ranking(library):
    return library.exercises["return-to-window"]


def test_every_item_once_in_any_order_is_stored_as_sent(ranking):
    assert ranking.settings == {"items": ITEMS}
    assert normalise_answer(ranking, ITEMS[::-1]) == ITEMS[::-1]


@pytest.mark.parametrize(("raw", "said"), [
    (ITEMS[:4], "every one of the 5 items a place"),                         # one missing
    ([*ITEMS[:4], ITEMS[0]], "one place only"),                                # one twice
    ([*ITEMS[:4], "Chocolate"], "only the items shown"),                      # one unknown
    ([*ITEMS, "Chocolate"], "only the items shown"),
    ([*ITEMS, ITEMS[0]], "one place only"),
    ([item.upper() for item in ITEMS], "only the items shown"),
    ({"first": ITEMS[0]}, "in order"),
    ([1, 2, 3, 4, 5], "in order"),
    ("Slowing my breath", "in order"),
])
def test_a_missing_duplicated_or_unknown_item_is_refused_in_a_sentence(ranking, raw, said):
    with pytest.raises(InvalidAnswer, match=said):
        normalise_answer(ranking, raw)


def test_the_phone_api_refuses_a_bad_ranking_and_stores_nothing(workshop):
    with phone_on_step(workshop, "return-to-window") as phone:
        for value in (ITEMS[:4], [*ITEMS[:4], ITEMS[0]], [*ITEMS[:4], "<b>x</b>"], []):
            assert_refused_storing_nothing(workshop, phone, value)
        assert answer(phone, ITEMS).status_code == 200 and workshop.store.count_answers(phone[1]) == 1


def test_the_room_sees_items_by_mean_rank_with_a_borda_score_and_firsts_and_phones_nothing(ranking):
    orders = [[ITEMS[4], *ITEMS[:4]], ITEMS, [*ITEMS[1:], ITEMS[0]]]
    answers = [Answer(0, ranking.id, f"t{n}", order, False) for n, order in enumerate(orders)]
    results = aggregate_step(ranking, answers, participants=3)
    assert [(item.label, round(item.mean, 2)) for item in results.items] == [
        ("Moving my body", 2.0), ("Slowing my breath", 2.67), ("Being with someone I trust", 3.0),
        ("Naming what I feel", 3.33), ("Time outside", 4.0)]
    assert dict(results.counts) == {"Moving my body": 1, "Slowing my breath": 1, "Naming what I feel": 1,
                                    "Being with someone I trust": 0, "Time outside": 0}
    assert rows_for_phones(results) == []
    figure = ranking_figure(results)
    bars = figure.data[0]
    assert list(bars.y)[-1] == "Moving my body"                 # the best on top
    assert bars.x[-1] == pytest.approx(100 * (5 - 2.0) / 4)     # Borda: 3 of 4 points a phone
    assert bars.text[-1] == "mean rank 2.0 · first for 1 (33%)"


def test_the_nine_domains_can_be_ranked_in_the_sixty_minute_introduction(library):
    steps = library.agendas["nine-domains-intro"].steps
    [domains] = [s for s in steps if s.type.value == "ranking"]
    assert len(domains.settings["items"]) == 9


@pytest.mark.parametrize(("settings", "field", "reason"), [
    ("{items: [a]}", "settings.items", "must be a list of 3 to 9 items"),
    ("{items: [a, b]}", "settings.items", "must be a list of 3 to 9 items"),
    ("{items: [a, b, c, d, e, f, g, h, i, j]}", "settings.items", "must be a list of 3 to 9 items"),
    ("{items: [a, b, a]}", "settings.items", "has the same item twice"),
    ("{items: [a, b, '']}", "settings.items[2]", "must be a non-empty text"),
    ("{}", "settings.items", "must be a list of 3 to 9 items"),
])
def test_a_content_file_with_bad_ranking_settings_names_file_field_and_reason(tmp_path: Path, settings, field, reason):
    found, said = the_one_error(tmp_path, "ranking", settings)
    assert found == field and reason in said, said