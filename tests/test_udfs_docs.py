"""udf_docs/ is generated from the registry and must be current; ``megabackdoor docs`` regenerates it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from megabackdoor.cli import main
from megabackdoor.cli.docs_cmd import stale_pages
from megabackdoor.excel import registry
from megabackdoor.excel.docs import HEADER, render, show_value

DOCS = Path(__file__).resolve().parents[1] / "udf_docs"
SPECS = registry.functions()


def test_udf_docs_are_current():
    stale = stale_pages(str(DOCS), render())
    assert stale == [], f"udf_docs/ is stale ({', '.join(stale)}): run `megabackdoor docs`"


def test_one_page_per_function_and_an_index_listing_them():
    assert sorted(p.name for p in DOCS.glob("*.md")) == sorted([f"{n}.md" for n in SPECS] + ["index.md",
                                                                                               "scenario.md"])
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    for name in SPECS:
        assert f"[{name}]({name}.md)" in index
    for heading in ("## Install", "### Excel on Windows: classic xlwings", "### Excel on Windows, macOS and the "
                    "web: xlwings Lite", "### xlwings Server", "## How cells are read", "## Arrays", "## Errors"):
        assert heading in index


@pytest.mark.parametrize("name", list(SPECS))
def test_worked_example_on_the_page_is_recomputed(name):
    spec = SPECS[name]
    page = (DOCS / f"{name}.md").read_text(encoding="utf-8")
    example = spec.examples[0]
    match = re.search(r"^`(=[^`]+)` → \*\*(.+?)\*\*", page, flags=re.M)
    assert match and match.group(1) == spec.formula(example.args)
    value = spec(*example.args)
    assert example.holds(value)
    if not isinstance(value, list):
        assert match.group(2) == show_value(value, example.places)
    assert f"`={spec.signature()}`" in page and spec.citation in page


def test_docs_command_check_and_regenerate(tmp_path, capsys):
    out = tmp_path / "docs"
    assert main(["docs", "--out", str(out), "--check"]) == 1
    assert not out.exists()
    assert main(["docs", "--out", str(out)]) == 0
    # Pages it generated (they start with the generated-page header): a retired one and one edited by hand.
    (out / "OLD_FUNCTION.md").write_text(HEADER + "gone", encoding="utf-8")
    (out / "MEGA_HEADROOM.md").write_text(HEADER + "edited", encoding="utf-8")
    assert main(["docs", "--out", str(out), "--check"]) == 1
    assert "stale: " in capsys.readouterr().out
    assert main(["docs", "--out", str(out)]) == 0
    assert not (out / "OLD_FUNCTION.md").exists()
    assert main(["docs", "--out", str(out), "--check"]) == 0
    assert (out / "MEGA_HEADROOM.md").read_text(encoding="utf-8") == (DOCS / "MEGA_HEADROOM.md").read_text(
        encoding="utf-8")
