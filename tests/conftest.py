"""Shared fixtures: real databases (a DuckDB file in a temporary folder, and a throwaway
PostgreSQL database) and the shipped content."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from harness.content import CONTENT, copy_content_with_all_types
from harness.postgres import Cluster, ExternalServer, find_bin
from workshop.content import Library, load_library
from workshop.service import Workshop
from workshop.storage.store import Store


@pytest.fixture(scope="session")
def library() -> Library:
    return load_library(CONTENT)


@pytest.fixture(scope="session")
def postgres_server():
    """One throwaway PostgreSQL cluster for the whole run, started on first use."""
    url = os.environ.get("WORKSHOP_TEST_DATABASE_URL", "").strip()
    if url:
        server = ExternalServer(url)
    else:
        bin_dir = find_bin()
        if bin_dir is None:
            pytest.skip("PostgreSQL is not installed here (apt-get install postgresql); "
                        ".ci/run installs it, so CI runs these tests")
        server = Cluster(bin_dir)
    yield server
    server.stop()


@pytest.fixture(params=["duckdb", "postgresql"])
def database(request, tmp_path: Path) -> str | Path:
    """Where a store keeps its data: every store test runs on both backends."""
    if request.param == "duckdb":
        return tmp_path / "workshop.duckdb"
    return request.getfixturevalue("postgres_server").database()


@pytest.fixture
def store(database: str | Path) -> Store:
    store = Store(database)
    yield store
    store.close()


@pytest.fixture
def open_store(database: str | Path):
    """Open the test's database (again, as a restarted server would); all closed at teardown."""
    opened: list[Store] = []

    def open_() -> Store:
        opened.append(Store(database))
        return opened[-1]

    yield open_
    for store in opened:
        store.close()


@pytest.fixture
def workshop(store: Store, library: Library) -> Workshop:
    return Workshop(store, library)


@pytest.fixture
def all_types_workshop(tmp_path: Path) -> Workshop:
    content = copy_content_with_all_types(tmp_path / "content")
    store = Store(tmp_path / "all-types.duckdb")
    yield Workshop(store, load_library(content))
    store.close()
