"""The downloaded HTML report opens offline in headless Chromium and draws every chart."""

import pytest

from tests.workshop.test_reports import CHART_STEPS, seed
from workshop import reports

pytestmark = pytest.mark.browser


def test_the_html_report_draws_its_charts_offline_without_console_errors(workshop, browser, tmp_path):
    seeded = seed(workshop)
    path = tmp_path / "report.html"
    path.write_bytes(reports.html_report(reports.build(workshop, seeded.code)))

    # A fresh context that refuses every network request: the report must not need one.
    context = browser.new_context(viewport={"width": 1200, "height": 900}, offline=True)
    requests: list[str] = []
    context.route("**/*", lambda route: (requests.append(route.request.url), route.continue_()))
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(path.as_uri())

    expected = len(CHART_STEPS) + 1     # each chart step and the pre/post change (one domain: no radar)
    page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot').length === {expected}",
                           timeout=15_000)
    assert page.locator(".js-plotly-plot .main-svg").count() >= expected
    assert page.locator("#step-2-chart .bars .point").count() == 11      # the 0-10 scale's bars
    assert page.locator("#step-7-chart").inner_text().count("calm") == 1  # the approved word
    assert page.title().endswith(seeded.code)
    # Printed to PDF, every exercise starts on a new page.
    page.emulate_media(media="print")
    breaks = page.evaluate("[...document.querySelectorAll('section.exercise')]"
                           ".map(s => getComputedStyle(s).breakBefore)")
    assert breaks == ["page"] * 15
    assert errors == []
    assert requests == [path.as_uri()]
    context.close()
