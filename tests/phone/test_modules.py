"""Rules every phone module keeps, read from the source of each (tests/phone/scripts.py):
textContent only, nothing from outside, ids from one map, one control module per kind, and
imports that resolve to modules the page serves."""

from __future__ import annotations

import posixpath
import re

import pytest

from phone.assets import STATIC
from tests.phone.scripts import name, scripts, style_sheets
from workshop.questions import KINDS

FORBIDDEN = ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
             "setTimeout('", 'setTimeout("', "import(", "XMLHttpRequest", "WebSocket", "sendBeacon"]
IMPORT = re.compile(r"^import [^;]*? from '([^']+)';", re.M)
COMMENT = re.compile(r"/\*.*?\*/|^\s*//.*$|\s//\s.*$", re.S | re.M)


def source_of(relative: str) -> str:
    return (STATIC / relative).read_text(encoding="utf-8")


def code(source: str) -> str:
    """The source without its comments (which may say "never innerHTML")."""
    return COMMENT.sub("", source)


@pytest.mark.parametrize("forbidden", FORBIDDEN)
def test_no_module_writes_html_or_runs_strings_or_opens_other_channels(forbidden):
    found = [name(path) for path, source in scripts() if forbidden in code(source)]
    assert found == [], f"{forbidden} in {found}"


def test_no_module_names_another_site():
    for path, source in scripts():  # comments included: no address of anywhere else at all
        assert not re.search(r"https?:|//[a-z0-9.-]+\.[a-z]{2,}/|\bwss?:", source, re.I), path


def test_storage_is_reached_only_through_token_js():
    found = [name(path) for path, source in scripts()
             if re.search(r"\b(localStorage|sessionStorage)\b", code(source))]
    assert found == ["js/token.js"]


def test_style_sheets_load_nothing_from_outside():
    for path, source in style_sheets():
        assert "@import" not in source and "url(" not in source and "http" not in source, path


def test_every_import_is_a_served_module_and_every_module_is_imported():
    modules = {name(path): source for path, source in scripts()}
    reached, todo = set(), ["js/main.js"]
    while todo:
        current = todo.pop()
        reached.add(current)
        for target in IMPORT.findall(modules[current]):
            assert target.startswith(("./", "../")) and target.endswith(".js"), (current, target)
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(current), target))
            assert resolved in modules, (current, target)
            if resolved not in reached:
                todo.append(resolved)
    assert reached == set(modules)  # no module left over, none missing


def test_every_kind_has_its_control_module_in_the_registry():
    registry = source_of("js/controls.js")
    for kind in KINDS:
        module = STATIC / "controls" / f"{kind.value}.js"
        assert module.exists(), module
        assert f"from '../controls/{kind.value}.js';" in registry, kind
        assert f"\n  {kind.value}: " in registry, kind
        assert re.search(r"^export function create\(settings, ", module.read_text(encoding="utf-8"), re.M), module


def test_every_id_comes_from_the_one_map():
    ids_js = source_of("js/ids.js")
    page_map = ids_js.split("export const PAGE", 1)[1].split("});", 1)[0]
    in_html = re.findall(r'\bid="([^"]+)"', source_of("phone.html"))
    assert sorted(set(in_html)) == sorted(re.findall(r": '([a-z0-9-]+)'", page_map))
    assert len(in_html) == len(set(in_html))
    lookups = [name(path) for path, source in scripts() if "getElementById" in source]
    assert lookups == ["js/dom.js"]
    for path, source in scripts():  # ids are never spelled out elsewhere: byId(PAGE.x), CONTROL.x
        if name(path) != "js/ids.js":
            assert not re.search(r"byId\('|withId\('[a-z]+', '", source), path
