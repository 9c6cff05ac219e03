"""The facilitator's and the projector's side of who may join (issue 12, finding 5), in AppTest."""

import pytest

from tests.pages.test_pages import html_text, page, this_workshop  # noqa: F401 (autouse: the app's workshop)
from workshop.models import SessionSettings
from workshop.refusals import JoinWaits


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_the_facilitator_starts_a_session_with_a_room_code_and_an_expected_size(workshop):
    at = page("facilitator.py").run()
    at.selectbox(key="agenda_select").set_value("relational-checkin").run()
    at.toggle(key="new_room_code").set_value(True).run()
    at.number_input(key="new_expected_size").set_value(12).run()
    at.button(key="start_session").click().run()
    [summary] = workshop.sessions()
    settings = workshop.session(summary.code).settings
    assert (settings.room_code, settings.expected_size) == (True, 12)
    shown = workshop.room_code(summary.code)
    assert any(f"**{shown}**" in md.value for md in at.markdown)  # to read aloud
    assert metrics(at)["Phones joined"] == "0 of 12"


def test_waiting_phones_are_counted_and_let_in_or_turned_away(workshop):
    code = workshop.start_session("relational-checkin", SessionSettings(expected_size=2)).code
    for _ in range(2):
        workshop.join(code)
    tickets = []
    for _ in range(3):
        with pytest.raises(JoinWaits) as waits:
            workshop.join(code)
        tickets.append(waits.value.ticket)
    at = page("facilitator.py").run()
    assert not at.exception
    assert metrics(at)["Phones joined"] == "2 of 2"
    assert any("3 phones waiting to join" in md.value for md in at.markdown)
    at.button(key="admit_one").click().run()
    workshop.join(code, ticket=tickets[0])  # the one that waited longest
    assert metrics(at)["Phones joined"] == "2 of 2"  # (this run drew before the phone asked)
    at.run()
    assert metrics(at)["Phones joined"] == "3 of 2"
    assert at.button(key="admit_all").label == "Let all 2 in"
    at.button(key="refuse_all").click().run()
    assert workshop.waiting_joins(code) == 0
    assert not any("waiting to join" in md.value for md in at.markdown)
    assert not at.get("button") or all(b.key != "admit_all" for b in at.button)


def test_many_phones_from_one_address_warn_the_facilitator(workshop):
    code = workshop.start_session("relational-checkin").code
    for _ in range(5):
        workshop.join(code, address="192.0.2.50")
    at = page("facilitator.py").run()
    assert any("5 new phones joined from one network address" in w.value for w in at.warning)


def test_the_projector_shows_the_room_code_only_when_the_session_asks_for_one(workshop):
    code = workshop.start_session("nine-domains-intro").code
    at = page("projector.py")
    at.query_params["code"] = code
    at.run()
    assert "Room code" not in html_text(at)
    workshop.update_settings(code, SessionSettings(room_code=True))
    at.run()
    assert f"Room code<b>{workshop.room_code(code)}</b>" in html_text(at)
    workshop.go_to_step(code, 1)
    at.run()
    assert f"<b>{workshop.room_code(code)}</b>" in html_text(at)  # beside the exercise too
