"""The README's first screen stays true: exactly two commands, and CI runs the test command it gives."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def first_block_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", text, re.S)
    assert block, "README needs a bash block with the two commands"
    return [ln for ln in block.group(1).splitlines() if ln.strip() and not ln.startswith("#")]


def test_readme_gives_exactly_two_commands() -> None:
    demo, tests = first_block_commands()
    assert "lessonkit serve --demo" in demo
    assert "pytest" in tests


def test_ci_runs_the_readme_test_command() -> None:
    _demo, tests = first_block_commands()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert tests in ci.splitlines()
    assert "LESSONKIT_REQUIRE_BROWSER=1" in ci and "chromium" in ci
