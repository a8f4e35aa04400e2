"""The core stays light: `import megabackdoor` runs under Pyodide and costs little (DEVELOPERS.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).resolve().parents[1] / "src" / "megabackdoor"
# Pure-engine modules; each must import with the stdlib's cheap modules only.
CORE_MODULES = ["errors", "validate", "_record", "rounding", "limits", "headroom",
                "conversion", "conversion.earnings", "conversion.rollover", "conversion.pro_rata",
                "conversion.clocks", "tax", "compare", "paycheck", "paycheck_inputs", "match", "catchup", "cadences",
                "growth", "indexing"]
HEAVY = ["xlwings", "pandas", "openpyxl", "numpy"]
SLOW_STDLIB = ["typing", "dataclasses", "pathlib", "json", "re", "decimal"]


def _present() -> list[str]:
    # A core module may be a package (conversion/, paycheck/): checked all the same, never skipped.
    paths = {m: CORE / m.replace(".", "/") for m in CORE_MODULES}
    return [m for m, path in paths.items() if path.with_suffix(".py").exists() or (path / "__init__.py").exists()]


def modules_after(code: str) -> set[str]:
    script = f"{code}\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    return set(json.loads(result.stdout.strip().splitlines()[-1]))


def test_import_megabackdoor_loads_no_heavy_package():
    loaded = modules_after("import megabackdoor")
    assert not loaded & set(HEAVY)


def test_core_modules_import_only_cheap_stdlib():
    present = _present()
    loaded = modules_after("\n".join(f"import megabackdoor.{m}" for m in present))
    # json is imported only by the last line of the probe script itself, after the check point.
    assert not loaded & set(HEAVY)
    assert not loaded & (set(SLOW_STDLIB) - {"json", "re"}), sorted(loaded & set(SLOW_STDLIB))


def test_core_modules_do_not_import_json_or_re_at_import_time():
    present = _present()
    script = "\n".join(f"import megabackdoor.{m}" for m in present)
    script += "\nimport sys\nprint(' '.join(m for m in ('json', 're', 'decimal') if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_first_call_loads_the_data_lazily():
    loaded = modules_after("import megabackdoor\nmegabackdoor.after_tax_room(2026, 35, 24500, 9000)")
    assert "megabackdoor.limits" in loaded and not loaded & set(HEAVY)


def test_every_lazy_export_resolves():
    import megabackdoor

    for name in megabackdoor.__all__:
        assert getattr(megabackdoor, name) is not None, name
