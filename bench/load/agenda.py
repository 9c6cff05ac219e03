"""The agenda a run plays (`--agenda`), and the app's copy made ready to serve it.

`nine-domains-intro` is shipped content; the bench plays its first 7 steps by default, as every
run before `--agenda` did, so that numbers stay comparable. It never reaches the newer kinds.
`all-types` is the agenda of harness/content.py with one step of every question kind; it is not
shipped, so it is written into the copy's content/agendas/ before any server starts.

The copy may be an older revision (`--source REV`) that lacks a kind: its loader would drop the
agenda and the run would only fail when the facilitator looked for it. So the copy's own code
loads its content once, in a child process, and the bench refuses up front, naming the kinds the
revision lacks, rather than play a shorter agenda under the same name.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from harness.content import ALL_TYPES_STEPS, CONTENT, copy_content_with_all_types

AGENDAS = ("nine-domains-intro", "all-types")
ALL_TYPES = "all-types"
COMPARABLE_STEPS = 7  # nine-domains-intro's steps 1-7, as in every earlier run


def step_ids(agenda_id: str) -> list[str]:
    """The agenda's steps as the working tree has them, for `--steps`' bounds at parse time
    (the copy the servers run is checked again by `prepare`)."""
    if agenda_id == ALL_TYPES:
        return list(ALL_TYPES_STEPS)
    data = yaml.safe_load((CONTENT / "agendas" / f"{agenda_id}.yaml").read_text(encoding="utf-8"))
    return list(data["steps"])


def default_steps(agenda_id: str) -> int:
    """7 steps of nine-domains-intro (comparable with earlier runs); every step of all-types."""
    return COMPARABLE_STEPS if agenda_id != ALL_TYPES else len(ALL_TYPES_STEPS)


@dataclass(frozen=True)
class Played:
    """The agenda as the app's copy loaded it: what the facilitator picks (by title) and plays."""

    id: str
    title: str
    steps: tuple[str, ...]   # exercise ids, in order
    kinds: tuple[str, ...]   # each step's question kind

    def describe(self, played: int) -> str:
        """One line for the printed report: which agenda, how many steps, which kinds."""
        return (f"agenda {self.id} “{self.title}”: steps 1–{played} of {len(self.steps)} "
                f"({', '.join(self.kinds[:played])})")

    def as_dict(self, played: int) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "steps_played": played, "steps": list(self.steps[:played]),
                "kinds": list(self.kinds[:played]), "agenda_steps": len(self.steps)}


class AgendaRefused(Exception):
    """The app's copy cannot play what the command asks; the message says why, in a sentence."""


# Run with the copy's own code (cwd = the copy): what it can load, as JSON on stdout.
LOADER = """
import json, sys
from pathlib import Path
import workshop
from workshop.content import load_library
from workshop.models import QuestionType
library = load_library(Path("content"))
print(json.dumps({
    "module": workshop.__file__,
    "kinds": [t.value for t in QuestionType],
    "agendas": {a.id: {"title": a.title, "steps": [s.id for s in a.steps], "kinds": [s.type.value for s in a.steps]}
                for a in library.agendas.values()},
    "errors": [str(e) for e in library.errors]}))
"""


def write_all_types(content: Path) -> None:
    """harness/content.py's all-types agenda into a content folder that already exists (the
    copy's): harness builds it next to a fresh copy of the shipped content, so build it in a
    scratch folder and take only the agenda file, never the working tree's exercises."""
    scratch = Path(tempfile.mkdtemp(prefix="bench-phones-agenda-"))
    try:
        built = copy_content_with_all_types(scratch / "content")
        shutil.copy2(built / "agendas" / f"{ALL_TYPES}.yaml", content / "agendas" / f"{ALL_TYPES}.yaml")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def load_in_copy(app_dir: Path) -> dict[str, Any]:
    """The copy's content as the copy's own code loads it (a child process started in the copy)."""
    done = subprocess.run([sys.executable, "-c", LOADER], cwd=app_dir, capture_output=True, text=True,
                          timeout=120, check=False)
    if done.returncode != 0:
        raise AgendaRefused(f"the app's copy could not load its content: {done.stderr.strip()[-800:]}")
    loaded = json.loads(done.stdout.strip().splitlines()[-1])
    if not Path(loaded["module"]).resolve().is_relative_to(app_dir.resolve()):
        raise AgendaRefused(f"the loader ran {loaded['module']}, not the app's copy in {app_dir}")
    return loaded


def needed_kinds() -> list[str]:
    """The kind of each all-types step, by this working tree's content: what "every kind" means."""
    from workshop.content import load_library

    exercises = load_library(CONTENT).exercises
    return list(dict.fromkeys(exercises[step].type.value for step in ALL_TYPES_STEPS if step in exercises))


def prepare(app_dir: Path, agenda_id: str, steps: int, app: str) -> Played:
    """Make the copy serve `agenda_id` (writing all-types in) and check it can play `steps` of it;
    `app` is the report's words for the copy. Raises AgendaRefused with the reason."""
    if agenda_id == ALL_TYPES:
        write_all_types(app_dir / "content")
    loaded = load_in_copy(app_dir)
    agenda = loaded["agendas"].get(agenda_id)
    if agenda_id == ALL_TYPES:
        have = set(agenda["kinds"]) if agenda else set(loaded["kinds"])
        missing = [kind for kind in needed_kinds() if kind not in have]
        if missing:
            raise AgendaRefused(
                f"--agenda {ALL_TYPES}: the app ({app}) lacks the question kind(s) {', '.join(missing)}, so it "
                f"cannot play one step of every kind; use --agenda nine-domains-intro or a newer --source")
    if agenda is None:
        errors = [e for e in loaded["errors"] if f"{agenda_id}.y" in e] or loaded["errors"]
        raise AgendaRefused(f"--agenda {agenda_id}: the app ({app}) does not load it: "
                            + ("; ".join(errors[:5]) or "no such agenda"))
    if steps > len(agenda["steps"]):
        raise AgendaRefused(f"--steps {steps}: the app ({app}) has only {len(agenda['steps'])} steps in {agenda_id}")
    return Played(agenda_id, agenda["title"], tuple(agenda["steps"]), tuple(agenda["kinds"]))
