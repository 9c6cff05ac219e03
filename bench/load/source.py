"""The app the bench's servers run: a copy taken at start, so that edits made while the bench
runs (others may be editing the working tree) never reach a server half-way."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from bench.load.settings import ROOT


def snapshot_revision(revision: str) -> Path:
    """The committed tree of a git revision (HEAD, or an older commit to compare with) in a
    temporary folder."""
    folder = Path(tempfile.mkdtemp(prefix="bench-phones-head-"))
    archive = subprocess.run(["git", "archive", "--format=tar", revision], cwd=ROOT, capture_output=True,
                             check=True, timeout=60).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True, timeout=60)
    return folder


def snapshot_worktree() -> Path:
    """A copy of the working tree as it is now (tracked and untracked, not ignored files)."""
    folder = Path(tempfile.mkdtemp(prefix="bench-phones-tree-"))
    listing = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                             cwd=ROOT, capture_output=True, check=True, timeout=60).stdout
    for name in sorted(set(filter(None, listing.decode().split("\0")))):
        source = ROOT / name
        if source.is_file():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, folder / name)
    return folder


def short_commit(revision: str) -> str:
    return subprocess.run(["git", "rev-parse", "--short", f"{revision}^{{commit}}"], cwd=ROOT, capture_output=True,
                          text=True, timeout=20, check=False).stdout.strip()


def take_snapshot(source: str, git: dict[str, Any]) -> tuple[Path, str]:
    """The folder the servers run from for `--source` (worktree, head or a revision), and the
    report's words for it; `git` is the machine's git state (bench/load/machine.py)."""
    commit = git.get("commit")
    if source == "head":
        return snapshot_revision("HEAD"), f"git archive of HEAD {commit}"
    if source != "worktree":
        return snapshot_revision(source), f"git archive of {source} {short_commit(source)} (HEAD {commit})"
    dirty = git.get("uncommitted")
    return snapshot_worktree(), f"copy of the working tree at start (HEAD {commit}" + (
        f" + {len(dirty)} uncommitted paths)" if dirty else ", clean)")
