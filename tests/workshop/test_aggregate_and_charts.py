import dataclasses

import pytest

from workshop.aggregate import aggregate_step
from workshop.charts import FIGURE_CONFIG, summary_line, text_wall_html
from workshop.questions import figure_for as results_figure
from workshop.models import Answer


def answers(exercise, values, passes=0):
    given = [Answer(0, exercise.id, f"t{i}", v, False) for i, v in enumerate(values)]
    return given + [Answer(0, exercise.id, f"p{i}", None, True) for i in range(passes)]


def test_scale_counts_every_point_of_the_scale_with_mean_and_median(library):
    scale = library.exercises["checkin-integration"]
    results = aggregate_step(scale, answers(scale, [2, 4, 4, 9]), participants=6)
    assert results.counts[:5] == (("0", 0), ("1", 0), ("2", 1), ("3", 0), ("4", 2))
    assert len(results.counts) == 11
    assert (results.mean, results.median, results.responses, results.passes) == (4.75, 4.0, 4, 0)
    figure = results_figure(results)
    assert list(figure.data[0].y) == [0, 0, 1, 0, 2, 0, 0, 0, 0, 1, 0]
    assert summary_line(results) == "4 responded: 4 answers, 0 passes · mean 4.8 · median 4"


def test_multiple_choice_counts_each_option_in_content_order(library):
    faces = library.exercises["faces-pick"]
    a, b, c = faces.settings["options"][:3]
    results = aggregate_step(faces, answers(faces, [[a, b], [b], [b, c]], passes=2), participants=5)
    assert results.counts[:3] == ((a, 1), (b, 3), (c, 1))
    assert results.passes == 2
    bars = results_figure(results).data[0]
    assert list(bars.x)[::-1][:3] == [1, 3, 1]  # drawn bottom-up, read top-down


def test_words_are_ranked_by_frequency_and_escaped_for_plotly(library):
    word = library.exercises["bilateral-literal-word"]
    results = aggregate_step(word, answers(word, ["calm", "tired", "calm", "<b>x</b>"]), participants=4)
    assert results.counts == (("calm", 2), ("<b>x</b>", 1), ("tired", 1))
    cloud = {a.text: a.font.size for a in results_figure(results).layout.annotations}
    assert list(cloud) == ["calm", "&lt;b&gt;x&lt;/b&gt;", "tired"] and cloud["calm"] > cloud["tired"]
    as_treemap = dataclasses.replace(word, settings={**word.settings, "display": "treemap"})
    treemap = results_figure(aggregate_step(as_treemap, answers(word, ["calm", "tired", "calm", "<b>x</b>"]),
                                            participants=4)).data[0]
    assert list(treemap.labels) == ["calm", "&lt;b&gt;x&lt;/b&gt;", "tired"]
    assert list(treemap.values) == [2, 1, 1]


def test_spectrum_and_field_keep_every_position(library):
    river = library.exercises["river-position"]
    results = aggregate_step(river, answers(river, [10.0, 50.0, 90.0]), participants=3)
    assert (results.values, results.median) == ((10.0, 50.0, 90.0), 50.0)
    figure = results_figure(results)
    assert list(figure.data[0].x) == [10.0, 50.0, 90.0]
    poles = [a.text for a in figure.layout.annotations if a.text != "median"]
    assert poles[:2] == [river.settings["left"], river.settings["right"]]
    field = library.exercises["checkin-calm-connected"]
    results = aggregate_step(field, answers(field, [[0, 100], [25.5, 75]]), participants=2)
    assert results.points == ((0.0, 100.0), (25.5, 75.0))
    assert list(results_figure(results).data[0].y) == [100.0, 75.0]


def test_short_texts_are_a_wall_of_escaped_cards(library):
    text = library.exercises["grounding-close"]
    hostile = '<img src=x onerror="alert(1)"> **bold** [link](http://x)'
    results = aggregate_step(text, answers(text, ["first", hostile]), participants=2)
    assert results_figure(results) is None
    wall = text_wall_html(results.texts)
    assert "<img" not in wall
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; **bold** [link](http://x)" in wall
    assert wall.index("&lt;img") < wall.index("first")  # newest first


@pytest.mark.parametrize("exercise_id", ["checkin-integration", "checkin-window", "faces-pick",
                                         "bilateral-literal-word", "river-position", "checkin-calm-connected"])
def test_every_chart_draws_an_empty_step_without_a_toolbar(library, exercise_id):
    results = aggregate_step(library.exercises[exercise_id], [], participants=0)
    figure = results_figure(results)
    assert figure.layout.font.size >= 24
    assert FIGURE_CONFIG["displayModeBar"] is False
    assert summary_line(results).startswith("0 responded: 0 answers, 0 passes")
