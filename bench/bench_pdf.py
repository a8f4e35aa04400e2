"""Issue 16: ``megabackdoor workbook --pdf`` for the default plan (build the workbook, recalculate and print
it with LibreOffice headless, write the PDF atomically) against LibreOffice alone converting the same
workbook to PDF (``soffice --convert-to pdf`` with a fresh private profile, as ``--pdf`` uses). Target: the
PDF step adds no more than the conversion itself (ours <= 2x the conversion), paired in one run.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import tempfile
from pathlib import Path

from _harness import Comparison

from megabackdoor.cli import main
from megabackdoor.workbook import pdf

ROOT = Path(__file__).resolve().parent.parent
WORKBOOK = ROOT / "workbook_templates" / "default-plan.xlsx"


def ours() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as temp, contextlib.redirect_stdout(io.StringIO()), \
            contextlib.redirect_stderr(io.StringIO()):
        target = os.path.join(temp, "plan.pdf")
        if main(["workbook", "--pdf", target]) != 0 or not os.path.getsize(target):
            raise RuntimeError("workbook --pdf failed")


def libreoffice_alone() -> None:
    soffice = pdf.require_soffice()
    with tempfile.TemporaryDirectory(prefix="bench-soffice-") as temp:
        profile = Path(temp) / "profile"
        subprocess.run([soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                        "--convert-to", "pdf", "--outdir", temp, str(WORKBOOK)], check=True,
                       capture_output=True, env=dict(os.environ, HOME=temp))
        if not (Path(temp) / "default-plan.pdf").is_file():
            raise RuntimeError("soffice wrote no PDF")


def comparisons() -> list[Comparison]:
    if pdf.soffice_path() is None:
        return []  # no LibreOffice here: nothing to compare
    return [Comparison("workbook --pdf, default plan (build + recalculate + print)", ours, libreoffice_alone,
                       "soffice --convert-to pdf of the same workbook alone", max_ratio=2.0, rounds=5)]
