"""The fast workbook writer with lxml installed (openpyxl then serializes through lxml, not et_xmlfile).

The project does not depend on lxml, but a user's environment may have it. A temporary environment made by
uv (this interpreter's openpyxl release, plus lxml) writes the stock workbooks both ways (the fast
``<sheetData>`` path and openpyxl's own cell writer); here, without lxml, openpyxl reads the same cells,
styles and layout from them as from the files written without lxml, LibreOffice computes the same values,
and ``formulas`` computes a plan's Schedule equal to the engine. That plan is the stock default plan cut to two
years and two retirement years (two_year_plan): the same kinds of cells, sheets and formulas, compiled by
``formulas`` in ~2 s where the full default plan (31 retirement rows) takes ~12 s.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from importlib.metadata import version
from pathlib import Path

import pytest
import recalc
from _tiers import need, need_tool
from test_workbook_templates import fingerprint

from megabackdoor.schedule import schedule
from megabackdoor.workbook import plan

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]


def two_year_plan():
    """The stock default plan cut to two years and two retirement years (WRITE builds the same)."""
    from megabackdoor.scenario import load

    default = load(str(ROOT / "workbook_templates" / "default-plan.toml"))
    return default.replace(years=2, end_age=default.retirement_age + 1)

WRITE = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    import openpyxl.xml
    from megabackdoor.scenario import load
    from megabackdoor.workbook import acp_template, paychecks, plan, render

    out = Path(sys.argv[1])
    books = {path.stem: plan.build(load(str(path))) for path in sorted(Path(sys.argv[2]).glob("*.toml"))}
    default = load(str(Path(sys.argv[2]) / "default-plan.toml"))
    books["two-years"] = plan.build(default.replace(years=2, end_age=default.retirement_age + 1))
    books.update({"paychecks": paychecks.build(), "acp": acp_template.build(rows=50)})
    for label, book in books.items():
        render.write_book(book, str(out / f"{label}.xlsx"))
        render.write_openpyxl(render.to_openpyxl(book), str(out / f"{label}.reference.xlsx"))
    print(json.dumps({"lxml": openpyxl.xml.LXML, "labels": sorted(books)}))
""")


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """{label: (fast file with lxml, reference file with lxml, fast file without lxml)}."""
    uv = need_tool("uv", "pip install uv")
    folder = tmp_path_factory.mktemp("lxml")
    script = folder / "write.py"
    script.write_text(WRITE)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "OPENPYXL_LXML": "True"}
    run = subprocess.run([uv, "run", "--no-project", "--python", sys.executable, "--with",
                          f"openpyxl=={version('openpyxl')}", "--with", "lxml", "python", str(script), str(folder),
                          str(ROOT / "workbook_templates")], capture_output=True, text=True, env=env, timeout=600)
    need(run.returncode == 0, f"could not make an environment with lxml (uv run --with lxml): {run.stderr[-800:]}")
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["lxml"] is True, "openpyxl did not pick up lxml in the temporary environment"
    from megabackdoor.scenario import load
    from megabackdoor.workbook import acp_template, paychecks, render

    plain = folder / "plain"
    plain.mkdir()
    books = {path.stem: plan.build(load(str(path))) for path in sorted((ROOT / "workbook_templates").glob("*.toml"))}
    books["two-years"] = plan.build(two_year_plan())
    books.update({"paychecks": paychecks.build(), "acp": acp_template.build(rows=50)})
    assert sorted(books) == report["labels"]
    result = {}
    for label, book in books.items():
        render.write_book(book, str(plain / f"{label}.xlsx"))
        result[label] = (folder / f"{label}.xlsx", folder / f"{label}.reference.xlsx", plain / f"{label}.xlsx")
    return result


def test_openpyxl_reads_the_same_workbook_from_the_lxml_files(written):
    for label, (fast, reference, plain) in written.items():
        expected = fingerprint(plain)
        assert fingerprint(fast) == expected, label
        assert fingerprint(reference) == expected, label


def test_libreoffice_computes_the_same_values_from_the_lxml_files(written, libreoffice):
    fast = [paths[0] for paths in written.values()]
    plain = [paths[2] for paths in written.values()]
    values = libreoffice.cells(fast + plain)
    for label, (fast_path, _, plain_path) in written.items():
        assert values[fast_path] == values[plain_path], label  # error values included (the empty ACP census)
        assert sum(map(len, values[fast_path].values())) > 100, label


def test_formulas_computes_the_engine_schedule_from_an_lxml_file(written):
    from megabackdoor.schedule import CENT_COLUMNS, COLUMNS

    values = recalc.FormulasWorkbook(written["two-years"][0]).values()
    assert recalc.error_cells(values) == {}
    table = schedule(two_year_plan())
    column = plan.column_letters()
    assert len(table) == 2
    for offset, row in enumerate(table.itertuples(index=False)):
        for key, _, _ in COLUMNS:
            expected = getattr(row, key)
            got = values["Schedule"].get(f"{column[key]}{offset + 2}")
            expected = 0.0 if expected is None else expected
            if isinstance(expected, str) or key in CENT_COLUMNS:    # text, or a cent both round: exactly
                assert got == expected, (key, offset)
            else:                                                   # float noise (tests/test_workbook_recalc.py)
                assert got == pytest.approx(expected, rel=1e-9, abs=1e-6), (key, offset)
