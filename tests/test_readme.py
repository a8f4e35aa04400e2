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


def readme_examples() -> list[list[tuple[str, int]]]:
    """Every shell example in the README, in order: each ```sh block, and each inline `uv run megabackdoor ...`
    span, as a list of (command, the exit code it documents: 2 when its comment says "exit code 2", else 0)."""
    text = README.read_text(encoding="utf-8")
    blocks = [[line for line in block.splitlines() if line.strip()]
              for block in re.findall(r"^```sh\n(.*?)^```", text, flags=re.M | re.S)]
    blocks += [[span] for span in re.findall(r"(?<!`)`(uv run megabackdoor[^`]*)`", text)]
    examples = []
    for block in blocks:
        commands = []
        for line in block:
            command, _, comment = line.partition(" #")
            commands.append((command.strip(), 2 if "exit code 2" in comment else 0))
        examples.append(commands)
    return examples


SKIPPED = {"uv run pytest": "the test suite itself"}


def test_readme_shell_examples_run_as_written(tmp_path):
    """Each example in a fresh folder holding what a clone has (the stock scenarios and the docs); its commands
    run in order as written, `uv run` standing for the project's environment, and exit 0 (or the documented 2)."""
    import os
    import shutil
    import subprocess
    import sys

    root = README.parent
    shims = tmp_path / "shims"
    shims.mkdir()
    (shims / "uv").write_text('#!/bin/sh\n[ "$1" = run ] && shift\nexec "$@"\n', encoding="utf-8")
    (shims / "uv").chmod(0o755)
    env = {**os.environ, "PATH": f"{shims}{os.pathsep}{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    examples = readme_examples()
    assert sum(map(len, examples)) >= 15 and any(code == 2 for example in examples for _, code in example)
    made = set()
    for index, example in enumerate(examples):
        folder = tmp_path / f"example{index}"
        for part in ("workbook_templates", "udf_docs"):
            shutil.copytree(root / part, folder / part)
        for command, expected in example:
            if command in SKIPPED:
                continue
            result = subprocess.run(["bash", "-c", command], cwd=folder, env=env, capture_output=True, text=True,
                                    timeout=300)
            assert result.returncode == expected, f"{command}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
            assert "Traceback" not in result.stderr, command
        made |= {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()}
    assert {"plan.xlsx", "client.toml", "plans/client-52.xlsx", "schedule.csv", "catchup.xlsx"} <= made
