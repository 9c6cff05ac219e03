"""Every Streamlit page response carries the security headers; metrics is not public."""

import httpx
import pytest

from workshop.phone.routes import SECURITY_HEADERS
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


def test_the_facilitator_page_renders_with_no_csp_violation(server, browser):
    page = browser.new_page()
    violations: list[str] = []
    page.on("console", lambda m: violations.append(m.text)
            if "Content Security Policy" in m.text else None)
    page.goto(server.url + "/")
    page.locator(".st-key-passcode_input").wait_for()
    assert violations == []
