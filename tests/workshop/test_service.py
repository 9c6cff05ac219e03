import asyncio
import json
import threading
from datetime import datetime, timedelta, timezone

import pytest

from starlette.responses import JSONResponse

from tests.databases import read_database
from workshop.models import Hold, Moderation, SessionSettings, Status
from workshop.join_codes import CODE_ALPHABET, CODE_LENGTH
from workshop.refusals import WorkshopError
from workshop.service import Workshop
from workshop.service.workshop import PASS_THANKS, THANKS


def reason(call, *args, **kwargs) -> str:
    with pytest.raises(WorkshopError) as info:
        call(*args, **kwargs)
    return info.value.reason


def test_join_codes_are_short_unambiguous_and_not_sequential(workshop):
    codes = [workshop.start_session("relational-checkin").code for _ in range(30)]
    assert len(set(codes)) == 30
    for code in codes:
        assert len(code) == CODE_LENGTH and set(code) <= set(CODE_ALPHABET)
        assert not set(code) & set("01OIL")


def test_a_new_session_waits_on_the_welcome_until_the_facilitator_begins(workshop):
    session = workshop.start_session("nine-domains-intro")
    assert session.live.status is Status.WAITING
    assert session.current_exercise is None
    live = workshop.next_step(session.code)
    assert (live.step_index, live.is_open, live.results_shown) == (0, True, False)


def test_stepping_opens_answering_and_hides_results_again(workshop):
    code = workshop.start_session("nine-domains-intro").code
    workshop.next_step(code)
    workshop.set_results_shown(code, True)
    workshop.set_open(code, False)
    live = workshop.next_step(code)
    assert (live.step_index, live.is_open, live.results_shown) == (1, True, False)
    assert workshop.previous_step(code).step_index == 0
    assert workshop.previous_step(code).step_index == -1
    assert workshop.previous_step(code).step_index == -1
    versions = [workshop.session(code).live.version]
    workshop.set_open(code, True)
    assert workshop.session(code).live.version == versions[0] + 1


def test_next_stops_at_the_last_step(workshop):
    session = workshop.start_session("relational-checkin")
    for _ in range(len(session.steps) + 3):
        workshop.next_step(session.code)
    assert workshop.session(session.code).live.step_index == len(session.steps) - 1


def test_a_phone_keeps_its_token_when_it_rejoins(workshop):
    code = workshop.start_session("relational-checkin").code
    _, token = workshop.join(code)
    _, again = workshop.join(code.lower(), token)
    assert again == token
    _, forged = workshop.join(code, "made-up-token")
    assert forged != "made-up-token"
    assert workshop.participant_count(code) == 2


def test_answers_follow_the_rules_of_the_live_step(workshop):
    code = workshop.start_session("nine-domains-intro").code
    _, token = workshop.join(code)
    assert reason(workshop.submit, code, token, 0, "x") == "not_live"  # not begun
    workshop.next_step(code)
    workshop.next_step(code)  # step 1: checkin-integration, a 0-10 scale
    assert reason(workshop.submit, code, token, 0, 5) == "not_live"
    assert reason(workshop.submit, code, "forged", 1, 5) == "unknown_token"
    assert reason(workshop.submit, "ZZZZZZ", token, 1, 5) == "unknown_session"
    assert reason(workshop.submit, code, token, 1, 42) == "invalid_value"
    assert "change your answer" in workshop.submit(code, token, 1, 4)
    workshop.submit(code, token, 1, 9)
    workshop.submit(code, token, 1, 9)
    results = workshop.step_results(code, 1)
    assert (results.responses, results.passes, results.values) == (1, 0, (9.0,))
    workshop.set_open(code, False)
    assert reason(workshop.submit, code, token, 1, 2) == "closed"
    assert workshop.step_results(code, 1).values == (9.0,)
    workshop.end_session(code)
    assert reason(workshop.submit, code, token, 1, 2) == "ended"
    assert reason(workshop.join, code) == "ended"


def test_a_pass_is_counted_apart_and_can_be_changed_to_an_answer(workshop):
    code = workshop.start_session("nine-domains-intro").code
    tokens = [workshop.join(code)[1] for _ in range(3)]
    workshop.go_to_step(code, 1)
    workshop.submit(code, tokens[0], 1, passed=True)
    workshop.submit(code, tokens[1], 1, passed=True)
    workshop.submit(code, tokens[2], 1, 6)
    workshop.submit(code, tokens[1], 1, 8)
    results = workshop.step_results(code, 1)
    assert (results.participants, results.responses, results.passes) == (3, 2, 1)
    assert (results.mean, results.median) == (7.0, 7.0)


def test_sessions_are_isolated_by_their_code(workshop):
    a = workshop.start_session("relational-checkin").code
    b = workshop.start_session("relational-checkin").code
    _, token_a = workshop.join(a)
    workshop.next_step(a)
    workshop.next_step(b)
    assert reason(workshop.submit, b, token_a, 0, workshop.session(b).steps[0].settings["options"][0]) \
        == "unknown_token"
    assert workshop.participant_count(b) == 0


def test_a_restarted_server_resumes_the_session_where_it_was(open_store, library):
    first = Workshop(open_store(), library)
    code = first.start_session("nine-domains-intro").code
    _, token = first.join(code)
    first.go_to_step(code, 1)
    first.submit(code, token, 1, 5)
    first.store.close()
    second = Workshop(open_store(), library)
    live = second.session(code).live
    assert (live.step_index, live.is_open) == (1, True)
    assert second.participant_count(code) == 1
    second.submit(code, token, 1, 6)  # same phone, same token, still counts once
    assert second.step_results(code, 1).values == (6.0,)


def test_the_live_view_shows_a_phone_its_own_answer_and_never_the_notes(workshop):
    code = workshop.start_session("nine-domains-intro").code
    _, mine = workshop.join(code)
    _, other = workshop.join(code)
    workshop.go_to_step(code, 1)
    workshop.submit(code, other, 1, 2)
    view = workshop.live_view(workshop.session(code), mine)
    assert view["status"] == "live" and view["answer"] is None
    assert "notes" not in view["step"]["exercise"]
    workshop.submit(code, mine, 1, 7)
    assert workshop.live_view(workshop.session(code), mine)["answer"] == {"value": 7, "passed": False}


def test_the_bytes_a_phone_is_sent_are_its_live_view_as_json_in_every_state(workshop):
    """`live_view_json` (the route's, encoded once per state but for the phone's answer) is
    byte for byte what JSONResponse makes of `live_view`, and follows every change."""
    code = workshop.start_session("nine-domains-intro", SessionSettings(min_answers=2)).code
    tokens = [workshop.join(code)[1] for _ in range(3)]

    def same_for_every_phone() -> None:
        for token in [*tokens, "not-a-phone", None]:
            assert workshop.live_view_json(code, token) == JSONResponse(
                workshop.live_view(workshop.session(code), token)).body

    same_for_every_phone()                                    # waiting for the first step
    workshop.go_to_step(code, 1)
    same_for_every_phone()                                    # live, nobody answered
    workshop.submit(code, tokens[0], 1, 7)
    workshop.submit(code, tokens[1], 1, None, passed=True)
    same_for_every_phone()                                    # an answer, a pass, no answer
    assert json.loads(workshop.live_view_json(code, tokens[0]))["answer"] == {"value": 7, "passed": False}
    workshop.set_results_shown(code, True)
    same_for_every_phone()                                    # shown, not shared: no "group"
    workshop.update_settings(code, SessionSettings(min_answers=2, share_with_phones=True))
    same_for_every_phone()                                    # shared, one answer: "group": null
    assert json.loads(workshop.live_view_json(code, tokens[2]))["group"] is None
    workshop.submit(code, tokens[2], 1, 3)
    workshop.set_results_shown(code, False)
    workshop.set_results_shown(code, True)
    same_for_every_phone()                                    # shared, two answers: the counts
    assert json.loads(workshop.live_view_json(code, tokens[2]))["group"]["rows"][3] == ["3", 1]
    workshop.end_session(code)
    same_for_every_phone()                                    # ended


def test_a_waiting_phone_wakes_when_the_facilitator_moves_on(workshop):
    code = workshop.start_session("nine-domains-intro").code
    version = workshop.session(code).live.version

    async def wait():
        return await workshop.board.wait_for_change(code, version, timeout=5)

    async def scenario():
        task = asyncio.ensure_future(wait())
        await asyncio.sleep(0.05)
        assert workshop.board.waiting(code) == 1
        threading.Thread(target=workshop.next_step, args=(code,)).start()  # like a Streamlit thread
        return await asyncio.wait_for(task, 2)

    state = asyncio.run(scenario())
    assert state.version == version + 1 and state.step_index == 0
    assert workshop.board.waiting(code) == 0


def test_closing_the_board_answers_every_waiting_phone_at_once_and_later_polls_too(workshop):
    """What lets the server stop in a second with 1,000 phones parked (web/lifecycle.py)."""
    codes = [workshop.start_session("nine-domains-intro").code for _ in range(2)]
    versions = {code: workshop.session(code).live.version for code in codes}

    async def scenario():
        tasks = [asyncio.ensure_future(workshop.board.wait_for_change(code, versions[code], timeout=20))
                 for code in codes for _ in range(100)]
        await asyncio.sleep(0.05)
        assert [workshop.board.waiting(code) for code in codes] == [100, 100]
        threading.Thread(target=workshop.board.close).start()  # from any thread
        states = await asyncio.wait_for(asyncio.gather(*tasks), 2)
        later = await asyncio.wait_for(workshop.board.wait_for_change(codes[0], versions[codes[0]], 20), 1)
        return states, later

    states, later = asyncio.run(scenario())
    assert [state.version for state in states] == [versions[codes[0]]] * 200  # unchanged, current
    assert later.version == versions[codes[0]]
    assert [workshop.board.waiting(code) for code in codes] == [0, 0]


def test_fifty_phones_answering_at_once_are_each_counted_once(workshop):
    code = workshop.start_session("nine-domains-intro").code
    tokens = [workshop.join(code)[1] for _ in range(50)]
    workshop.go_to_step(code, 1)
    errors = []

    def phone(i, token):
        try:
            workshop.submit(code, token, 1, i % 11)
            workshop.submit(code, token, 1, (i + 3) % 11)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=phone, args=(i, t)) for i, t in enumerate(tokens)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    results = workshop.step_results(code, 1)
    assert results.responses == 50
    assert sorted(results.values) == sorted(float((i + 3) % 11) for i in range(50))


def test_answers_awaited_on_one_event_loop_are_stored_in_batches_larger_than_a_thread_pool(workshop):
    """The phone route awaits the group commit (Workshop.submit_async) instead of holding one
    of AnyIO's 40 worker threads each: 500 phones answering at once are a few batches."""
    code = workshop.start_session("nine-domains-intro").code
    tokens = [workshop.join(code)[1] for _ in range(500)]
    workshop.go_to_step(code, 1)
    batches: list[int] = []
    write = workshop.store._answers._write  # the real write, counted

    def counted(rows):
        batches.append(len(rows))
        write(rows)

    workshop.store._answers._write = counted

    async def room():
        first = await asyncio.gather(*(workshop.submit_async(code, t, 1, i % 11) for i, t in enumerate(tokens)))
        passes = await asyncio.gather(*(workshop.submit_async(code, t, 1, passed=True) for t in tokens[:100]))
        return first, passes

    first, passes = asyncio.run(room())
    assert set(first) == {THANKS} and set(passes) == {PASS_THANKS}
    assert max(batches) > 40 and len(batches) < 40
    results = workshop.step_results(code, 1)
    assert (results.responses, results.passes) == (400, 100)
    assert sorted(results.values) == sorted(float(i % 11) for i in range(100, 500))
    stored = read_database(workshop.store.target, "SELECT count(*), sum(CASE WHEN passed THEN 1 ELSE 0 END) "
                                                  "FROM answers WHERE step_index = 1")
    assert stored == [(500, 100)]


def test_an_answer_awaited_on_an_event_loop_follows_the_same_rules(workshop):
    code = workshop.start_session("nine-domains-intro").code
    _, token = workshop.join(code)
    workshop.go_to_step(code, 1)

    def refused(*args, **kwargs) -> str:
        with pytest.raises(WorkshopError) as raised:
            asyncio.run(workshop.submit_async(*args, **kwargs))
        return raised.value.reason

    assert refused(code, token, 0, 5) == "not_live"
    assert refused(code, "forged", 1, 5) == "unknown_token"
    assert refused(code, token, 1, 42) == "invalid_value"
    workshop.set_open(code, False)
    assert refused(code, token, 1, 2) == "closed"
    assert workshop.step_results(code, 1).responses == 0
    assert read_database(workshop.store.target, "SELECT count(*) FROM answers") == [(0,)]


def test_words_wait_for_approval_and_hidden_words_disappear_at_once(workshop):
    code = workshop.start_session("nine-domains-intro").code  # words and texts are held by default
    step = next(i for i, s in enumerate(workshop.session(code).steps) if s.type.value == "word")
    tokens = [workshop.join(code)[1] for _ in range(4)]
    workshop.go_to_step(code, step)
    for token, word in zip(tokens, ["Calm", "calm", "<b>x</b>", "tired"]):
        workshop.submit(code, token, step, word)
    results = workshop.step_results(code, step)
    assert (results.responses, results.held, results.counts) == (4, 4, ())
    assert workshop.moderation_queue(code, step) == [("calm", 2, None), ("<b>x</b>", 1, None),
                                                     ("tired", 1, None)]
    workshop.moderate(code, step, "calm", Moderation.APPROVED)
    workshop.moderate(code, step, "tired", Moderation.APPROVED)
    assert workshop.step_results(code, step).counts == (("calm", 2), ("tired", 1))
    workshop.moderate(code, step, "calm", Moderation.HIDDEN)
    assert workshop.step_results(code, step).counts == (("tired", 1),)
    workshop.submit(code, tokens[3], step, "new")  # a changed answer waits again
    assert workshop.step_results(code, step).counts == ()


def test_show_all_sessions_show_words_unless_hidden(workshop):
    code = workshop.start_session("nine-domains-intro", SessionSettings(min_answers=1, hold=Hold.NOTHING)).code
    step = next(i for i, s in enumerate(workshop.session(code).steps) if s.type.value == "word")
    _, token = workshop.join(code)
    workshop.go_to_step(code, step)
    workshop.submit(code, token, step, "open")
    assert workshop.step_results(code, step).counts == (("open", 1),)
    workshop.moderate(code, step, "open", Moderation.HIDDEN)
    assert workshop.step_results(code, step).counts == ()


def test_results_are_suppressed_below_the_sessions_minimum(workshop):
    code = workshop.start_session("nine-domains-intro", SessionSettings(min_answers=5)).code
    tokens = [workshop.join(code)[1] for _ in range(5)]
    workshop.go_to_step(code, 1)
    for token in tokens[:4]:
        workshop.submit(code, token, 1, 5)
    results = workshop.step_results(code, 1)
    assert (results.suppressed, results.needed) == (True, 1)
    workshop.submit(code, tokens[4], 1, 5)
    assert workshop.step_results(code, 1).suppressed is False
    workshop.update_settings(code, SessionSettings(min_answers=6))
    assert workshop.step_results(code, 1).needed == 1
    assert reason(workshop.update_settings, code, SessionSettings(min_answers=0)) == "bad_settings"


def test_blank_screen_and_settings_survive_a_restart(open_store, library):
    first = Workshop(open_store(), library)
    code = first.start_session("nine-domains-intro", SessionSettings(min_answers=7, hold=Hold.NOTHING)).code
    first.go_to_step(code, 2)
    first.set_blank(code, True)
    first.set_join_hidden(code, True)
    first.store.close()
    second = Workshop(open_store(), library).session(code)
    assert second.settings == SessionSettings(min_answers=7, hold=Hold.NOTHING)
    assert (second.live.blank, second.live.join_hidden, second.live.step_index) == (True, True, 2)
    assert second.live.step_started_at is not None


def seeded_with_words(workshop):
    code = workshop.start_session("nine-domains-intro", SessionSettings(min_answers=1, hold=Hold.NOTHING)).code
    steps = workshop.session(code).steps
    word = next(i for i, s in enumerate(steps) if s.type.value == "word")
    tokens = [workshop.join(code)[1] for _ in range(3)]
    workshop.go_to_step(code, 1)
    for token, value in zip(tokens, [2, 5, 9]):
        workshop.submit(code, token, 1, value)
    workshop.go_to_step(code, word)
    for token, value in zip(tokens, ["secret-word", "secret-word", "other"]):
        workshop.submit(code, token, word, value)
    workshop.moderate(code, word, "other", Moderation.HIDDEN)
    return code, word


def test_deleting_a_session_removes_every_row_from_the_file(open_store, library):
    workshop = Workshop(open_store(), library)
    code, _ = seeded_with_words(workshop)
    kept, _ = seeded_with_words(workshop)
    workshop.delete_session(code)
    assert reason(workshop.session, code) == "unknown_session"
    workshop.store.close()
    for table, column in (("sessions", "code"), ("participants", "session_code"),
                          ("answers", "session_code"), ("moderation", "session_code")):
        assert read_database(workshop.store.target, f"SELECT count(*) FROM {table} WHERE {column} = ?", (code,)) == [(0,)]
    assert read_database(workshop.store.target, "SELECT count(*) FROM answers WHERE session_code = ?", (kept,)) == [(6,)]


def test_purging_typed_text_keeps_counts_and_other_answers(workshop):
    code, word = seeded_with_words(workshop)
    assert workshop.purge_typed_text(code) == 3
    results = workshop.step_results(code, word)
    assert (results.responses, results.counts, results.held) == (3, (), 3)
    assert workshop.step_results(code, 1).values == (2.0, 5.0, 9.0)
    assert workshop.moderation_queue(code, word) == []
    [[rows]] = workshop.store.db.fetchall(
        "SELECT count(*) FROM answers WHERE value_json LIKE '%secret%'")
    assert rows == 0


def test_text_of_old_ended_sessions_is_purged_but_running_ones_are_kept(workshop):
    old, word = seeded_with_words(workshop)
    running, _ = seeded_with_words(workshop)
    workshop.end_session(old)
    future = datetime.now(timezone.utc).replace(tzinfo=None) + timedelta(days=1)
    assert workshop.purge_text_of_sessions_ended_before(future) == [old]
    assert workshop.step_results(old, word).counts == ()
    assert workshop.step_results(running, word).counts == (("secret-word", 2),)


def test_phones_see_the_group_only_when_the_facilitator_shares_it(workshop):
    code = workshop.start_session("nine-domains-intro", SessionSettings(min_answers=2)).code
    tokens = [workshop.join(code)[1] for _ in range(2)]
    workshop.go_to_step(code, 1)
    workshop.submit(code, tokens[0], 1, 3)
    workshop.submit(code, tokens[1], 1, 3)
    workshop.set_results_shown(code, True)
    assert "group" not in workshop.live_view(workshop.session(code), tokens[0])  # off by default
    workshop.update_settings(code, SessionSettings(min_answers=2, share_with_phones=True))
    workshop.set_results_shown(code, True)
    group = workshop.live_view(workshop.session(code), tokens[0])["group"]
    assert group["summary"] == "2 responded: 2 answers, 0 passes · mean 3.0 · median 3"
    assert group["rows"][3] == ("3", 2) and len(group["rows"]) == 11
    workshop.update_settings(code, SessionSettings(min_answers=3, share_with_phones=True))
    workshop.set_results_shown(code, True)
    assert workshop.live_view(workshop.session(code), tokens[0])["group"] is None  # below k


def test_texts_and_positions_never_reach_other_phones(workshop):
    code = workshop.start_session("river-and-window", SessionSettings(min_answers=1, hold=Hold.NOTHING,
                                                                      share_with_phones=True)).code
    steps = workshop.session(code).steps
    _, token = workshop.join(code)
    for kind in ("spectrum", "position2d"):
        index = next(i for i, s in enumerate(steps) if s.type.value == kind)
        workshop.go_to_step(code, index)
        value = 40 if kind == "spectrum" else [10, 90]
        workshop.submit(code, token, index, value)
        workshop.set_results_shown(code, True)
        assert workshop.live_view(workshop.session(code), token)["group"]["rows"] == []


def test_purged_words_also_leave_the_group_snapshot_phones_see(workshop):
    code = workshop.start_session("nine-domains-intro", SessionSettings(
        min_answers=1, hold=Hold.NOTHING, share_with_phones=True)).code
    step = next(i for i, s in enumerate(workshop.session(code).steps) if s.type.value == "word")
    _, token = workshop.join(code)
    workshop.go_to_step(code, step)
    workshop.submit(code, token, step, "private")
    workshop.set_results_shown(code, True)
    assert workshop.live_view(workshop.session(code), token)["group"]["rows"] == [("private", 1)]
    workshop.purge_typed_text(code)
    assert workshop.live_view(workshop.session(code), token)["group"]["rows"] == []


def test_a_next_click_delivered_twice_lands_on_the_same_step(workshop):
    code = workshop.start_session("nine-domains-intro").code
    first = workshop.go_to_step(code, 0)
    workshop.set_open(code, False)
    workshop.set_results_shown(code, True)
    again = workshop.go_to_step(code, 0)  # the page's "Next" names step 0 both times
    live = workshop.session(code).live
    assert (again.step_index, live.step_index) == (0, 0)
    assert (live.is_open, live.results_shown) == (False, True)  # not reopened or hidden again
    assert live.version == first.version + 2
    assert live.step_started_at == first.step_started_at


def flood_text_step(workshop, junk_phones: int = 220, real=("I felt seen today", "my chest softened",
                                                               "grateful for this group")):
    """A text step where junk phones send 110 distinct junk texts twice each, then 3 real texts arrive."""
    code = workshop.start_session("nine-domains-intro").code  # words and texts are held by default
    step = next(i for i, s in enumerate(workshop.session(code).steps) if s.type.value == "text")
    workshop.go_to_step(code, step)
    for n in range(junk_phones):
        _, token = workshop.join(code)
        workshop.submit(code, token, step, f"junk {n // 2:03d}")
    for text in real:
        _, token = workshop.join(code)
        workshop.submit(code, token, step, text)
    return code, step, list(real)


def test_a_flood_of_junk_texts_cannot_push_a_real_text_out_of_the_facilitators_reach(workshop):
    code, step, real = flood_text_step(workshop)
    everything = workshop.moderation_queue(code, step)
    assert len(everything) == 113  # nothing cut off
    assert [value for value, _, _ in everything[-3:]] == sorted(real)  # most frequent first: last
    newest = workshop.moderation_queue(code, step, order="newest")
    assert [value for value, _, _ in newest[:3]] == list(reversed(real))
    assert workshop.moderation_queue(code, step, search="SEEN") == [("I felt seen today", 1, None)]
    workshop.moderate_many(code, step, [v for v, _, _ in everything if v.startswith("junk")],
                           Moderation.HIDDEN)
    assert [v for v, _, _ in workshop.moderation_queue(code, step, waiting_only=True)] == sorted(real)
    workshop.moderate(code, step, "I felt seen today", Moderation.APPROVED)
    assert workshop.step_results(code, step).texts == ("I felt seen today",)


def test_the_moderation_queue_refuses_an_unknown_order(workshop):
    code, step, _ = flood_text_step(workshop, junk_phones=0)
    with pytest.raises(ValueError):
        workshop.moderation_queue(code, step, order="random")


def test_holding_texts_only_lets_words_through_and_keeps_texts_for_approval(workshop):
    code = workshop.start_session("nine-domains-intro", SessionSettings(min_answers=1, hold=Hold.TEXTS)).code
    steps = workshop.session(code).steps
    word = next(i for i, s in enumerate(steps) if s.type.value == "word")
    text = next(i for i, s in enumerate(steps) if s.type.value == "text")
    _, token = workshop.join(code)
    workshop.go_to_step(code, word)
    workshop.submit(code, token, word, "calm")
    assert (workshop.step_results(code, word).counts, workshop.step_results(code, word).waiting) == \
        ((("calm", 1),), 0)
    workshop.go_to_step(code, text)
    workshop.submit(code, token, text, "my chest softened")
    results = workshop.step_results(code, text)
    assert (results.texts, results.waiting, results.held) == ((), 1, 1)
    workshop.moderate(code, text, "my chest softened", Moderation.HIDDEN)
    results = workshop.step_results(code, text)
    assert (results.waiting, results.held) == (0, 1)  # decided: hidden, no longer waiting


def test_a_database_from_before_the_hold_choice_keeps_each_sessions_choice(tmp_path, library):
    """Migration 7 turns hold_text TRUE / FALSE into words-and-texts / nothing."""
    import duckdb

    from workshop.storage.schema import MIGRATIONS
    from workshop.storage.store import Store
    path = tmp_path / "old.duckdb"
    old = duckdb.connect(str(path))
    old.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TIMESTAMP NOT NULL)")
    for version, sql in MIGRATIONS[:6]:
        old.execute(sql)
        old.execute("INSERT INTO schema_version VALUES (?, now())", [version])
    for code, held in (("HELDAA", True), ("OPENBB", False)):
        old.execute("INSERT INTO sessions (code, agenda_id, title, steps_json, created_at, hold_text) "
                    "VALUES (?, 'a', 'A', '[]', now(), ?)", [code, held])
    old.close()
    store = Store(path)
    try:
        assert store.load_session("HELDAA").settings.hold is Hold.WORDS_AND_TEXTS
        assert store.load_session("OPENBB").settings.hold is Hold.NOTHING
        columns = {row[0] for row in store.db.fetchall(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'sessions'")}
        assert "hold_text" not in columns
    finally:
        store.close()
