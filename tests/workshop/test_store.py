import threading
import time


from tests.databases import read_database
from workshop.models import Answer
from workshop.storage.schema import SCHEMA_VERSION


def start(store, library):
    agenda = library.agendas["nine-domains-intro"]
    return store.create_session("ABCDEF", agenda.id, agenda.title, agenda.steps)


def test_reopening_a_database_keeps_its_data_and_does_not_migrate_twice(open_store, library):
    first = open_store()
    session = start(first, library)
    first.close()
    again = open_store()
    assert again.schema_version() == SCHEMA_VERSION
    loaded = again.load_session("ABCDEF")
    assert loaded.steps == session.steps
    assert loaded.live == session.live
    [[rows]] = again.db.fetchall("SELECT count(*) FROM schema_version")
    assert rows == SCHEMA_VERSION
    again.close()


def test_the_latest_answer_replaces_the_earlier_one(store, library):
    start(store, library)
    store.add_participant("ABCDEF", "tok")
    store.save_answer("ABCDEF", Answer(1, "checkin-integration", "tok", 3, False))
    store.save_answer("ABCDEF", Answer(1, "checkin-integration", "tok", 8, False))
    store.save_answer("ABCDEF", Answer(1, "checkin-integration", "tok", 8, False))  # double tap
    [answer] = store.answers_for_step("ABCDEF", 1)
    assert (answer.value, answer.passed) == (8, False)
    [[revisions]] = store.db.fetchall("SELECT revisions FROM answers")
    assert revisions == 2


def test_a_pass_is_stored_without_a_value(store, library):
    start(store, library)
    store.save_answer("ABCDEF", Answer(2, "x", "tok", None, True))
    [answer] = store.answers_for_step("ABCDEF", 2)
    assert (answer.token, answer.passed, answer.value) == ("tok", True, None)


def test_fifty_threads_submitting_at_once_lose_nothing(open_store, library):
    store = open_store()
    start(store, library)
    errors = []

    def phone(n: int) -> None:
        try:
            for step in range(5):
                store.save_answer("ABCDEF", Answer(step, "e", f"t{n}", n % 11, False))
                store.save_answer("ABCDEF", Answer(step, "e", f"t{n}", (n + 1) % 11, False))
        except Exception as exc:  # noqa: BLE001 - any failure must fail the test
            errors.append(exc)

    threads = [threading.Thread(target=phone, args=(n,)) for n in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    store.close()
    assert read_database(store.target, "SELECT count(*) FROM answers") == [(250,)]  # read the database itself
    values = read_database(store.target, "SELECT token, value_json FROM answers WHERE step_index = 4")
    assert dict(values) == {f"t{n}": str((n + 1) % 11) for n in range(50)}
    revisions = read_database(store.target, "SELECT DISTINCT revisions FROM answers")
    assert revisions == [(2,)]  # each phone changed each answer once


def test_group_commit_writes_waiting_rows_together_and_reports_failures_to_each_caller():
    from workshop.storage.writer import GroupCommit

    batches: list[list] = []
    release = threading.Event()

    def write(rows):
        release.wait(5)
        if any(row == ("boom",) for row in rows):
            raise ValueError("disk full")
        batches.append(rows)

    commit = GroupCommit(write)
    results: dict[int, str] = {}

    def caller(i, row):
        try:
            commit.write(row)
            results[i] = "ok"
        except ValueError as exc:
            results[i] = str(exc)

    first = threading.Thread(target=caller, args=(0, ("a",)))
    first.start()
    time.sleep(0.1)  # the writer is now busy with the first row
    others = [threading.Thread(target=caller, args=(i, (f"r{i}",))) for i in range(1, 6)]
    for t in others:
        t.start()
    time.sleep(0.1)
    release.set()
    for t in [first, *others]:
        t.join()
    assert batches[0] == [("a",)] and sorted(batches[1]) == [(f"r{i}",) for i in range(1, 6)]
    assert results == {i: "ok" for i in range(6)}
    failing = threading.Thread(target=caller, args=(9, ("boom",)))
    failing.start()
    failing.join()
    assert results[9] == "disk full"
    commit.write(("after",))  # the writer survives a failed batch
    assert batches[-1] == [("after",)]
    commit.stop()
