"""Print generated workbooks to PDF with LibreOffice headless: the client's copy in one command.

``to_pdf([(workbook, pdf), ...])`` converts every workbook in **one** soffice run (start-up, ~1 s, is most of
the cost), recalculated on load, and writes each PDF atomically (the renderer's no-clobber writer):

* a private LibreOffice profile per run, in a temporary folder (processes sharing a profile lose
  conversions), with recalculation on load forced (LibreOffice 7.4 trusts cached results and ignores
  ``fullCalcOnLoad``); ``$HOME`` points into that folder too, because soffice writes ``~/.config`` anyway;
* soffice in its own process group, killed on timeout; its exit status is not trusted (it exits 0 when it
  could not load a file): every PDF must exist and start with ``%PDF``;
* nothing is left behind on failure: the temporary folder goes, no PDF is half-written, an existing PDF is
  kept unless ``force`` (checked for every target before soffice starts).

The page layout itself (print areas, titles, fit to width, header/footer) is in the workbook:
:mod:`megabackdoor.workbook.printing`.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import zipfile

INSTALL_HINT = ("install LibreOffice (Debian/Ubuntu: sudo apt-get install libreoffice-calc-nogui; macOS: "
                "brew install --cask libreoffice; Windows: libreoffice.org) or set $SOFFICE to its soffice program")

# /org.openoffice.Office.Calc/Formula/Load: 0 = always recalculate on load (1, the default, = never).
PROFILE_REGISTRY = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="ODFRecalcMode" oor:op="fuse">\
<value>0</value></prop></item>
</oor:items>
"""


class PdfError(RuntimeError):
    """LibreOffice is missing, failed or timed out: the message is one line that says what to do."""


def report(command: str, error: PdfError) -> int:
    """Print a PdfError as the CLI prints errors (one line on stderr); the exit status 1."""
    import sys

    print(f"megabackdoor {command}: error: {error}", file=sys.stderr)
    return 1


def soffice_path() -> str | None:
    """$SOFFICE, else soffice or libreoffice on PATH, else None."""
    found = os.environ.get("SOFFICE")
    if found:
        return found if os.path.isfile(found) and os.access(found, os.X_OK) else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def require_soffice() -> str:
    """The soffice program, or PdfError saying how to install it."""
    found = soffice_path()
    if found is None:
        where = f"$SOFFICE={os.environ['SOFFICE']} is not a program" if os.environ.get("SOFFICE") else \
            "LibreOffice (soffice) was not found"
        raise PdfError(f"--pdf needs LibreOffice: {where}; {INSTALL_HINT}")
    return found


def check_target(path: str) -> None:
    """Refuse a --pdf path that does not end in .pdf (InputError naming --pdf)."""
    from ..errors import InputError

    if not str(path).lower().endswith(".pdf"):
        raise InputError("--pdf", path, "a file name ending in .pdf")


def to_pdf(pairs: list[tuple[str | os.PathLike, str | os.PathLike]], force: bool = False,
           timeout: float = 300.0) -> list[str]:
    """Convert each ``(workbook, pdf)`` pair in one LibreOffice run; returns the PDFs written.

    Raises FileExistsError (naming the file and --force) before starting when a PDF exists and not ``force``,
    PdfError when soffice is missing, fails, times out or writes no PDF for a workbook.
    """
    from ..files import atomic_write, refuse_existing

    pdfs = [os.fspath(pdf) for _, pdf in pairs]
    if len(set(map(os.path.abspath, pdfs))) != len(pdfs):
        raise ValueError("one PDF path per workbook")
    refuse_existing(pdfs, force)
    soffice = require_soffice()
    with tempfile.TemporaryDirectory(prefix="megabackdoor-pdf-") as temp:
        profile = os.path.join(temp, "profile")
        os.makedirs(os.path.join(profile, "user"))
        with open(os.path.join(profile, "user", "registrymodifications.xcu"), "w", encoding="utf-8") as handle:
            handle.write(PROFILE_REGISTRY)
        home, staged_dir, outdir = (os.path.join(temp, name) for name in ("home", "in", "out"))
        for folder in (home, staged_dir, outdir):
            os.mkdir(folder)
        staged = []
        for index, (workbook, _) in enumerate(pairs):
            # Copies named 0000.xlsx...: outputs cannot clash, odd file names cannot confuse soffice.
            copy = os.path.join(staged_dir, f"{index:04d}.xlsx")
            if not zipfile.is_zipfile(workbook) or not _stage_with_static_print_areas(os.fspath(workbook), copy):
                shutil.copyfile(workbook, copy)
            staged.append(copy)
        _run(soffice, profile, home, outdir, staged, timeout)
        written = []
        for index, pdf in enumerate(pdfs):
            out = os.path.join(outdir, f"{index:04d}.pdf")
            data = b""
            if os.path.isfile(out):
                with open(out, "rb") as handle:
                    data = handle.read()
            if not data.startswith(b"%PDF"):
                raise PdfError(f"LibreOffice wrote no PDF for {os.fspath(pairs[index][0])}")
            written.append(atomic_write(pdf, lambda stream, data=data: stream.write(data), force))
        return written


_DYNAMIC_AREA = re.compile(
    r'(<definedName name="_xlnm.Print_Area" localSheetId="(\d+)"\s*>)OFFSET\(([^<]*?)!\$([A-Z]+)\$1,0,0,'
    r'MAX\((\d+),COUNTA\([^<]*?!\$([A-Z]+):\$[A-Z]+\)\),(\d+)\)(</definedName>)')


def _stage_with_static_print_areas(source: str, target: str) -> bool:
    """Copy ``source`` to ``target`` with each growing print area (printing.PageSetup.grow_with: OFFSET over
    COUNTA, which Excel evaluates and LibreOffice ignores) replaced by the range it evaluates to now.
    Returns False (nothing written) when the workbook has none."""
    from ..workbook.layout import column_letter

    with zipfile.ZipFile(source) as archive:
        book = archive.read("xl/workbook.xml").decode("utf-8")
        found = list(_DYNAMIC_AREA.finditer(book))
        if not found:
            return False
        sheet_ids = re.findall(r'<sheet [^>]*r:id="([^"]+)"', book)
        rels = archive.read("xl/_rels/workbook.xml.rels").decode("utf-8")
        targets = dict(re.findall(r'<Relationship[^>]*Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
        targets.update({rid: target for target, rid in
                        re.findall(r'<Relationship[^>]*Target="([^"]+)"[^>]*Id="([^"]+)"', rels)})
        replacements = []
        for match in found:
            part = targets[sheet_ids[int(match.group(2))]].lstrip("/")
            part = part if part.startswith("xl/") else "xl/" + part
            xml = archive.read(part).decode("utf-8")
            # Rows whose cell in the counted column holds a value (an empty styled cell is self-closing).
            rows = [int(row) for row in re.findall(rf'<c r="{match.group(6)}(\d+)"[^>]*[^/]>\s*<(?:v|is|f)\b', xml)]
            last = max([int(match.group(5))] + rows)
            first = match.group(4)
            end = column_letter(sum((ord(c) - 64) * 26 ** i for i, c in enumerate(reversed(first)))
                                + int(match.group(7)) - 1)
            replacements.append((match.group(0), f"{match.group(1)}{match.group(3)}!${first}$1:${end}${last}"
                                                 f"{match.group(8)}"))
        for old, new in replacements:
            book = book.replace(old, new)
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as copy:
            for item in archive.infolist():
                data = book.encode("utf-8") if item.filename == "xl/workbook.xml" else archive.read(item.filename)
                copy.writestr(item, data)
    return True


def _run(soffice: str, profile: str, home: str, outdir: str, inputs: list[str], timeout: float) -> None:
    from pathlib import Path

    command = [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--invisible",
               "--nologo", "--nodefault", "--norestore", "--nolockcheck",
               "--convert-to", "pdf:calc_pdf_Export", "--outdir", outdir, *inputs]
    env = dict(os.environ, HOME=home)
    try:
        # Own process group: /usr/bin/soffice is a script that starts oosplash, which starts soffice.bin.
        process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                                   start_new_session=True, text=True)
    except OSError as error:
        raise PdfError(f"could not start LibreOffice ({soffice}): {error.strerror}; {INSTALL_HINT}") from None
    try:
        _, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise PdfError(f"LibreOffice took longer than {timeout:g} s and was stopped") from None
    except BaseException:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise
    if process.returncode != 0:
        lines = [line for line in stderr.splitlines() if line.strip() and "javaldx" not in line]
        raise PdfError(f"LibreOffice failed (exit {process.returncode})" + (f": {lines[-1]}" if lines else ""))


def write_with_pdf(write_workbook, workbook_path: str | None, pdf_path: str, force: bool = False) -> str:
    """Write a workbook with ``write_workbook(path, force)`` and its PDF; returns the PDF's path.

    All or nothing: every target is checked before anything is written; the workbook is written and printed
    in a temporary folder, and only when the PDF exists are the two moved into place (``workbook_path`` None:
    only the PDF is kept). A failure leaves the targets as they were.
    """
    from ..files import atomic_write, refuse_existing

    check_target(pdf_path)
    targets = [pdf_path] + ([workbook_path] if workbook_path else [])
    refuse_existing(targets, force)
    require_soffice()
    with tempfile.TemporaryDirectory(prefix="megabackdoor-xlsx-") as temp:
        name = os.path.splitext(os.path.basename(pdf_path))[0] or "workbook"
        staged = os.path.join(temp, name + ".xlsx")
        printed = os.path.join(temp, name + ".pdf")
        write_workbook(staged, False)
        to_pdf([(staged, printed)])
        refuse_existing(targets, force)  # one may have appeared meanwhile
        if workbook_path:
            with open(staged, "rb") as source:
                atomic_write(workbook_path, lambda stream: shutil.copyfileobj(source, stream, 1 << 20), force)
        with open(printed, "rb") as source:
            return atomic_write(pdf_path, lambda stream: shutil.copyfileobj(source, stream, 1 << 20), force)
