"""Cross-site requests: any web page a participant visits could POST to the phone API.

A "simple" cross-origin request (text/plain, form types) needs no CORS preflight, so the
API accepts only application/json in UTF-8, and a browser's Origin must be the phone page's.
"""

import json

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from phone.routes import PhoneRoutes, same_origin
from tests.phone.scripts import name, scripts


@pytest.fixture
def client(workshop):
    with TestClient(Starlette(routes=PhoneRoutes(lambda: workshop).routes())) as client:
        yield client


@pytest.fixture
def live(workshop, client):
    code = workshop.start_session("nine-domains-intro").code
    workshop.go_to_step(code, 1)  # a 0-10 scale
    token = client.post("/api/join", json={"code": code}).json()["token"]
    return code, token


def post(client, path, body, **headers):
    return client.post(path, content=json.dumps(body).encode(), headers=headers)


@pytest.mark.parametrize("content_type", [
    "text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x", "application/json; charset=utf-16", "application/jsonx", None])
def test_a_good_answer_in_any_other_media_type_is_refused_with_415(client, workshop, live, content_type):
    code, token = live
    headers = {} if content_type is None else {"content-type": content_type}
    response = post(client, "/api/answer", {"code": code, "token": token, "step": 1, "value": 5}, **headers)
    assert (response.status_code, response.json()["reason"]) == (415, "unsupported_media_type")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert workshop.store.count_answers(code) == 0


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8",
                                          "Application/JSON; Charset=\"UTF-8\""])
def test_json_with_no_charset_or_utf8_is_accepted(client, workshop, live, content_type):
    code, token = live
    response = post(client, "/api/answer", {"code": code, "token": token, "step": 1, "value": 5},
                    **{"content-type": content_type})
    assert response.status_code == 200
    assert workshop.store.count_answers(code) == 1


def test_a_utf16_body_labelled_json_is_refused(client, workshop, live):
    code, token = live
    body = json.dumps({"code": code, "token": token, "step": 1, "value": 5}).encode("utf-16")
    response = client.post("/api/answer", content=body, headers={"content-type": "application/json"})
    assert (response.status_code, response.json()["reason"]) == (400, "bad_request")
    assert workshop.store.count_answers(code) == 0


@pytest.mark.parametrize("origin", ["http://evil.test", "null", "http://testserver.evil.test",
                                    "http://testserver:8080", "ftp://testserver", "garbage"])
def test_a_post_from_another_origin_is_refused_with_403_bad_origin(client, workshop, live, origin):
    code, token = live
    for path, body in (("/api/answer", {"code": code, "token": token, "step": 1, "value": 5}),
                       ("/api/pause", {"code": code, "token": token}),
                       ("/api/join", {"code": code})):
        response = post(client, path, body, origin=origin, **{"content-type": "application/json"})
        assert (response.status_code, response.json()["reason"]) == (403, "bad_origin"), path
    assert workshop.store.count_answers(code) == 0 and workshop.pause_count(code) == 0
    assert workshop.participant_count(code) == 1


def test_a_post_from_the_phone_pages_own_origin_is_accepted(client, workshop, live):
    code, token = live
    response = post(client, "/api/answer", {"code": code, "token": token, "step": 1, "value": 5},
                    origin="http://testserver", **{"content-type": "application/json"})
    assert response.status_code == 200 and workshop.store.count_answers(code) == 1


def test_with_a_public_url_only_its_origin_counts(client, workshop, live, monkeypatch):
    code, token = live
    monkeypatch.setenv("WORKSHOP_PUBLIC_URL", "https://Workshop.Example.org:443/")
    body = {"code": code, "token": token, "step": 1, "value": 5}
    own_host = post(client, "/api/answer", body, origin="http://testserver", **{"content-type": "application/json"})
    assert (own_host.status_code, own_host.json()["reason"]) == (403, "bad_origin")
    public = post(client, "/api/answer", body, origin="https://workshop.example.org",
                  **{"content-type": "application/json"})
    assert public.status_code == 200


@pytest.mark.parametrize(("origin", "public_url", "host", "same"), [
    (None, "", "any", True),                                   # not a browser
    ("http://192.168.1.5:8501", "", "192.168.1.5:8501", True),
    ("http://192.168.1.5", "", "192.168.1.5:80", True),        # default ports are the same origin
    ("https://w.example.org", "", "w.example.org", True),      # TLS ended at a proxy that keeps Host
    ("http://[::1]:8501", "", "[::1]:8501", True),
    ("http://192.168.1.5:8502", "", "192.168.1.5:8501", False),
    ("http://evil.test", "", "192.168.1.5:8501", False),
    ("http://evil.test", "", None, False),
    ("http://w.example.org", "https://w.example.org", "w.example.org", False),  # scheme differs
    ("https://w.example.org", "https://w.example.org/", "upstream", True),
])
def test_same_origin_compares_scheme_host_and_port(origin, public_url, host, same):
    assert same_origin(origin, public_url, host) is same


def test_the_phone_page_sends_json_with_its_content_type():
    fetching = {name(path): source for path, source in scripts() if "fetch(" in source}
    assert list(fetching) == ["js/api.js"]  # every request goes through requestJSON
    assert "init.headers['Content-Type'] = 'application/json';" in fetching["js/api.js"]
    assert "init.body = JSON.stringify(body);" in fetching["js/api.js"]
