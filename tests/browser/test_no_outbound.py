"""No cloud: a running app opens no connection to anywhere but its own users."""

import socket
import threading

import httpx
import pytest
from playwright.sync_api import expect

from harness.content import copy_content_with_all_types
from harness.streamlit_server import start_streamlit
from tests.browser.conftest import PHONE, join_as_phone
from tests.browser.test_live_workshop import press, start_session

pytestmark = pytest.mark.browser


class Trap:
    """A local 'proxy' that only records who tried to reach the outside world through it."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.requests: list[bytes] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            with conn:
                conn.settimeout(1)
                try:
                    self.requests.append(conn.recv(200))
                except OSError:
                    self.requests.append(b"(nothing read)")

    def close(self) -> None:
        self._stop.set()
        self._thread.join()
        self.sock.close()


def test_starting_the_app_and_running_a_step_contacts_nothing_outside(tmp_path, browser):
    trap = Trap()
    content = copy_content_with_all_types(tmp_path / "content")
    proxy = {name: trap.url for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy",
                                         "ALL_PROXY", "all_proxy")}
    # As `streamlit run app.py` starts by default: listening on every interface.
    server = start_streamlit(tmp_path, address=None, WORKSHOP_DB_PATH=str(tmp_path / "w.duckdb"),
                             WORKSHOP_CONTENT_DIR=str(content), NO_PROXY="", no_proxy="", **proxy)
    try:
        facilitator = browser.new_page(viewport={"width": 1400, "height": 1000})
        _, join_url = start_session(facilitator, server.url, "Every question type")
        phone = browser.new_context(**PHONE).new_page()
        join_as_phone(phone, join_url)
        press(facilitator, "next_step")
        expect(phone.locator("#scale-input")).to_be_visible(timeout=10_000)
        with httpx.Client(trust_env=False) as client:
            assert client.get(server.url + "/_stcore/health").status_code == 200
        log = server.log.read_text()
    finally:
        server.stop()
        trap.close()
    assert trap.requests == [], trap.requests
    assert "Did not auto detect external IP" not in log
