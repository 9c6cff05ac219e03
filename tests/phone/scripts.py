"""The phone page's source files, for tests that read them: every module, every style sheet."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from phone.assets import STATIC


def scripts() -> Iterator[tuple[Path, str]]:
    """Every JavaScript module under phone/static, with its source."""
    paths = sorted(STATIC.rglob("*.js"))
    assert len(paths) > 10, paths  # js/*.js and controls/*.js, not one file any more
    for path in paths:
        yield path, path.read_text(encoding="utf-8")


def style_sheets() -> Iterator[tuple[Path, str]]:
    paths = sorted(STATIC.rglob("*.css"))
    assert paths
    for path in paths:
        yield path, path.read_text(encoding="utf-8")


def name(path: Path) -> str:
    """The path as the page and the imports name it: "js/main.js", "controls/scale.css"."""
    return path.relative_to(STATIC).as_posix()
