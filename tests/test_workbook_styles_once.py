"""Named styles and the stylesheet are built once per process: a workbook written with the shared
style tables and the cached stylesheet is byte-identical to one whose styles are registered one by one and
whose stylesheet openpyxl builds itself, for different plans written one after another."""

from __future__ import annotations

import io

import pytest
from openpyxl.styles.stylesheet import write_stylesheet

from megabackdoor.scenario import default_scenario
from megabackdoor.workbook import paychecks, plan, render, styles


def _bytes(book) -> bytes:
    stream = io.BytesIO()
    render.write_book(book, stream)
    return stream.getvalue()


def _one_by_one(monkeypatch):
    monkeypatch.setattr(styles, "register", lambda workbook, extra=None: styles._register_each(
        workbook, {**styles.NAMED_STYLES, **(extra or {})}))
    monkeypatch.setattr(styles, "stylesheet", write_stylesheet)


@pytest.mark.parametrize("years", [10, 40, 1])
def test_shared_styles_write_the_same_bytes(monkeypatch, years):
    books = [plan.build(default_scenario().replace(years=years)), plan.build(default_scenario().replace(years=3))]
    shared = [_bytes(book) for book in books]
    assert styles._STYLESHEETS      # the cache is in use
    with monkeypatch.context() as patch:
        _one_by_one(patch)
        assert [_bytes(book) for book in books] == shared


def test_the_paycheck_workbook_is_unchanged(monkeypatch):
    book = paychecks.build()
    shared = _bytes(book)
    with monkeypatch.context() as patch:
        _one_by_one(patch)
        assert _bytes(book) == shared
