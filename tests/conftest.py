"""Suite-wide settings: the run's seed (tests/_seeds.py), the hypothesis profiles, the ``libreoffice``
session fixture (tests/recalc.py) and what the fast set leaves out.

* ``pytest -m "not slow"`` is the edit-test loop. ``slow`` marks, besides tests marked by hand, every test of
  a module that imports tests/_tiers.py (a tier that runs an outside tool: LibreOffice, Node, Chromium, a uv
  environment) and the tests listed in SLOW below. CI runs everything.

* The seed is resolved here, once, before xdist starts workers, so ``MEGABACKDOOR_SEED=random`` gives every
  worker the same draw; the header and every failure report say how to replay it.
* Hypothesis profiles: ``ci`` (default: derandomized, no example database, no deadline: the same examples
  on every run and machine), ``fast`` (``ci`` with a quarter of the examples; chosen for ``-m "not slow"``),
  ``explore`` (random; chosen when ``MEGABACKDOOR_SEED`` is set) and ``deep`` (``HYPOTHESIS_PROFILE=deep``:
  random, ten times the examples). Tests write ``max_examples=_seeds.scaled(n)`` so every profile reaches them.
"""

from __future__ import annotations

import functools
import re

import _no_rewrite  # noqa: F401  (first: hypothesis loads from bytecode, see the module)
import _seeds
import _tiers
import pytest
import recalc
from _tiers import need_tool
from hypothesis import HealthCheck, settings

settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
settings.register_profile("explore", derandomize=False, database=None, deadline=None, print_blob=True)
settings.register_profile("deep", derandomize=False, database=None, deadline=None, print_blob=True,
                          max_examples=1000, suppress_health_check=[HealthCheck.too_slow])
# fast: ci with a quarter of hypothesis' default 100 examples (tests that set max_examples use _seeds.scaled).
settings.register_profile("fast", settings.get_profile("ci"), max_examples=100 // _seeds.FAST_DIVISOR)
settings.load_profile(_seeds.PROFILE)


def _fast_set(config) -> bool:
    return "not slow" in " ".join((config.getoption("markexpr") or "").split())


def pytest_configure(config):
    # The fast set (-m "not slow") is the edit-test loop: a quarter of each property's examples, the same ones
    # on every run (derandomized). CI and a plain run keep the ci profile; an explicit profile or seed wins.
    if _seeds.PROFILE == "ci" and _fast_set(config):
        _seeds.PROFILE = "fast"
        settings.load_profile("fast")


def pytest_report_header(config) -> str:
    return (f"megabackdoor seed: {_seeds.SEED} ({'chosen' if _seeds.EXPLORING else 'fixed'}; replay with "
            f"{_seeds.replay_hint()}), hypothesis profile: {settings._current_profile}")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        report.sections.append(("megabackdoor seed", f"replay this run with {_seeds.replay_hint()}"))


@pytest.fixture(scope="session")
def libreoffice():
    """LibreOffice for recalculation and printing tests: ``.values(paths)`` and ``.convert(path, output,
    filter_name)`` (see tests/recalc.py). One soffice per test process, over UNO when python3-uno is
    importable; skips locally and fails on CI without soffice."""
    need_tool("soffice", "apt-get install -y --no-install-recommends libreoffice-calc-nogui python3-uno")
    return recalc.shared_session() or recalc.BatchLibreOffice()


def pytest_sessionfinish(session, exitstatus):
    recalc.close_shared_session()


# Tests that run no outside tool but take seconds each (brute-force searches, every README example).
SLOW = {
    "test_readme.py": "runs every README shell example as a subprocess",
    "test_udfs_classic.py": "runs xlwings' classic host in a subprocess",
    "test_paycheck.py::test_match_true_up_with_a_separate_bonus_election": "brute force over every election",
    "test_cli_workbook.py::test_templates_are_regenerated_by_one_command": "writes every stock workbook",
    "test_paycheck_properties.py::test_solver_equals_brute_force_on_the_slow_classes": "brute force, many cases",
    "test_paycheck_properties.py::test_solver_equals_brute_force_when_a_bonus_check_passes_the_room":
        "brute force, many cases",
    "test_paycheck_slow_plans.py::test_solver_equals_brute_force_when_the_match_is_flat_at_the_room":
        "brute force, many cases",
    "test_paycheck_slow_plans.py::test_solver_equals_brute_force_with_the_column_max_on_every_column":
        "brute force, many cases",
    "test_paycheck_slow_plans.py::test_solver_equals_brute_force_when_the_stop_cuts_an_early_bonus":
        "brute force, many cases",
    "test_paycheck_span_bound.py::test_solver_equals_brute_force_with_the_seed_from_the_first_column":
        "brute force",
    "test_catchup.py::test_catchup_formula_text_equals_the_python": "300 formula evaluations by `formulas`",
    "test_brute.py::test_the_reference_equals_the_naive_brute_force_on_the_slow_classes": "the naive brute force",
    "test_brute.py::test_the_reference_equals_the_naive_brute_force_when_a_bonus_check_passes_the_room":
        "the naive brute force",
    "test_paycheck_parity_spans.py::test_stopped_candidates_at_a_need_near_the_most_give_the_first_election_paying_it":
        "every stopped election of 40 columns simulated (13.8 s, a third of the fast set)",
}


# The longest test files, longest first: seconds on a quiet 2-core machine, scaled from the per-file wall times
# of one whole run's per-worker timeline (2026-11-30, main at 1739b3d). xdist (`--dist loadfile
# --no-loadscope-reorder`, pyproject.toml) hands each worker the next whole file when it runs short of work, in
# collection order: these go first, longest first, so that no long file starts last and keeps one worker busy
# while the other has finished (longest processing time first). Only the order matters, not the numbers; a file
# not listed goes after these, in name order, so list every file that takes more than a few seconds.
LONGEST_FIRST = {
    "test_workbook_recalc.py": 57,     # LibreOffice on every scenario, `formulas` on the stock layouts
    "test_udfs_jspath.py": 44,         # Chromium, three xlwings Servers, Pyodide (on a clean clone: its venv)
    "test_paycheck_slow_plans.py": 36,  # brute force
    "test_paycheck_workbook.py": 25,
    "test_workbook_pdf.py": 23,
    "test_acp_template.py": 23,        # `formulas` on six census cases (12 rows), LibreOffice on all
    "test_paycheck_fallback.py": 23,   # brute force
    "test_fuzz.py": 21,
    "test_paycheck_properties.py": 19,
    "test_paycheck.py": 15,
    "test_readme.py": 12,
    "test_workbook_lxml.py": 11,
    "test_udfs_pyodide.py": 10,        # Node + Pyodide
    "test_fuzz_cells.py": 8,
    "test_conversion_formulas.py": 8,  # `formulas` on each conversion formula text
    "test_workbook_render.py": 7,
    "test_paycheck_fast_paths.py": 7,
    "test_cli_workbook.py": 6,
    "test_hostile_cli.py": 6,
    "test_limits_sheet.py": 6,
    "test_recalc_harness.py": 5,
    "test_paycheck_span_bound.py": 5,
    "test_acp_properties.py": 4,
    "test_conversion.py": 4,
    "test_indexing.py": 4,
    "test_headroom.py": 3,
    "test_registry_batch.py": 3,
    "test_catchup.py": 3,
    "test_adp_properties.py": 3,
    "test_workbook_templates.py": 3,
    "test_udfs_officejs.py": 3,
    "test_citations.py": 3,
    "test_census_ids.py": 3,
}
# The same for the fast set (-m "not slow": other files, and other tests of the same files). The files that
# compile formula text are one work unit there (pytest_xdist_make_scheduler), placed where its first file is:
# test_conversion_formulas.py carries the unit's whole time.
FAST_LONGEST_FIRST = {
    "test_conversion_formulas.py": 9,  # the formula-text unit: with test_limits_sheet, test_growth, test_catchup,
    "test_paycheck_fallback.py": 6.5,  # test_hostile_input and test_indexing
    "test_cli_workbook.py": 3.2,
    "test_workbook_render.py": 2.7,
    "test_hostile_cli.py": 2.3,
    "test_workbook_templates.py": 1.8,
    "test_conversion.py": 1.5,
    "test_paycheck_slow_plans.py": 1.4,
    "test_workbook_styles_once.py": 1.3,
    "test_nondiscrimination_cli.py": 1.0,
    "test_planner.py": 0.9,
    "test_paycheck_fast_paths.py": 0.9,
    "test_headroom.py": 0.9,
    "test_paycheck_properties.py": 0.8,
    "test_paycheck_span_bound.py": 0.7,
    "test_acp_properties.py": 0.7,
    "test_citations.py": 0.6,
    "test_acp_cli.py": 0.6,
    "test_paycheck.py": 0.6,
    "test_import_cost.py": 0.6,
    "test_paycheck_after_tax.py": 0.5,
    "test_cli.py": 0.5,
}


def _file_name(item) -> str:
    return item.nodeid.split("::")[0].rsplit("/", 1)[-1]


def _slow_throughout(path) -> bool:
    """Every test in this file is slow, seen from its text: a tier module (a top-level ``from _tiers import``),
    ``pytestmark = pytest.mark.slow``, or a whole file in SLOW."""
    return path.name in SLOW or re.search(r"^(from _tiers import |pytestmark = pytest\.mark\.slow\b)",
                                          path.read_text(encoding="utf-8"), re.M) is not None


def pytest_ignore_collect(collection_path, config):
    # The fast set does not import (and assert-rewrite) a file none of whose tests it runs: ~0.7 s of CPU in
    # each test process, since nothing is cached where PYTHONDONTWRITEBYTECODE is set. A full run checks the
    # claim (pytest_collection_modifyitems).
    if (collection_path.suffix == ".py" and collection_path.name.startswith("test_") and _fast_set(config)
            and _slow_throughout(collection_path)):
        return True
    return None


@functools.cache
def _compiles_formulas(path) -> bool:
    return re.search(r"^\s*(import formulas\b|from _onecell import|from recalc import .*\bFormulasWorkbook\b)",
                     path.read_text(encoding="utf-8"), re.M) is not None


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config, log):
    # In the fast set the files that compile formula text are one work unit on one worker: `formulas` imports
    # scipy (~2.4 s of CPU without bytecode caching) in every process that compiles a formula.
    if not _fast_set(config):
        return None
    from xdist.scheduler import LoadFileScheduling

    class FormulaFilesTogether(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            scope = super()._split_scope(nodeid)
            path = config.rootpath / scope
            return "formula texts" if path.name.startswith("test_") and _compiles_formulas(path) else scope

    return FormulaFilesTogether(config, log)


def pytest_collection_modifyitems(config, items):
    tier_helpers = {_tiers.need, _tiers.need_tool, _tiers.need_node_packages}
    for item in items:
        module = getattr(item, "module", None)
        uses_tier = module is not None and any(getattr(module, name, None) in tier_helpers
                                               for name in ("need", "need_tool", "need_node_packages"))
        file_name = _file_name(item)
        test = f"{file_name}::{item.nodeid.split('::')[1].split('[')[0]}" if "::" in item.nodeid else file_name
        if uses_tier or file_name in SLOW or test in SLOW:
            item.add_marker(pytest.mark.slow)
    not_slow = {item.path for item in items if item.get_closest_marker("slow") is None}
    wrong = sorted(path.name for path in not_slow if path.name.startswith("test_") and _slow_throughout(path))
    if wrong:
        raise pytest.UsageError(f"{wrong}: a test here is not slow, so the fast set must collect the file")
    # Stable: each file's tests keep their order and stay together (module fixtures are built once).
    order = FAST_LONGEST_FIRST if _fast_set(config) else LONGEST_FIRST
    items.sort(key=lambda item: -order.get(_file_name(item), 0))
