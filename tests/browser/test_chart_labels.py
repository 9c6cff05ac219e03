"""Chart labels drawn whole in Chromium, however narrow the chart (issue 13, item 10c: the 2-D
field's side poles were cut off in the agenda builder's preview)."""

import plotly.offline
import pytest

from workshop.aggregate import aggregate_step
from workshop.charts import FIGURE_CONFIG, position2d_figure
from workshop.preview import example_answers

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [420, 640, 1200])
@pytest.mark.parametrize("exercise_id", ["checkin-calm-connected", "interpersonal-self-and-other"])
def test_the_2d_fields_pole_labels_are_inside_the_chart(library, browser, tmp_path, exercise_id, width):
    exercise = library.exercises[exercise_id]
    figure = position2d_figure(aggregate_step(exercise, example_answers(exercise), participants=12), height=420)
    page_file = tmp_path / "chart.html"
    page_file.write_text(
        f"<html><body style='margin:0;width:{width}px'><script>{plotly.offline.get_plotlyjs()}</script>"
        + figure.to_html(full_html=False, include_plotlyjs=False, config=FIGURE_CONFIG,
                         default_width=f"{width}px") + "</body></html>", encoding="utf-8")
    page = browser.new_page(viewport={"width": width, "height": 600})
    page.goto(page_file.as_uri())
    page.wait_for_selector(".annotation-text")
    boxes = page.evaluate("""() => {
        const svg = document.querySelector('.main-svg').getBoundingClientRect();
        return [...document.querySelectorAll('.annotation-text')].map(t => {
            const b = t.getBoundingClientRect();
            return {text: t.textContent, inside: b.left >= svg.left - 1 && b.right <= svg.right + 1
                                                 && b.top >= svg.top - 1 && b.bottom <= svg.bottom + 1};
        });
    }""")
    assert len(boxes) == 4
    assert [b["text"] for b in boxes if not b["inside"]] == []
    page.close()
