"""The layers stay apart: read every import of the project's code (with `ast`, nothing is run)
and check who may import whom.

- workshop/ is the domain: plain Python, no web framework and none of the layers above it;
- harness/ and bench/ do not reach into tests/, and harness/ not into bench/;
- the project's modules import each other without a cycle.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from harness import ROOT

SCANNED = ("workshop", "phone", "web", "ui", "pages", "harness", "bench", "app.py")
FIRST_PARTY = {"workshop", "phone", "web", "ui", "pages", "harness", "bench", "app", "tests"}
FRAMEWORKS = {"streamlit", "starlette", "uvicorn"}
ABOVE_WORKSHOP = {"phone", "ui", "pages", "web", "app"}
DATABASE_DRIVERS = {"duckdb", "psycopg", "psycopg_pool"}

# Known exceptions: none (the phone's routes, a Starlette app, moved from workshop/ to phone/).
FRAMEWORK_IN_WORKSHOP: set[str] = set()


@dataclass(frozen=True)
class Import:
    path: str      # the importing file, relative to the repository
    line: int
    module: str    # what it imports, resolved: `from workshop import config` -> workshop.config

    def __str__(self) -> str:
        return f"{self.path}:{self.line} imports {self.module}"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def python_files() -> list[Path]:
    files: list[Path] = []
    for name in SCANNED:
        place = ROOT / name
        files += [place] if place.is_file() else sorted(place.rglob("*.py"))
    return files


MODULES = {module_name(path): path for path in python_files()}


def is_module(name: str) -> bool:
    """A module or package of the project's own (tests/ included), or not."""
    if name in MODULES:
        return True
    base = ROOT.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def imports_of(path: Path) -> list[Import]:
    """Every import in the file, at module level or inside a function, resolved to modules."""
    relative = path.relative_to(ROOT).as_posix()
    package = module_name(path) if path.name == "__init__.py" else module_name(path).rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=relative)):
        if isinstance(node, ast.Import):
            found += [Import(relative, node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # from . import x, from ..y import z
                anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                candidate = f"{base}.{alias.name}" if base else alias.name
                first_party = base.split(".")[0] in FIRST_PARTY
                found.append(Import(relative, node.lineno,
                                    candidate if first_party and is_module(candidate) else base))
    return found


IMPORTS = [found for path in python_files() for found in imports_of(path)]


def top(module: str) -> str:
    return module.split(".")[0]


def forbidden(where: str, banned: set[str], allowed_files: set[str] | None = None) -> list[str]:
    """The imports of `banned` top-level packages from the file or folder `where`."""
    allowed_files = allowed_files or set()
    return [str(found) for found in IMPORTS
            if (found.path == where or found.path.startswith(f"{where}/"))
            and found.path not in allowed_files and top(found.module) in banned]


def import_cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One cycle for each back edge a depth-first search meets, as a path a -> ... -> a."""
    cycles: list[list[str]] = []
    state: dict[str, str] = {}  # "open" while on the search path, "done" after
    path: list[str] = []

    def visit(module: str) -> None:
        state[module] = "open"
        path.append(module)
        for target in sorted(edges.get(module, ())):
            if state.get(target) == "open":
                cycles.append([*path[path.index(target):], target])
            elif target not in state:
                visit(target)
        path.pop()
        state[module] = "done"

    for module in sorted(edges):
        if module not in state:
            visit(module)
    return cycles


def first_party_graph() -> tuple[dict[str, set[str]], dict[tuple[str, str], Import]]:
    edges: dict[str, set[str]] = {}
    where: dict[tuple[str, str], Import] = {}
    for found in IMPORTS:
        source = module_name(ROOT / found.path)
        if found.module in MODULES and found.module != source:
            edges.setdefault(source, set()).add(found.module)
            where.setdefault((source, found.module), found)
    return edges, where


def test_the_scan_finds_the_projects_modules_and_their_imports():
    assert {"app", "workshop.service", "phone.routes", "ui.components", "pages.facilitator",
            "web.lifecycle", "harness.streamlit_server", "bench.phones"} <= set(MODULES)
    imported = {(found.path, found.module) for found in IMPORTS}
    assert ("bench/shutdown.py", "harness.streamlit_server") in imported
    assert ("workshop/downloads.py", "workshop.config") in imported     # from workshop import config
    assert ("workshop/passcode_store.py", "workshop.config") in imported  # ... inside a function
    assert ("harness/content.py", "harness") in imported                # from harness import ROOT
    assert any(found.path == "phone/routes.py" and top(found.module) == "starlette"
               for found in IMPORTS)


def test_nothing_under_workshop_imports_streamlit_starlette_or_uvicorn():
    found = forbidden("workshop", FRAMEWORKS, FRAMEWORK_IN_WORKSHOP)
    assert not found, "workshop/ must stay framework-free:\n" + "\n".join(found)
    for known in FRAMEWORK_IN_WORKSHOP:  # an exception that no longer applies goes from the list
        assert forbidden(known, FRAMEWORKS), f"{known} no longer imports a framework: drop it from the list"


def test_nothing_under_workshop_imports_the_layers_above_it():
    found = forbidden("workshop", ABOVE_WORKSHOP)
    assert not found, "workshop/ must not import phone, ui, pages, web or app:\n" + "\n".join(found)


def test_only_the_storage_package_talks_to_a_database_driver():
    allowed = {found.path for found in IMPORTS if found.path.startswith(("workshop/storage/", "harness/"))}
    found = [str(i) for i in IMPORTS if top(i.module) in DATABASE_DRIVERS and i.path not in allowed
             and not i.path.startswith("bench/")]
    assert not found, "SQL and drivers belong in workshop/storage/:\n" + "\n".join(found)


def test_chart_drawing_does_not_import_the_service():
    found = [str(i) for i in IMPORTS if i.path.startswith(("workshop/charts.py", "workshop/report_charts.py", "workshop/questions/"))
             and (i.module == "workshop.service" or i.module.startswith("workshop.service."))]
    assert not found, "charts take aggregated data and return a figure:\n" + "\n".join(found)


def test_bench_and_harness_never_import_tests():
    found = forbidden("bench", {"tests"}) + forbidden("harness", {"tests"})
    assert not found, "what tests share with the benches belongs in harness/:\n" + "\n".join(found)


def test_harness_never_imports_bench():
    found = forbidden("harness", {"bench"})
    assert not found, "harness/ serves the benches and must not import them:\n" + "\n".join(found)


def test_the_projects_modules_import_each_other_without_a_cycle():
    edges, where = first_party_graph()
    cycles = [" -> ".join(cycle) + " (" + "; ".join(str(where[pair]) for pair in zip(cycle, cycle[1:])) + ")"
              for cycle in import_cycles(edges)]
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_the_cycle_search_finds_a_cycle():
    assert import_cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
    assert import_cycles({"a": {"b", "c"}, "b": {"c"}}) == []
