""""Forget typed words" and "Delete session" must erase: afterwards a typed value is in no
file the app owns. These tests grep the raw bytes of the database's files for a unique
marker, so they hold against someone who reads the disk, not only through SQL."""

from __future__ import annotations

import secrets
import threading
from pathlib import Path

import duckdb
import pytest

from harness.content import copy_content_with_all_types
from harness.postgres import Cluster
from workshop.content import Library, load_library
from workshop.models import Moderation, SessionSettings
from workshop.service import Workshop
from workshop.storage.store import Store

WORD, TEXT, SCALE = 3, 4, 0  # steps of the all-types agenda (tests/conftest.py)


@pytest.fixture(scope="module")
def all_types(tmp_path_factory) -> Library:
    return load_library(copy_content_with_all_types(tmp_path_factory.mktemp("content") / "content"))


def files_holding(folder: Path, marker: str) -> list[str]:
    """Every file under `folder` (database, WAL, temporary files) whose bytes contain `marker`."""
    needle = marker.encode()
    return sorted(str(path.relative_to(folder)) for path in folder.rglob("*")
                  if path.is_file() and needle in path.read_bytes())


def new_marker() -> str:
    return f"marker{secrets.token_hex(8)}"  # lower case: words are stored case-folded


def seed_marker(workshop: Workshop, marker: str) -> str:
    """A session where three phones typed `marker` as a word (approved in moderation) and a text."""
    code = workshop.start_session("all-types", SessionSettings(min_answers=1)).code
    tokens = [workshop.join(code)[1] for _ in range(3)]
    workshop.go_to_step(code, SCALE)
    for number, token in enumerate(tokens):
        workshop.submit(code, token, SCALE, number + 1)
    workshop.go_to_step(code, WORD)
    for token in tokens:
        workshop.submit(code, token, WORD, marker)
    workshop.moderate(code, WORD, marker, Moderation.APPROVED)
    workshop.go_to_step(code, TEXT)
    workshop.submit(code, tokens[0], TEXT, f"I felt {marker} today")
    return code


def duckdb_workshop(folder: Path, library: Library) -> Workshop:
    return Workshop(Store(folder / "workshop.duckdb"), library)


@pytest.mark.parametrize("checkpointed", [True, False], ids=["checkpointed", "only-in-wal"])
def test_forgotten_typed_words_are_in_no_duckdb_file_right_after_and_after_reopening(
        tmp_path, all_types, checkpointed):
    folder = tmp_path / "data"
    marker = new_marker()
    workshop = duckdb_workshop(folder, all_types)
    code = seed_marker(workshop, marker)
    kept = seed_marker(workshop, "kept")
    if checkpointed:  # a restart writes the answers into the file itself
        workshop.store.close()
        assert files_holding(folder, marker) == ["workshop.duckdb"]
        workshop = duckdb_workshop(folder, all_types)
    assert workshop.purge_typed_text(code) == 4
    assert files_holding(folder, marker) == []
    workshop.store.close()
    assert files_holding(folder, marker) == []
    workshop = duckdb_workshop(folder, all_types)
    assert files_holding(folder, marker) == []
    assert workshop.step_results(code, WORD).responses == 3
    assert workshop.step_results(code, SCALE).values == (1.0, 2.0, 3.0)
    assert workshop.store.moderation_states(code, WORD) == {}
    assert workshop.step_results(kept, WORD).counts == (("kept", 3),)
    workshop.store.close()


@pytest.mark.parametrize("checkpointed", [True, False], ids=["checkpointed", "only-in-wal"])
def test_a_deleted_session_is_in_no_duckdb_file_right_after_and_after_reopening(
        tmp_path, all_types, checkpointed):
    folder = tmp_path / "data"
    marker = new_marker()
    workshop = duckdb_workshop(folder, all_types)
    code = seed_marker(workshop, marker)
    token = next(iter(workshop.store.participant_tokens(code)))
    kept = seed_marker(workshop, "kept")
    if checkpointed:
        workshop.store.close()
        assert files_holding(folder, marker) == ["workshop.duckdb"]
        workshop = duckdb_workshop(folder, all_types)
    workshop.delete_session(code)
    for secret in (marker, token):
        assert files_holding(folder, secret) == []
    workshop.store.close()
    workshop = duckdb_workshop(folder, all_types)
    for secret in (marker, token):
        assert files_holding(folder, secret) == []
    assert [s.code for s in workshop.sessions()] == [kept]
    assert workshop.store.count_answers(kept) == 7
    workshop.store.close()


def test_answers_acknowledged_while_a_purge_and_a_delete_rewrite_the_file_are_all_kept(
        tmp_path, all_types):
    """The rewrite closes and reopens the connection; writers and readers must wait, not fail."""
    folder = tmp_path / "data"
    workshop = duckdb_workshop(folder, all_types)
    code = workshop.start_session("all-types").code
    workshop.go_to_step(code, SCALE)
    doomed = seed_marker(workshop, new_marker())
    stop = threading.Event()
    acknowledged: list[list[str]] = [[] for _ in range(6)]
    failures: list[BaseException] = []

    def phones(mine: list[str]) -> None:
        try:
            while not stop.is_set():
                _, token = workshop.join(code)
                workshop.submit(code, token, SCALE, 5)
                mine.append(token)
        except BaseException as exc:
            failures.append(exc)

    def reader() -> None:
        try:
            while not stop.is_set():
                workshop.store.answers_for_step(code, SCALE)
                workshop.store.list_sessions()
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=phones, args=(mine,)) for mine in acknowledged]
    threads.append(threading.Thread(target=reader))
    for thread in threads:
        thread.start()
    def count() -> int:
        return sum(len(mine) for mine in acknowledged)

    try:
        while count() < 20 and not failures:  # phones are answering before the first rewrite
            stop.wait(0.01)
        before = count()
        for _ in range(3):
            workshop.purge_typed_text(doomed)
        workshop.delete_session(doomed)
        workshop.purge_typed_text(code)
        during = count() - before
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert failures == []
    sent = {token for mine in acknowledged for token in mine}
    assert during > 0 and len(sent) == count()
    assert {a.token for a in workshop.store.answers_for_step(code, SCALE)} == sent
    workshop.store.close()
    workshop = duckdb_workshop(folder, all_types)
    assert {a.token for a in workshop.store.answers_for_step(code, SCALE)} == sent
    workshop.store.close()


def test_a_half_written_copy_left_by_a_crash_is_deleted_never_used(tmp_path, all_types):
    folder = tmp_path / "data"
    workshop = duckdb_workshop(folder, all_types)
    code = seed_marker(workshop, "kept")
    workshop.store.close()
    (folder / "workshop.duckdb.rewrite").write_bytes(b"half a database")
    (folder / "workshop.duckdb.rewrite.wal").write_bytes(b"half a log")
    workshop = duckdb_workshop(folder, all_types)
    assert sorted(p.name for p in folder.iterdir()) == ["workshop.duckdb"]
    assert workshop.store.count_answers(code) == 7
    workshop.store.close()


def test_a_purge_that_died_before_its_rewrite_is_finished_when_the_store_opens(tmp_path, all_types):
    """The purge committed, then the process died: the old blocks still hold the marker."""
    folder = tmp_path / "data"
    marker = new_marker()
    workshop = duckdb_workshop(folder, all_types)
    code = seed_marker(workshop, marker)
    workshop.store.db.begin_erasure()
    workshop.store.close()
    with duckdb.connect(str(folder / "workshop.duckdb")) as conn:  # the purge's own transaction
        conn.execute("UPDATE answers SET value_json = NULL WHERE value_json LIKE ?", [f"%{marker}%"])
        conn.execute("DELETE FROM moderation")
    assert files_holding(folder, marker) == ["workshop.duckdb"]
    workshop = duckdb_workshop(folder, all_types)
    assert files_holding(folder, marker) == []
    assert sorted(p.name for p in folder.iterdir()) == ["workshop.duckdb"]
    assert workshop.store.count_answers(code) == 7
    workshop.store.close()


def test_a_rewrite_refuses_while_another_connection_of_this_process_holds_the_file(
        tmp_path, all_types):
    """Reopening would hand back that connection's instance, still writing to the replaced
    file: refuse, and keep the store working on the file it has."""
    folder = tmp_path / "data"
    workshop = duckdb_workshop(folder, all_types)
    code = seed_marker(workshop, new_marker())
    other = duckdb.connect(str(folder / "workshop.duckdb"))
    try:
        with pytest.raises(RuntimeError, match="another connection in this process holds"):
            workshop.store.purge_typed_text(code, ["bilateral-literal-word"])
    finally:
        other.close()
    assert workshop.store.count_answers(code) == 7
    workshop.store.delete_session(code)
    assert workshop.store.count_answers(code) == 0
    assert sorted(p.name for p in folder.iterdir()) == ["workshop.duckdb"]
    workshop.store.close()


# -- PostgreSQL ---------------------------------------------------------------------------
@pytest.fixture
def cluster(postgres_server) -> Cluster:
    if not isinstance(postgres_server, Cluster):
        pytest.skip("needs the suite's own cluster, to read its data directory")
    return postgres_server


def checkpoint(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("CHECKPOINT")


@pytest.mark.parametrize("action", ["purge", "delete"])
def test_after_a_purge_or_delete_and_a_checkpoint_no_postgresql_table_file_holds_the_text(
        cluster, all_types, action):
    """VACUUM FULL writes the tables anew; the old files are truncated at commit.

    Only the table files (`base/`): the WAL (`pg_wal/`) keeps the marker until its
    segments are recycled, as docs/scaling.md says.
    """
    url = cluster.database()
    marker = new_marker()
    workshop = Workshop(Store(url), all_types)
    try:
        code = seed_marker(workshop, marker)
        kept = seed_marker(workshop, "kept")
        checkpoint(url)
        assert files_holding(cluster.data / "base", marker) != []
        if action == "purge":
            assert workshop.purge_typed_text(code) == 4
        else:
            workshop.delete_session(code)
        checkpoint(url)
        assert files_holding(cluster.data / "base", marker) == []
        assert workshop.store.count_answers(kept) == 7
    finally:
        workshop.store.close()
