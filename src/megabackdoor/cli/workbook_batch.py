"""The batch writer behind ``megabackdoor workbook --out-dir``: one planning workbook per scenario, in worker
processes, all or nothing (every scenario checked and every workbook written to a temp file before any is put
in place)."""

from __future__ import annotations

import os

from ..errors import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from ..scenario import Scenario


def _write_temps(items: list[tuple[Scenario, str]]) -> list[str]:
    """write_many's worker: each workbook into a temp file beside its target (the scenarios went through the
    engine before the batch started). On an error this chunk's temp files are removed."""
    from ..workbook import plan
    from ..workbook.render import remove_temp, write_book, write_temp

    temps: list[str] = []
    try:
        for scenario, path in items:
            book = plan.layout(scenario)
            temps.append(write_temp(path, lambda stream, book=book: write_book(book, stream), clean=False))
    except BaseException:
        for temp in temps:
            remove_temp(temp)
        raise
    return temps


def write_many(scenarios: list[Scenario], paths: list[str], force: bool = False, workers: int = 1,
               progress: bool = False, sources: list[str] | None = None) -> list[str]:
    """Build and save one planning workbook per scenario, ``workers`` processes at a time.

    Nothing is written (no folder made) unless every scenario runs through the engine and, without ``force``,
    no target exists: a bad scenario (InputError naming its source, by default its output path) or an existing
    file (FileExistsError) stops the batch before the first file. Each file is written atomically.
    ``progress`` shows a progress bar on stderr.
    """
    from tqdm import tqdm

    from ..schedule import schedule_rows
    from ..workbook.render import clean_stale_temps, publish, refuse_existing, remove_temp

    if len(scenarios) != len(paths):
        raise ValueError("one path per scenario")
    if len(set(map(os.path.abspath, paths))) != len(paths):
        raise InputError("output", paths, "a different file for each scenario")
    for scenario, source in zip(scenarios, sources or paths, strict=True):
        try:
            schedule_rows(scenario)
        except InputError as error:
            raise InputError(f"{source}: {error.argument}", error.value, error.accepted, kind=error.kind,
                             hint=error.hint) from None
    refuse_existing(paths, force, need_folder=False)  # the folders are made below
    made = []
    for folder in sorted({os.path.dirname(os.path.abspath(path)) for path in paths}):
        if not os.path.isdir(folder):
            os.makedirs(folder)
            made.append(folder)
        else:
            clean_stale_temps(folder)  # once per folder here, not once per workbook in the workers
    bar = tqdm(total=len(paths), desc="workbooks", unit="wb", disable=not progress)
    items = list(zip(scenarios, paths, strict=True))
    temps: list[str] = []
    published: list[str] = []
    # All or nothing: every workbook is rendered into a temp file first; only when all are done are they moved
    # into place. Any error removes the temp files, the files this batch already placed and the folders it made.
    try:
        with bar:
            if workers <= 1 or len(paths) == 1:
                for item in items:
                    temps += _write_temps([item])
                    bar.update()
            else:
                temps = _write_parallel(items, workers, bar)
        for temp, path in zip(temps, paths, strict=True):
            publish(temp, path, force)
            published.append(path)
    except BaseException:
        for temp in temps[len(published):]:
            remove_temp(temp)
        if not force:  # with --force a replaced file cannot be brought back; without it these are all ours
            for path in published:
                remove_temp(path)
        for folder in reversed(made):
            try:
                os.rmdir(folder)
            except OSError:
                pass
        raise
    return published


def _write_parallel(items: list, workers: int, bar: object) -> list[str]:
    """_write_temps over chunks in worker processes; the temp names in order, or the first error after every
    started chunk finished (and its temp files were removed)."""
    from concurrent.futures import ProcessPoolExecutor

    from ..workbook.render import remove_temp

    _warm(items[0][0])
    # Chunks keep the per-task overhead small against a ~40 ms build.
    size = max(1, min(16, len(items) // (4 * workers)))
    chunks = [items[start:start + size] for start in range(0, len(items), size)]
    temps: list[str] = []
    failure: BaseException | None = None
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_write_temps, chunk) for chunk in chunks]
        for future, chunk in zip(futures, chunks, strict=True):
            if failure is not None:
                future.cancel()
            try:
                temps += future.result()
                bar.update(len(chunk))  # type: ignore[attr-defined]
            except BaseException as error:  # noqa: BLE001 - kept, re-raised after the others are collected
                if failure is None:
                    failure = error
                    for later in futures:
                        later.cancel()
    if failure is not None:
        for temp in temps:
            remove_temp(temp)
        raise failure
    return temps


def _warm(scenario: Scenario) -> None:
    """Build and write one workbook in memory before the workers start: forked workers (the default on Linux)
    then inherit openpyxl imported and the per-process tables (stylesheet, charts, the Schedule's formulas,
    validations, column widths) built, instead of each building them again. Nothing is written to disk."""
    import io

    from ..workbook import plan
    from ..workbook.render import write_book

    write_book(plan.layout(scenario), io.BytesIO())
