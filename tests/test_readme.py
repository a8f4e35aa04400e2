"""The README's promises: two set-up commands, the disclaimer, and examples that actually run."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_examples_run():
    result = doctest.testfile(str(README), module_relative=False, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


def test_readme_gives_exactly_the_two_setup_commands():
    setup = README.read_text().split("## Set-up", 1)[1].split("##", 1)[0]
    commands = re.findall(r"^(uv run [^#\n]*?)\s*(?:#.*)?$", setup, flags=re.M)
    assert len(commands) == 2 and commands[1] == "uv run pytest"


def test_readme_says_educational_not_advice():
    assert "Educational, not individual tax advice" in README.read_text()
