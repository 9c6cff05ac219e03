"""The shipped content plus an agenda with one step of every question type, so that a test
or a bench exercises each kind of answer."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from harness import ROOT

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
    "window-of-tolerance",          # window
    "vertical-sift-points",         # points
    "return-to-window",             # ranking
    "mood-map",                     # mood
    "faces-statements",             # statements
]


def copy_content_with_all_types(target: Path) -> Path:
    """The shipped content plus an agenda that has one step of each question type."""
    shutil.copytree(CONTENT, target)
    agenda = {"id": "all-types", "title": "Every question type", "minutes": 20,
              "description": "Test agenda", "steps": ALL_TYPES_STEPS}
    (target / "agendas" / "all-types.yaml").write_text(yaml.safe_dump(agenda), encoding="utf-8")
    return target
