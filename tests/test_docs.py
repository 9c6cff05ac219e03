"""The README is the newcomer's contract: its commands and settings must be true."""

import re

from harness import ROOT
from workshop.config import SETTINGS

README = (ROOT / "README.md").read_text(encoding="utf-8")


def fenced_commands(section: str) -> list[str]:
    body = README.split(f"## {section}", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", body, re.S).group(1)
    return [line.strip() for line in block.splitlines() if line.strip()]


SETUP = ["python3 -m venv .venv", ". .venv/bin/activate", "pip install -r requirements.txt",
         "streamlit run app.py"]


def test_readme_gives_the_setup_commands_in_a_virtual_environment():
    assert fenced_commands("Set up and run") == SETUP


def test_ci_installs_exactly_as_the_readme_says():
    ci = [line.split("#")[0].strip() for line in (ROOT / ".ci" / "run").read_text().splitlines()]
    positions = [ci.index(command) for command in SETUP[:3]]
    assert positions == sorted(positions)


def test_ci_runs_exactly_the_readme_test_command():
    [command] = fenced_commands("Test")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    run_lines = [line.split("#")[0].strip() for line in ci.splitlines()]
    assert command in run_lines
    assert "pip install -r requirements.txt" in run_lines


def test_every_setting_is_documented_with_its_default():
    for setting in SETTINGS:
        row = next((line for line in README.splitlines() if line.startswith(f"| `{setting.env}`")), None)
        assert row is not None, setting.env
        assert (f"`{setting.default}`" if setting.default else "*(empty)*") in row
