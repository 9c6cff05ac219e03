"""Only facilitators reach the Streamlit pages; a projector tab opens with its session's key."""

import pytest
from streamlit.testing.v1 import AppTest

from tests.pages.test_pages import PAGES
from workshop import runtime
import hashlib
import hmac
import itertools

from workshop.access import Throttle, _wordlist, generate_passcode, passcode_bits
from workshop.service import Workshop

PASSCODE = "river-hub-rim-042"


@pytest.fixture(autouse=True)
def this_workshop(workshop, monkeypatch):
    monkeypatch.setenv("WORKSHOP_PASSCODE", PASSCODE)
    monkeypatch.setenv("WORKSHOP_PUBLIC_URL", "http://workshop.test:8501")
    monkeypatch.setattr(runtime, "passcode_throttle", Throttle())
    monkeypatch.setattr("ui.access.passcode_throttle", runtime.passcode_throttle)
    runtime.replace(workshop)
    yield workshop
    runtime.replace(None)


def app() -> AppTest:
    return AppTest.from_file(str(PAGES / "navigation.py"), default_timeout=30)


def test_the_facilitator_page_asks_for_the_passcode_and_shows_nothing_else(workshop):
    workshop.start_session("relational-checkin")
    at = app().run()
    assert not at.exception
    assert at.title[0].value == "IPNB live workshop"
    assert [b.key for b in at.button] == ["passcode_submit"]
    assert not at.selectbox and not at.get("image")
    at.text_input(key="passcode_input").input("wrong")
    at.button(key="passcode_submit").click().run()
    assert at.error[0].value == "That passcode is not right."
    at.text_input(key="passcode_input").input(PASSCODE)
    at.button(key="passcode_submit").click().run()
    assert at.selectbox(key="agenda_select") is not None
    assert at.button(key="start_session") is not None


def test_a_projector_url_opens_only_with_its_own_sessions_key(workshop):
    code = workshop.start_session("relational-checkin").code
    other = workshop.start_session("relational-checkin").code
    guessed = app()
    guessed.query_params.update({"code": code})
    guessed.switch_page("projector.py").run()
    assert not guessed.get("image") and code not in str([h.proto for h in guessed.get("html")])
    wrong = app()
    wrong.query_params.update({"code": code, "key": workshop.new_projector_key(other)})
    wrong.switch_page("projector.py").run()
    assert not wrong.get("image")
    right = app()
    right.query_params.update({"code": code, "key": workshop.new_projector_key(code)})
    right.switch_page("projector.py").run()
    assert len(right.get("image")) == 1  # the QR code


def test_a_new_projector_link_closes_the_tab_that_had_the_old_one(workshop):
    code = workshop.start_session("relational-checkin").code
    old_key = workshop.new_projector_key(code)
    projector = app()
    projector.query_params.update({"code": code, "key": old_key})
    projector.switch_page("projector.py").run()
    assert len(projector.get("image")) == 1
    new_key = workshop.new_projector_key(code)
    projector.run()  # the tab runs again (its own refresh is checked in the browser tests)
    assert not projector.get("image") and [b.key for b in projector.button] == ["passcode_submit"]
    reopened = app()
    reopened.query_params.update({"code": code, "key": old_key})
    reopened.switch_page("projector.py").run()
    assert not reopened.get("image") and [b.key for b in reopened.button] == ["passcode_submit"]
    fresh = app()
    fresh.query_params.update({"code": code, "key": new_key})
    fresh.switch_page("projector.py").run()
    assert len(fresh.get("image")) == 1


def test_a_projector_key_still_opens_its_projector_after_a_restart(workshop, library, open_store):
    code = workshop.start_session("relational-checkin").code
    key = workshop.new_projector_key(code)
    restarted = Workshop(open_store(), library)
    assert restarted.projector_key_matches(code, key)
    assert not restarted.projector_key_matches(code, key[:-1])
    assert not restarted.projector_key_matches("NOSUCH", key)


def test_the_database_keeps_only_a_hash_of_the_projector_key(workshop, store):
    code = workshop.start_session("relational-checkin").code
    key = workshop.new_projector_key(code)
    assert store.projector_key_hash(code) == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(store.db.fetchall("SELECT * FROM sessions"))


def test_a_projector_url_does_not_give_away_the_passcode(workshop, monkeypatch):
    """The attack: take the key from one projector URL and brute-force the passcode offline.

    The old key was HMAC(passcode, "projector:"+code)[:24] over a 22.5-bit passcode space
    (recovered in 1.2 s). Now the key is random: no guess, not even the true passcode,
    reproduces it, and a budget of 200,000 guesses from the generator's own words finds nothing.
    """
    code = workshop.start_session("relational-checkin").code
    key = workshop.new_projector_key(code)
    words = _wordlist()
    real = generate_passcode()
    candidates = itertools.chain(
        [real, PASSCODE],
        ("-".join(combo) for combo in itertools.islice(itertools.product(words, repeat=6), 200_000)))
    for guess in candidates:
        for derived in (hmac.new(guess.encode(), f"projector:{code}".encode(), hashlib.sha256).hexdigest(),
                        hashlib.sha256(f"{guess}:{code}".encode()).hexdigest()):
            assert key not in derived
    assert workshop.new_projector_key(code) != key  # nothing stable to attack either


def test_repeated_wrong_passcodes_are_slowed_down():
    throttle = Throttle(free_attempts=3)
    for _ in range(2):
        throttle.record(False, now=100.0)
    assert throttle.wait_seconds(now=100.0) == 0
    throttle.record(False, now=100.0)
    assert throttle.wait_seconds(now=100.0) == 1.0
    throttle.record(False, now=101.0)
    assert throttle.wait_seconds(now=101.0) == 2.0
    throttle.record(True, now=200.0)
    assert throttle.wait_seconds(now=200.0) == 0


def test_generated_passcodes_hold_at_least_64_bits_and_are_words_to_read_aloud():
    assert passcode_bits() >= 64
    codes = {generate_passcode() for _ in range(200)}
    assert len(codes) == 200
    words = set(_wordlist())
    for passcode in codes:
        parts = passcode.split("-")
        assert len(parts) == 6 and all(part in words and part.isalpha() and 3 <= len(part) <= 7
                                       for part in parts)
