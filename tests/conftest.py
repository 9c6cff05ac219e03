"""Shared fixtures: real DuckDB files in temporary folders and the shipped content."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from workshop.content import Library, load_library
from workshop.service import Workshop
from workshop.store import Store

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"

# One step of every question type, built from shipped exercises.
ALL_TYPES_STEPS = [
    "checkin-integration",          # scale
    "checkin-window",               # single_choice
    "faces-pick",                   # multiple_choice
    "bilateral-literal-word",       # word
    "grounding-close",              # text
    "river-position",               # spectrum
    "checkin-calm-connected",       # position2d
]


@pytest.fixture(scope="session")
def library() -> Library:
    return load_library(CONTENT)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "workshop.duckdb")
    yield store
    store.close()


@pytest.fixture
def workshop(store: Store, library: Library) -> Workshop:
    return Workshop(store, library)


def copy_content_with_all_types(target: Path) -> Path:
    """The shipped content plus an agenda that has one step of each question type."""
    shutil.copytree(CONTENT, target)
    agenda = {"id": "all-types", "title": "Every question type", "minutes": 20,
              "description": "Test agenda", "steps": ALL_TYPES_STEPS}
    (target / "agendas" / "all-types.yaml").write_text(yaml.safe_dump(agenda), encoding="utf-8")
    return target


@pytest.fixture
def all_types_workshop(tmp_path: Path) -> Workshop:
    content = copy_content_with_all_types(tmp_path / "content")
    store = Store(tmp_path / "all-types.duckdb")
    yield Workshop(store, load_library(content))
    store.close()
