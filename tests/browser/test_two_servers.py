"""Two app servers sharing one PostgreSQL database, behind the sample nginx config.

The facilitator drives server A in Chromium; phones join and answer through A, B
and nginx, each answering through another server than the one it joined; the
projector opens through nginx (its websocket proxied). Every answer counts once,
and a step change made on A wakes phones waiting on B within a second.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import expect

from harness.content import copy_content_with_all_types
from harness.nginx import NGINX, start_nginx
from harness.ports import free_port
from harness.processes import stop
from harness.streamlit_server import Server, start_streamlit
from tests.browser.test_live_workshop import collect_errors, press, start_session
from tests.databases import read_database

pytestmark = pytest.mark.browser

@dataclass
class TwoServers:
    a: Server
    b: Server
    proxy: str        # nginx, as phones and organisers would reach the servers
    database: str


@pytest.fixture(scope="module")
def two(tmp_path_factory, postgres_server) -> Iterator[TwoServers]:
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed here (apt-get install nginx); .ci/run installs it")
    folder = tmp_path_factory.mktemp("two-servers")
    content = copy_content_with_all_types(folder / "content")
    database = postgres_server.database()
    nginx_port = free_port()
    settings = {"WORKSHOP_DATABASE_URL": database, "WORKSHOP_CONTENT_DIR": str(content),
                "WORKSHOP_PUBLIC_URL": f"http://127.0.0.1:{nginx_port}"}  # QR codes point at nginx
    a = start_streamlit(folder, **settings)
    b = start_streamlit(folder, **settings)
    try:
        proxy, nginx = start_nginx(folder, nginx_port, [a.url, b.url])
        try:
            yield TwoServers(a=a, b=b, proxy=proxy, database=database)
        finally:
            stop(nginx, 10)
    finally:
        a.stop()
        b.stop()


def join(base: str, code: str) -> str:
    response = httpx.post(f"{base}/api/join", json={"code": code}, timeout=10)
    assert response.status_code == 200, response.text
    return response.json()["token"]


def test_phones_on_either_server_follow_a_facilitator_on_the_other_and_count_once(two, browser):
    facilitator = browser.new_page(viewport={"width": 1400, "height": 1000})
    code, join_url = start_session(facilitator, two.a.url, "Every question type")
    assert join_url == f"{two.proxy}/join?code={code}"
    phone_page = httpx.get(join_url, timeout=10)
    assert phone_page.status_code == 200 and "text/html" in phone_page.headers["content-type"]

    # Six phones: two joining through each server and two through nginx.
    homes = [two.a.url, two.b.url, two.proxy] * 2
    tokens = [join(home, code) for home in homes]

    # The projector through nginx: Streamlit's websocket must survive the proxy.
    projector = browser.new_page(viewport={"width": 1920, "height": 1080})
    projector_errors = collect_errors(projector)
    projector.goto(two.proxy + facilitator.locator(".st-key-open_projector a").get_attribute("href"))
    expect(projector.get_by_text(code, exact=True)).to_be_visible(timeout=15_000)
    expect(projector.get_by_text("6 joined")).to_be_visible(timeout=10_000)

    # Every phone waits for the next step on its own server; the facilitator moves on A.
    version = httpx.get(f"{two.a.url}/api/live", params={"code": code}, timeout=10).json()["version"]
    woke: dict[int, tuple[float, dict]] = {}

    def wait_for_step(n: int) -> None:
        response = httpx.get(f"{homes[n]}/api/live", timeout=40,
                             params={"code": code, "token": tokens[n], "since": version})
        woke[n] = (time.monotonic(), response.json())

    waiters = [threading.Thread(target=wait_for_step, args=(n,)) for n in range(len(homes))]
    for waiter in waiters:
        waiter.start()
    time.sleep(1.0)  # every long-poll is parked on its server
    assert not woke, f"long-polls returned before the step changed: {woke}"
    press(facilitator, "next_step")
    for waiter in waiters:
        waiter.join(timeout=30)
    assert sorted(woke) == list(range(6)), f"only {sorted(woke)} woke"
    assert all(view["step"]["index"] == 0 for _, view in woke.values()), woke
    on_a = [at for n, (at, _) in woke.items() if homes[n] == two.a.url]
    on_b = [at for n, (at, _) in woke.items() if homes[n] == two.b.url]
    lag = max(on_b) - min(on_a)
    assert lag < 1.0, f"a step change on A took {lag:.2f} s to reach phones on B"

    # Each phone answers through another server than the one it joined; one taps twice,
    # through both servers. Every answer is counted once, on the facilitator's server too.
    others = homes[1:] + homes[:1]
    for token, server, value in zip(tokens, others, (2, 4, 6, 8, 10, 5)):
        response = httpx.post(f"{server}/api/answer", timeout=10,
                              json={"code": code, "token": token, "step": 0, "value": value})
        assert response.status_code == 200, response.text
    response = httpx.post(f"{homes[0]}/api/answer", timeout=10,
                          json={"code": code, "token": tokens[0], "step": 0, "value": 2})
    assert response.status_code == 200
    httpx.post(f"{two.b.url}/api/pause", json={"code": code, "token": tokens[3]}, timeout=10)

    expect(projector.get_by_text("6 responded", exact=True)).to_be_visible(timeout=10_000)
    answers = facilitator.locator("[data-testid='stMetric']", has_text="Responded")
    expect(answers).to_contain_text("6", timeout=10_000)
    pauses = facilitator.locator("[data-testid='stMetric']", has_text="Pause requests")
    expect(pauses).to_contain_text("1", timeout=10_000)
    press(facilitator, "toggle_results")
    expect(projector.get_by_text("6 responded: 6 answers, 0 passes · mean 5.8 · median 5.5")).to_be_visible(
        timeout=10_000)

    rows = read_database(two.database, "SELECT token, value_json FROM answers WHERE session_code = ?",
                         (code,))
    assert sorted(rows) == sorted(zip(tokens, ("2", "4", "6", "8", "10", "5")))
    assert projector_errors == []
