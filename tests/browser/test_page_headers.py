"""Every Streamlit page response carries the security headers; metrics is not public."""

import re

import httpx
import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.test_live_workshop import press, start_session
from phone.routes import SECURITY_HEADERS
from web.headers import PAGE_CSP

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("path", ["/", "/projector", "/reports", "/agendas", "/_stcore/host-config"])
def test_each_page_response_carries_csp_frame_nosniff_and_referrer_headers(server, path):
    response = httpx.get(server.url + path)
    assert response.status_code == 200
    assert response.headers["content-security-policy"] == PAGE_CSP
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_streamlit_metrics_route_answers_404(server):
    assert httpx.get(server.url + "/_stcore/metrics").status_code == 404


def test_the_phone_page_keeps_its_own_stricter_policy(server):
    response = httpx.get(server.url + "/join?code=ABCDEF")
    assert response.headers["content-security-policy"] == SECURITY_HEADERS["Content-Security-Policy"]
    assert response.headers.get_list("content-security-policy") == [
        SECURITY_HEADERS["Content-Security-Policy"]]


@pytest.mark.parametrize("path", ["/join?code=ABCDEF", "/api/live?code=ABCDEF&token=x"])
def test_the_phone_routes_answered_ahead_of_streamlit_still_carry_every_security_header(server, path):
    """web/fastpath.py answers them inside our middleware: SecurityHeaders still adds
    X-Frame-Options, and Streamlit's own layers (cookie, gzip) are not on the way."""
    response = httpx.get(server.url + path)
    assert response.headers["content-security-policy"] == SECURITY_HEADERS["Content-Security-Policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert "set-cookie" not in response.headers


def watch_csp(page) -> list[str]:
    """Every CSP violation the page reports, from the console and from the DOM event."""
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text)
            if "Content Security Policy" in m.text else None)
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => "
                         "console.error('Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI))")
    return violations


def test_the_sign_in_page_renders_with_no_csp_violation(server, browser):
    page = browser.new_page()
    violations = watch_csp(page)
    page.goto(server.url + "/")
    page.locator(".st-key-passcode_input").wait_for()
    assert violations == []


def test_every_page_a_facilitator_uses_renders_charts_with_no_csp_violation(server, browser):
    """The facilitator, projector (with a Plotly chart), reports and agenda builder pages."""
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    violations = watch_csp(page)
    code, _ = start_session(page, server.url, "Every question type")
    press(page, "next_step")
    with httpx.Client(base_url=server.url, headers={"Origin": server.url}, trust_env=False) as phone:
        for value in (3, 5, 7):
            token = phone.post("/api/join", json={"code": code}).json()["token"]
            assert phone.post("/api/answer", json={"code": code, "token": token, "step": 0,
                                                   "value": value}).status_code == 200
    press(page, "toggle_results")
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=15_000)  # the facilitator's chart
    projector = browser.new_page(viewport={"width": 1920, "height": 1080})
    projector_violations = watch_csp(projector)
    projector.goto(server.url + page.locator(".st-key-open_projector a").get_attribute("href"))
    expect(projector.locator(".js-plotly-plot").first).to_be_visible(timeout=15_000)
    page.get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", name="Retention")).to_be_visible(timeout=15_000)
    page.get_by_role("link", name="← Back to the facilitator view").click()
    page.get_by_role("link", name="Agenda builder").click()
    expect(page.get_by_role("heading", name="Agenda builder")).to_be_visible(timeout=15_000)
    page.wait_for_timeout(1_000)
    assert violations == [] and projector_violations == []


def test_a_phone_loads_its_page_in_three_requests_and_runs_it_with_no_error(server, browser):
    """The page, its joined sheet and its joined script (phone/assets.py): 31 files cost page load
    12 s -> 50 s p50 at 1,000 phones. The script runs: the join form is filled from the link."""
    phone = browser.new_context(**PHONE).new_page()
    violations = watch_csp(phone)
    errors: list[str] = []
    phone.on("pageerror", lambda exc: errors.append(str(exc)))
    loaded: list[str] = []
    phone.on("request", lambda request: loaded.append(request.url.removeprefix(server.url))
             if "/api/" not in request.url else None)
    phone.goto(server.url + "/join?code=ABCDEF")
    expect(phone.locator("#code-input")).to_have_value("ABCDEF", timeout=10_000)
    assert [re.sub(r"/[0-9a-f]{12}/", "/<hash>/", url) for url in loaded] == [
        "/join?code=ABCDEF", "/join/assets/<hash>/page.css", "/join/assets/<hash>/page.js"]
    assert errors == [] and violations == []
