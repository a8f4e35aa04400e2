"""Read an employee census for the ACP test from CSV or XLSX, with checks that name the row.

pandas layer (import it only from the ACP engine, the CLI or tests; never from ``megabackdoor/__init__``).

Columns (one row per employee; the header row is row 1, so the first employee is row 2):

==================== ============================================================== ==========
field                what it holds                                                  required
==================== ============================================================== ==========
id                   employee id (text, compared as written; leading zeros kept)    yes
compensation         plan-year compensation under IRC §414(s), dollars               yes
prior_compensation   lookback-year (prior-year) compensation for HCE status, §414(q) yes
owner_5pct           5% owner in the plan year or the year before (yes/no, 1/0)     yes
eligible             eligible to make after-tax contributions or get a match         yes
match                matching contributions for the plan year, dollars              yes
after_tax            employee after-tax contributions for the plan year, dollars    yes
deferrals            elective deferrals (pre-tax + Roth, catch-ups included), dollars no
age                  age attained by 31 December of the plan year (catch-up, §414(v)) no
qnec                 qualified nonelective contributions, dollars                   no
excess_deferrals     §402(g) excess deferrals already distributed (other employers)  no
qmac                 QMACs counted in the ADP (part of the match), dollars           no
other_plan_deferrals an HCE's deferrals to the employer's other plans (in the ADR)  no
==================== ============================================================== ==========

Headers are matched after normalising (case, spaces, punctuation and anything in brackets are ignored),
through a small alias list (``"Employee ID"``, ``"5% Owner"``, ``"After-Tax Contributions"``, ...) or an
explicit ``mapping={"compensation": "W-2 Pay"}``. Bad input raises
:class:`~megabackdoor.errors.InputError` naming the row, the column, the value and what is accepted: a
missing column, a blank or non-numeric value, a yes/no (boolean) cell in a money column, a negative amount or
one above $100,000,000 (beyond any real payroll: a typo or a unit error, never a float overflow), a bad
yes/no flag, a duplicate id (ids are compared without surrounding spaces, never shortened), an id with
control characters, or contributions for someone with no compensation. Every bad cell is found in one pass:
the error names the first in row order and lists the next ones with the total count
(``InputError.problems`` holds them all as (row, field, value) triples). Rows that are entirely empty hold no
data; they are skipped and counted (``Census.blank_rows``). Nothing else is dropped. CSV files are read as
UTF-8 (a byte-order mark is fine); another encoding is refused with one line naming the byte, unless
``encoding`` says what it is (``"cp1252"`` for Excel on Windows, ``"latin-1"``).

XLSX files are read with openpyxl in read-only mode. openpyxl parses through ``defusedxml`` when it is
installed (it is a dependency), so files declaring XML entities (billion laughs, external entities) are
refused rather than expanded.

>>> import io
>>> text = "Employee ID,Compensation,Prior Year Compensation,5% Owner,Eligible,Match,After-Tax\\n"
>>> text += "007,100000,95000,N,Y,3000,0\\n"
>>> census = read_census(io.StringIO(text))
>>> row = census.frame.iloc[0]
>>> row["id"], float(row["compensation"]), bool(row["owner_5pct"]), int(row["row"])
('007', 100000.0, False, 2)
"""

from __future__ import annotations

import functools
import os
import re

import numpy as np
import pandas as pd
from pandas.api.types import is_bool_dtype, is_numeric_dtype

from ._record import Record
from .errors import InputError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from typing import Any

MONEY_FIELDS = ("compensation", "prior_compensation", "match", "after_tax", "deferrals", "qnec", "excess_deferrals",
                "qmac", "other_plan_deferrals")
FLAG_FIELDS = ("owner_5pct", "eligible")
REQUIRED_FIELDS = ("id", "compensation", "prior_compensation", "owner_5pct", "eligible", "match", "after_tax")
OPTIONAL_FIELDS = ("deferrals", "age", "qnec", "excess_deferrals", "qmac", "other_plan_deferrals")
FIELDS = REQUIRED_FIELDS + OPTIONAL_FIELDS

# Normalised header -> field. Normalising: lower case, "%" -> "pct", text in brackets dropped, every run of
# other characters -> "_". Kept small on purpose: anything else goes through ``mapping``.
ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "employee_id", "emp_id", "participant_id", "employee_number", "employee_no", "ee_id"),
    "compensation": ("compensation", "comp", "414s_compensation", "plan_year_compensation",
                     "testing_compensation", "current_year_compensation", "current_compensation"),
    "prior_compensation": ("prior_compensation", "prior_year_compensation", "prior_comp", "prior_year_comp",
                           "lookback_compensation", "lookback_year_compensation"),
    "owner_5pct": ("owner_5pct", "5pct_owner", "five_percent_owner", "5_pct_owner", "5pct_owner_flag",
                   "owner"),
    "eligible": ("eligible", "eligibility", "is_eligible", "acp_eligible", "eligible_flag"),
    "match": ("match", "matching", "matching_contributions", "employer_match", "match_contributions",
              "matching_contribution"),
    "after_tax": ("after_tax", "after_tax_contributions", "aftertax", "after_tax_contribution",
                  "employee_after_tax", "employee_after_tax_contributions"),
    "deferrals": ("deferrals", "elective_deferrals", "deferral", "elective_deferral",
                  "elective_contributions", "pre_tax_and_roth"),
    "age": ("age", "age_at_year_end", "age_attained", "age_by_31_december"),
    "qnec": ("qnec", "qnecs", "qualified_nonelective_contributions", "qualified_nonelective_contribution"),
    "excess_deferrals": ("excess_deferrals", "excess_deferrals_distributed", "402g_excess", "402g_excess_deferrals"),
    "qmac": ("qmac", "qmacs", "qualified_matching_contributions", "qualified_matching_contribution"),
    "other_plan_deferrals": ("other_plan_deferrals", "deferrals_other_plans", "other_plans_deferrals"),
}
_ALIAS_TO_FIELD = {alias: field for field, aliases in ALIASES.items() for alias in aliases}

TRUE_WORDS = frozenset({"yes", "y", "true", "t", "1", "1.0", "x"})
FALSE_WORDS = frozenset({"no", "n", "false", "f", "0", "0.0"})
FLAG_ACCEPTED = "yes/no, y/n, true/false or 1/0"
MAX_AMOUNT = 100_000_000.0  # no real payroll pays or contributes more per person: above it is a typo
MONEY_ACCEPTED = "a dollar amount from 0 to 100,000,000 (plain number: no $ sign, commas or text)"
AGE_ACCEPTED = "an age attained by 31 December, a whole number from 0 to 120"
SHOW_ROWS = 10  # problems listed in the message; it gives the count of the rest
# Characters an .xlsx cell cannot hold (openpyxl's ILLEGAL_CHARACTERS_RE): an id with one could only be
# written shortened, so it is refused.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_EDGE_SPACE = re.compile(r"\s\x00|\x00\s")  # an id next to the separator with a space: needs stripping
EXACT_ID_NUMBER = 2 ** 53  # a numeric id at or above this has lost digits as a spreadsheet number
# Files bigger than this are read in chunks so the progress bar can move.
PROGRESS_BYTES = 20_000_000
CHUNK_ROWS = 250_000


# numpy advises the kernel to back every array of 4 MB or more with transparent huge pages. Where the kernel
# compacts memory to find them when a page is first touched (THP defrag "madvise", the usual default), a fresh
# census-sized column can stall for milliseconds per 2 MB: measured, the ACP run on 5M rows cost 385 ns a row
# with the advice and 138 without, pandas' read of the file ~10% more per row than at 1M with it and the same
# without (1M rows: the same either way, their columns reuse freed heap memory). Reading and checking the census
# and the tests therefore run with the advice off, restored after (bench/bench_acp.py's read_csv baseline too).
_MULTIARRAY = getattr(getattr(np, "_core", None) or getattr(np, "core", None), "multiarray", None)
_SET_HUGE_PAGES = getattr(_MULTIARRAY, "_set_madvise_hugepage", None)


def without_huge_pages(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` run with numpy's huge-page advice off (and the previous setting restored)."""
    if _SET_HUGE_PAGES is None:  # pragma: no cover - a numpy without the switch
        return function

    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        previous = _SET_HUGE_PAGES(False)
        try:
            return function(*args, **kwargs)
        finally:
            _SET_HUGE_PAGES(previous)

    return run


class Census(Record):
    """A checked census.

    frame: one row per employee with columns ``row`` (row number in the file, header = 1), ``id`` (text),
    the money fields as float64 (``deferrals`` is 0.0 when the file has no such column) and the flags as
    bool; source: the file name; columns: field -> header used; blank_rows: row numbers of entirely empty
    rows that were skipped; has_deferrals: whether the file had a deferrals column.
    """

    __slots__ = ("frame", "source", "columns", "blank_rows", "has_deferrals")

    @property
    def has_ages(self) -> bool:
        """Whether the file had an age column (needed for catch-up recharacterization)."""
        return "age" in self.columns


def normalise_header(text: Any) -> str:
    """The key used to match a header: ``"Compensation (§414(s))"`` -> ``"compensation"``.

    >>> normalise_header("5% Owner?"), normalise_header(" After-Tax Contributions "), normalise_header(None)
    ('5pct_owner', 'after_tax_contributions', '')
    """
    if text is None:
        return ""
    key = str(text).strip().lower().replace("%", "pct")
    while True:  # drop bracketed text, innermost first: "(§414(s))"
        stripped = re.sub(r"\([^()]*\)|\[[^\[\]]*\]", "", key)
        if stripped == key:
            break
        key = stripped
    return re.sub(r"[^0-9a-z]+", "_", key).strip("_")


def resolve_columns(headers: list[Any], mapping: Mapping[str, str] | None = None) -> dict[str, str]:
    """Field -> header in the file, from ``mapping`` first, then the aliases.

    >>> resolve_columns(["EE ID", "Pay", "Prior Comp", "Owner", "Eligible", "Match", "After Tax"],
    ...                 {"compensation": "Pay"})["compensation"]
    'Pay'
    """
    shown = [str(h) for h in headers if h is not None and str(h).strip()]
    found: dict[str, str] = {}
    for field, header in (mapping or {}).items():
        if field not in FIELDS:
            raise InputError("mapping", field, "one of the census fields " + ", ".join(FIELDS), kind="value")
        matches = [str(h) for h in headers if h is not None and (str(h) == header or str(h).strip() == header)]
        if not matches:
            raise InputError(f"mapping[{field!r}]", header, "a header in the file: " + ", ".join(
                repr(h) for h in shown), kind="value")
        found[field] = matches[0]
    used = set(found.values())
    for header in headers:
        if header is None or str(header) in used:
            continue
        field = _ALIAS_TO_FIELD.get(normalise_header(header))
        if field is None or field in (mapping or {}):
            continue
        if field in found:
            raise InputError("census header", str(header),
                             f"one column for {field} (both {found[field]!r} and {str(header)!r} match)",
                             kind="value", hint=f"name the one to use with a mapping, e.g. {field}={found[field]!r}")
        found[field] = str(header)
    missing = [field for field in REQUIRED_FIELDS if field not in found]
    if missing:
        raise InputError("census header", ", ".join(shown) or "(no header row)",
                         "columns for " + ", ".join(missing), kind="value",
                         hint="accepted names: " + "; ".join(f"{f}: {', '.join(ALIASES[f][:3])}" for f in missing)
                              + " (or map your header: --column FIELD=HEADER)")
    return found


class _Problem:
    """Every row with one problem in one column (rows ascending); the message is built only for the few shown."""

    __slots__ = ("field", "header", "rows", "values", "accepted", "kind", "hint", "order")

    def __init__(self, field: str, header: str, rows: Any, values: Any, accepted: str, kind: str = "value",
                 hint: Any = None) -> None:
        self.field, self.header, self.accepted, self.kind = field, header, accepted, kind
        self.rows, self.values = np.asarray(rows), values
        self.hint = hint  # text, or a function of the position in rows (per-row hints)
        self.order = FIELDS.index(field) if field in FIELDS else len(FIELDS)

    def error(self, index: int) -> InputError:
        hint = self.hint(index) if callable(self.hint) else self.hint
        return InputError(f"row {int(self.rows[index])}, column {self.header!r} ({self.field})",
                          _plain(self.values[index]), self.accepted, kind=self.kind, hint=hint)


def _plain(value: Any) -> Any:
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return value


def _raise_problems(problems: list[_Problem]) -> None:
    """One InputError for every bad cell: the first in row order is named, the next ones listed, all counted.

    ``error.problems`` holds every (row, field, value) in row order.
    """
    if not problems:
        return
    total = sum(len(p.rows) for p in problems)
    # The first SHOW_ROWS + 1 cells in row order are among the first SHOW_ROWS + 1 of each problem.
    head = sorted((int(p.rows[i]), p.order, n, i) for n, p in enumerate(problems)
                  for i in range(min(len(p.rows), SHOW_ROWS + 1)))
    first = problems[head[0][2]].error(head[0][3])
    hint = first.hint
    if total > 1:
        shown = [problems[n].error(i) for _, _, n, i in head[1:SHOW_ROWS + 1]]
        listed = "; ".join(str(e).split("; expected")[0] for e in shown)
        more = total - 1 - len(shown)
        note = f"{total} bad cells in all; also {listed}" + (f"; and {more} more" if more else "")
        hint = "; ".join(t for t in (hint, note) if t)
    error = InputError(first.argument, first.value, first.accepted, kind=first.kind, hint=hint)

    def every() -> list[tuple[int, str, Any]]:
        cells = [(int(r), p.order, p.field, _plain(v)) for p in problems for r, v in zip(p.rows, p.values,
                                                                                         strict=True)]
        return [(r, f, v) for r, _, f, v in sorted(cells, key=lambda c: (c[0], c[1]))]

    error.problems = every()
    raise error


def _money(frame: pd.DataFrame, field: str, header: str, problems: list[_Problem]) -> np.ndarray:
    """The column as float64 dollars; bad cells are recorded in ``problems`` (and read as 0)."""
    column = frame[field]
    rows = frame["row"].to_numpy()
    if is_bool_dtype(column.dtype):
        problems.append(_Problem(field, header, rows, column.to_numpy(), MONEY_ACCEPTED,
                                 hint="a yes/no (boolean) cell is not an amount"))
        return np.zeros(len(frame))
    if not is_numeric_dtype(column.dtype):
        cells = column.to_numpy(dtype=object)
        # A spreadsheet TRUE/FALSE is a bool: never read it as 1/0 dollars.
        booleans = np.fromiter((type(v) is bool or type(v) is np.bool_ for v in cells), bool, len(cells))
        numbers = pd.to_numeric(pd.Series(np.where(booleans, None, cells)), errors="coerce")
        text = (numbers.isna() & column.notna()).to_numpy() & ~booleans
        if booleans.any():
            problems.append(_Problem(field, header, rows[booleans], cells[booleans], MONEY_ACCEPTED,
                                     hint="a yes/no (boolean) cell is not an amount"))
        if text.any():
            problems.append(_Problem(field, header, rows[text], cells[text], MONEY_ACCEPTED,
                                     hint="remove currency signs, thousands separators and text"))
        values = numbers.to_numpy(dtype="float64", copy=True)
        bad = booleans | text
        if bad.any():
            values[bad] = 0.0
    else:
        values = column.to_numpy(dtype="float64")
    if ((values >= 0) & (values <= MAX_AMOUNT)).all():  # one check for the common case
        return values
    blank = np.isnan(values)
    if blank.any():
        problems.append(_Problem(field, header, rows[blank], [""] * int(blank.sum()), MONEY_ACCEPTED,
                                 hint="the cell is blank: enter 0 if there was none"))
    out_of_range = ~blank & ((values < 0) | (values > MAX_AMOUNT))
    if out_of_range.any():
        problems.append(_Problem(field, header, rows[out_of_range], values[out_of_range], MONEY_ACCEPTED,
                                 kind="num"))
    values = values.copy()
    values[blank | out_of_range] = 0.0
    return values


def _age(frame: pd.DataFrame, header: str, problems: list[_Problem]) -> np.ndarray:
    """Ages as float64 whole numbers 0-120; bad cells are recorded (and read as 0)."""
    column = frame["age"]
    rows = frame["row"].to_numpy()
    if is_numeric_dtype(column.dtype) and not is_bool_dtype(column.dtype):  # CSV ages: one vectorized check
        values = column.to_numpy(dtype="float64", copy=True)
        with np.errstate(invalid="ignore"):
            bad = np.isnan(values) | (values < 0) | (values > 120) | (values != np.floor(values))
        if bad.any():
            problems.append(_Problem("age", header, rows[bad], [_plain(v) for v in values[bad]], AGE_ACCEPTED,
                                     hint="the age attained by 31 December of the plan year"))
            values[bad] = 0.0
        return values
    cells = column.to_numpy(dtype=object)
    booleans = np.fromiter((type(v) is bool or type(v) is np.bool_ for v in cells), bool, len(cells))
    values = pd.to_numeric(pd.Series(np.where(booleans, None, cells)), errors="coerce").to_numpy(dtype="float64",
                                                                                             copy=True)
    with np.errstate(invalid="ignore"):
        bad = booleans | np.isnan(values) | (values < 0) | (values > 120) | (values != np.floor(values))
    if bad.any():
        problems.append(_Problem("age", header, rows[bad], cells[bad], AGE_ACCEPTED,
                                 hint="the age attained by 31 December of the plan year"))
        values[bad] = 0.0
    return values


def _flag(frame: pd.DataFrame, field: str, header: str, problems: list[_Problem]) -> np.ndarray:
    column = frame[field]
    rows = frame["row"].to_numpy()
    if is_bool_dtype(column.dtype) and not column.isna().any():
        return column.to_numpy(dtype=bool)
    if is_numeric_dtype(column.dtype) and not is_bool_dtype(column.dtype):
        values = column.to_numpy(dtype="float64")
        bad = ~np.isin(values, (0.0, 1.0))
        if bad.any():
            shown = ["" if np.isnan(v) else v for v in values[bad]]
            problems.append(_Problem(field, header, rows[bad], shown, FLAG_ACCEPTED))
        return values == 1.0
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes, uniques = column.cat.codes.to_numpy(), list(column.cat.categories)
    else:
        codes, uniques = pd.factorize(column.to_numpy(dtype=object), use_na_sentinel=True)
    meaning = np.empty(len(uniques) + 1, dtype="int8")  # last slot: blank (code -1)
    meaning[-1] = -1
    for index, value in enumerate(uniques):
        word = str(value).strip().lower() if not isinstance(value, bool) else str(value).lower()
        meaning[index] = 1 if word in TRUE_WORDS else 0 if word in FALSE_WORDS else -1
    flags = meaning[codes]
    bad = flags < 0
    if bad.any():
        shown = ["" if v is None or (isinstance(v, float) and np.isnan(v)) else v for v in column[bad]]
        problems.append(_Problem(field, header, rows[bad], shown, FLAG_ACCEPTED,
                                 hint=lambda i: "blank cells are not read as no" if shown[i] == "" else None))
    return flags == 1


_SPACE_CODES = np.zeros(256, dtype=bool)
_SPACE_CODES[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True  # what str.strip() removes, in ASCII
_CONTROL_CODES = np.zeros(256, dtype=bool)
_CONTROL_CODES[[*range(0, 9), 11, 12, *range(14, 32)]] = True  # CONTROL_CHARACTERS, in ASCII


# The ids are checked ID_BLOCK at a time: a block's joined text, bytes and masks (~0.6 MB) stay in the core's
# cache and reuse the same heap memory, where whole-census temporaries (~45 MB each at 5M rows: above glibc's
# 32 MB mmap ceiling, so mapped fresh and faulted in page by page on every run) made the check cost 1.4x per
# row at 5M what it costs at 1M.
ID_BLOCK = 1 << 16


def _clean_ascii_ids(cells: np.ndarray) -> tuple[bool, np.ndarray | None]:
    """(whether every id is non-empty ASCII text with no surrounding space and no control character, a key per
    id or None).

    One vectorized pass over the ids' bytes (joined with NUL), block by block: a per-id strip or regex costs
    about a second per million rows; this costs a few hundredths. When every id has the same length (the usual
    census of zero-padded employee numbers) each id's bytes are also read as 64-bit words, giving every id an
    integer key without touching the million strings again (see :func:`_width_keys`); otherwise the key is None.
    """
    count = len(cells)
    if not count:
        return False, None
    keys: np.ndarray | None = None
    width = -1
    for start in range(0, count, ID_BLOCK):
        clean, block_width, block_keys = _clean_ascii_block(cells[start:start + ID_BLOCK])
        if not clean:
            return False, None
        if start == 0:
            width = block_width
            keys = None if block_keys is None else np.empty(count, dtype=np.uint64)
        if keys is not None:
            if block_keys is None or block_width != width:
                keys = None  # ids of another width further on: no keys (the check goes on)
            else:
                keys[start:start + len(block_keys)] = block_keys
    return True, keys


def _clean_ascii_block(cells: np.ndarray) -> tuple[bool, int, np.ndarray | None]:
    """:func:`_clean_ascii_ids` for one block: (clean, the width of its ids when they all have one, their keys)."""
    try:
        joined = "\x00".join(cells)  # TypeError if some cell is not text (a blank read as NaN, a number)
    except TypeError:
        return False, -1, None
    if not joined.isascii():
        return False, -1, None
    codes = np.frombuffer(joined.encode("ascii"), dtype=np.uint8)
    del joined
    count = len(cells)
    # Usual case, one pass: no byte at or below space but the NUL separators (no space or control character
    # anywhere in an id), so nothing can need stripping. Ids with inner spaces take the careful pass below.
    if np.count_nonzero(codes <= 32) == count - 1:
        width = len(cells[0])
        if width and len(codes) == count * (width + 1) - 1 and not codes[width::width + 1].any():
            return True, width, _width_keys(codes, count, width)  # every separator where equal widths put it
        if not len(codes) or not codes[0] or not codes[-1]:
            return False, -1, None  # an empty first or last id
        separators = np.flatnonzero(codes == 0)
        return bool((np.diff(separators) > 1).all()), -1, None  # two NULs in a row: an empty id
    return _clean_spaced_ascii_ids(codes, count), -1, None


def _clean_spaced_ascii_ids(codes: np.ndarray, count: int) -> bool:
    """:func:`_clean_ascii_ids` for ids some of which hold a space, a tab or a control character."""
    separators = np.flatnonzero(codes == 0)
    if len(separators) != count - 1:
        return False  # a NUL inside an id
    below_space = codes[codes < 32]  # the NUL separators, plus any tab, LF, CR or control character
    if len(below_space) != len(separators) and int(_CONTROL_CODES[below_space].sum()) != len(separators):
        return False  # a control character inside an id (tab, LF and CR are not control characters here)
    starts = np.concatenate(([0], separators + 1))
    ends = np.concatenate((separators, [len(codes)])) - 1
    if (ends < starts).any():
        return False  # an empty id
    return not (_SPACE_CODES[codes[starts]].any() or _SPACE_CODES[codes[ends]].any())


_KEY_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd: multiplying by it mixes a word's bits into the next


def _width_keys(codes: np.ndarray, count: int, width: int) -> np.ndarray:
    """A uint64 key per id from the NUL-joined bytes of ``count`` ids of ``width`` bytes each.

    Up to 8 bytes the key is the id itself (big-endian, so keys order as the ids do): equal keys are equal ids.
    Longer ids are hashed word by word: equal ids have equal keys, and the rare equal keys of different ids
    are told apart by comparing the ids as text (:func:`_ids`).
    """
    words = -(-width // 8)
    padded = np.zeros((count, words * 8), dtype=np.uint8)
    padded[:count - 1, :width] = codes[:(count - 1) * (width + 1)].reshape(count - 1, width + 1)[:, :width]
    padded[count - 1, :width] = codes[(count - 1) * (width + 1):]
    as_words = padded.view(">u8")
    keys = as_words[:, 0].astype(np.uint64)
    for column in range(1, words):
        keys *= _KEY_MIX
        keys ^= as_words[:, column]
    return keys


def _id_texts(cells: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """(ids as text without surrounding spaces, cells that cannot be an id, a key per id or None) for an object
    array of cells.

    Text is stripped; a spreadsheet number is its integer digits (1001.0 -> "1001") or its decimal text; a
    number at or above 2**53 has lost digits and a TRUE/FALSE is no id, so both are refused; blanks are None.
    The keys (see :func:`_clean_ascii_ids`) come only with the fast path, where the ids are the cells.
    """
    bad = np.zeros(len(cells), dtype=bool)
    if len(cells):
        clean, keys = _clean_ascii_ids(cells)
        if clean:
            return cells, bad, keys  # CSV text ids, ASCII, none empty or with a space at either end
    if pd.api.types.infer_dtype(cells, skipna=True) in ("string", "empty"):  # text and blanks
        return np.array([(s.strip() or None) if type(s) is str else None for s in cells] or [],
                        dtype=object), bad, None
    out = np.empty(len(cells), dtype=object)
    for index, value in enumerate(cells):
        if type(value) is str:
            out[index] = value.strip() or None
        elif value is None or (isinstance(value, float) and value != value):
            out[index] = None
        elif isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
            bad[index] = isinstance(value, (bool, np.bool_))
            out[index] = None if bad[index] else str(value).strip() or None
        elif abs(value) >= EXACT_ID_NUMBER:
            bad[index] = True
            out[index] = None
        elif float(value).is_integer():
            out[index] = str(int(value))
        else:
            out[index] = repr(float(value))
    return out, bad, None


def _ids(frame: pd.DataFrame, header: str, problems: list[_Problem]) -> np.ndarray:
    rows = frame["row"].to_numpy()
    cells = frame["id"].to_numpy(dtype=object)
    text, unusable, keys = _id_texts(cells)
    clean = text is cells  # the fast path returned the cells themselves: no control characters either
    if unusable.any():
        problems.append(_Problem("id", header, rows[unusable], cells[unusable], "an employee id as text",
                                 hint="format the id column as text: a yes/no cell or a number of 16+ digits "
                                      "is not an id (spreadsheet numbers keep 15 digits)"))
    # the fast path saw only non-empty text: no blank to look for (pd.isna over a million objects is ~0.1 s)
    blank = np.zeros(len(text), dtype=bool) if clean else pd.isna(text) & ~unusable
    if blank.any():
        problems.append(_Problem("id", header, rows[blank], [""] * int(blank.sum()), "an employee id (not blank)"))
    present = text[~(blank | unusable)] if (blank | unusable).any() else text
    # printable text has no control characters: one fast C check; the regex only when some id is not
    joined = "" if clean else "".join(present)
    if not clean and not joined.isprintable() and CONTROL_CHARACTERS.search(joined):
        control = np.fromiter((s is not None and CONTROL_CHARACTERS.search(s) is not None for s in text), bool,
                              len(text))
        problems.append(_Problem("id", header, rows[control], text[control], "an id without control characters",
                                 hint="control characters cannot be stored in a spreadsheet cell"))
    # Duplicates in linear time: equal ids have equal hashes, so sort the ids' 64-bit hashes (integers: a fast
    # C sort) and look for neighbours. No shared hash: every id is distinct (the usual census, decided
    # without a hash table of millions of strings, whose cost per row grows with the census). Otherwise only
    # the rows whose hash is shared are compared as text, in row order.
    hashes = np.fromiter(map(hash, present), dtype=np.int64, count=len(present)) if keys is None else keys
    if keys is not None and (hashes[1:] > hashes[:-1]).all():
        return text  # ids of one width in ascending order (a sorted census): all distinct, no sort needed
    ordered = np.sort(hashes)
    shared = ordered[1:] == ordered[:-1]
    if not shared.any():
        return text
    candidate = np.zeros(len(text), dtype=bool)
    candidate[np.flatnonzero(~(blank | unusable))[np.isin(hashes, ordered[1:][shared])]] = True
    repeated = np.zeros(len(text), dtype=bool)
    repeated[candidate] = pd.Series(text[candidate]).duplicated(keep="first").to_numpy()
    where = np.flatnonzero(repeated)
    if not len(where):
        return text      # hashes that collide, ids that differ

    def hint(index: int) -> str:
        same = rows[text == text[where[index]]]
        listed = ", ".join(str(r) for r in same[:SHOW_ROWS + 1])
        extra = len(same) - SHOW_ROWS - 1
        return (f"the same id is on rows {listed}" + (f" and {extra} more" if extra > 0 else "")
                + " (ids are compared without surrounding spaces)")

    problems.append(_Problem("id", header, rows[where], text[where], "a unique employee id", hint=hint))
    return text


@without_huge_pages
def check_frame(raw: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """Turn the raw columns (renamed to fields, plus ``row``) into the checked census frame.

    Every bad cell is collected first, then reported together (one error, row order).
    """
    empty = _empty_rows(raw)
    if empty.any():
        raw = raw[~empty]
    if raw.empty:
        raise InputError("census", "no employee rows", "at least one employee row under the header", kind="na")
    problems: list[_Problem] = []
    out = {"row": raw["row"].to_numpy(dtype="int64"), "id": _ids(raw, columns["id"], problems)}
    for field in MONEY_FIELDS:
        if field in raw:
            out[field] = _money(raw, field, columns[field], problems)
        else:
            out[field] = np.zeros(len(raw))
    for field in FLAG_FIELDS:
        out[field] = _flag(raw, field, columns[field], problems)
    if "age" in raw:
        out["age"] = _age(raw, columns["age"], problems)
    # A ratio needs pay: money in with no compensation is a data error, not a zero ratio.
    contributed = out["match"] + out["after_tax"]  # + deferrals + qnec, added in place (no temporaries)
    contributed += out["deferrals"]
    contributed += out["qnec"]
    unpaid = (out["compensation"] == 0) & (contributed > 0) & out["eligible"]
    if unpaid.any():
        amounts = contributed[unpaid]
        problems.append(_Problem("compensation", columns["compensation"], out["row"][unpaid],
                                 out["compensation"][unpaid],
                                 "compensation above 0 for an eligible employee with contributions", kind="num",
                                 hint=lambda i: f"contributions on that row: {amounts[i]:,.2f}"))
    _raise_problems(problems)
    return frame_from_columns(out)


def frame_from_columns(columns: dict[str, Any]) -> pd.DataFrame:
    """A DataFrame over the given arrays without copying a million rows; object arrays (ids) stay object
    (letting pandas infer its python-backed string dtype costs a full pass)."""
    return pd.DataFrame({name: pd.Series(values, dtype=object, copy=False)
                         if getattr(values, "dtype", None) is np.dtype(object) else values
                         for name, values in columns.items()}, copy=False)


def _empty_rows(raw: pd.DataFrame) -> np.ndarray:
    """Rows where every census cell is blank."""
    empty = np.ones(len(raw), dtype=bool)
    # numeric columns first: isnan is cheap, and one full column settles it for most files
    names = sorted((n for n in raw.columns if n != "row"), key=lambda n: raw[n].dtype == object)
    for name in names:
        empty &= pd.isna(raw[name].to_numpy())
        if not empty.any():
            break
    return empty


def _blank_rows(raw: pd.DataFrame) -> list[int]:
    return [int(r) for r in raw["row"].to_numpy()[_empty_rows(raw)]]


def _csv_header(source: Any, encoding: str = "utf-8-sig") -> list[str]:
    import csv

    if hasattr(source, "read"):
        position = source.tell()
        line = source.readline()
        source.seek(position)
    else:
        with open(source, encoding=encoding, newline="") as handle:
            line = handle.readline()
    if isinstance(line, bytes):
        line = line.decode(encoding)
    if not line.strip():
        raise InputError("census", str(source), "a header row on the first line", kind="na")
    return next(csv.reader([line.lstrip("\ufeff")]))


def _python_encoding(encoding: str | None) -> str:
    """The codec to read with: UTF-8 skips a byte-order mark; any other name must be a known codec."""
    import codecs

    name = "utf-8" if encoding is None else str(encoding).strip().lower()
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise InputError("encoding", encoding, "a text encoding such as utf-8, cp1252 or latin-1") from None
    return "utf-8-sig" if codec in ("utf-8", "utf-8-sig") else codec


def _undecodable(error: UnicodeDecodeError, source: Any, encoding: str) -> InputError:
    byte = error.object[error.start:error.start + 1] if isinstance(error.object, (bytes, bytearray)) else b""
    shown = f"byte 0x{byte.hex()}" if byte else "a byte"
    name = "UTF-8" if encoding == "utf-8-sig" else encoding
    hint = f"{shown} at offset {error.start} of the file is not {name}; "
    hint += ("re-save it as CSV UTF-8, or say its encoding: --encoding cp1252 (Excel on Windows) or "
             "--encoding latin-1" if name == "UTF-8" else "check the encoding you named")
    return InputError("census", str(getattr(source, "name", source)), f"a CSV file in {name}", hint=hint)


def _read_csv(source: Any, mapping: Mapping[str, str] | None, progress: Callable[[int, int], None] | bool,
              encoding: str = "utf-8-sig") -> tuple[pd.DataFrame, dict[str, str]]:
    try:
        return _read_csv_text(source, mapping, progress, encoding)
    except UnicodeDecodeError as error:
        raise _undecodable(error, source, encoding) from None


def _read_csv_text(source: Any, mapping: Mapping[str, str] | None, progress: Callable[[int, int], None] | bool,
                   encoding: str) -> tuple[pd.DataFrame, dict[str, str]]:
    headers = _csv_header(source, encoding)
    columns = resolve_columns(headers, mapping)
    by_header = {header: field for field, header in columns.items()}
    # Money parsed as float64 by the C parser (the fast path); ids as plain objects (faster than pandas'
    # python-backed string dtype); flags as categories (a few distinct words, no string per row). A money
    # column with text fails the fast path: it is then read as
    # text so the message can name the row.
    text_types = {columns["id"]: object, **{columns[f]: "category" for f in FLAG_FIELDS}}
    money_types = {columns[f]: "float64" for f in MONEY_FIELDS if f in columns}
    # usecols and skipinitialspace each cost the C parser 15-25% (measured on a million rows): columns are
    # selected only when the file has others, and spaces are handled where they matter (flags, numbers).
    options: dict[str, Any] = {"encoding": encoding, "keep_default_na": False, "na_values": [""],
                               "skip_blank_lines": False}
    if len(by_header) < len(headers):
        options["usecols"] = list(by_header)
    # index_col=False: a row with more cells than the header never turns the first column into an index
    # (which would shift every value one column left); it is refused below with its row number.
    options["index_col"] = False
    position = source.tell() if hasattr(source, "tell") else None
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.ParserWarning)
        try:
            try:
                raw = _read_csv_frames(source, {**options, "dtype": {**text_types, **money_types}}, progress)
            except (ValueError, TypeError):
                # A money column with text ("could not convert", "Unable to parse"; "nan" or "inf" written
                # out: "cannot safely convert", "Cannot cast"): read it as text, so the check names the row.
                if position is not None:
                    source.seek(position)
                raw = _read_csv_frames(source, {**options, "dtype": {**text_types,
                                                                     **dict.fromkeys(money_types, object)}}, progress)
        except (pd.errors.ParserWarning, pd.errors.ParserError):
            raise _ragged_rows(source, position, encoding, len(headers)) from None
    raw = raw.rename(columns=by_header)
    raw["row"] = np.arange(2, len(raw) + 2)
    return raw, columns


def _ragged_rows(source: Any, position: Any, encoding: str, width: int) -> InputError:
    """The error for rows whose number of cells is not the header's (found by re-reading with ``csv``)."""
    import csv

    if hasattr(source, "read"):
        source.seek(position or 0)
        lines = source
    else:
        lines = open(source, encoding=encoding, newline="")  # noqa: SIM115 - closed below
    bad: list[tuple[int, int]] = []
    try:
        for number, cells in enumerate(csv.reader(lines), start=1):
            if number > 1 and cells and len(cells) != width:
                bad.append((number, len(cells)))
    finally:
        if lines is not source:
            lines.close()
    if not bad:  # pragma: no cover - pandas and csv agree on what a row is
        bad = [(0, 0)]
    row, count = bad[0]
    listed = ", ".join(f"row {r} ({c})" for r, c in bad[1:SHOW_ROWS + 1])
    hint = "quote cells that hold commas (\"Smith, J\") and check the delimiter"
    if len(bad) > 1:
        hint += f"; {len(bad)} rows in all; also {listed}" + (f" and {len(bad) - SHOW_ROWS - 1} more"
                                                                if len(bad) > SHOW_ROWS + 1 else "")
    return InputError(f"census row {row}", f"{count} cells", f"{width} cells, one per header", hint=hint)


def _read_csv_frames(source: Any, options: dict[str, Any], progress: Any) -> pd.DataFrame:
    size = os.path.getsize(source) if isinstance(source, (str, os.PathLike)) else 0
    if not (progress and size > PROGRESS_BYTES):
        return pd.read_csv(source, **options)
    frames = []
    bar = _progress_bar(progress, size, str(source))
    with open(source, "rb") as handle:
        for chunk in pd.read_csv(handle, chunksize=CHUNK_ROWS, **options):
            frames.append(chunk)
            bar(handle.tell())
    bar(size, done=True)
    return pd.concat(frames, ignore_index=True)


def _progress_bar(progress: Any, total: int, label: str) -> Callable[..., None]:
    """A callback(position, done=False): tqdm on stderr when ``progress`` is True, else the caller's function."""
    if callable(progress):
        return lambda position, done=False: progress(position, total)
    from tqdm import tqdm

    bar = tqdm(total=total, unit="B", unit_scale=True, desc=f"reading {os.path.basename(label)}", leave=False)

    def update(position: int, done: bool = False) -> None:
        bar.update(max(0, position - bar.n))
        if done:
            bar.close()

    return update


def _check_defused() -> None:
    import openpyxl.xml

    if not openpyxl.xml.DEFUSEDXML:  # pragma: no cover - defusedxml is a dependency
        raise RuntimeError("defusedxml is not installed: refusing to parse XLSX files without XML-attack guards "
                           "(pip install defusedxml)")


def _raise_if_defused(error: BaseException, source: Any) -> None:
    """Turn a defusedxml refusal (possibly wrapped by openpyxl in a ValueError) into an InputError."""
    seen: BaseException | None = error
    while seen is not None:
        if type(seen).__module__.startswith("defusedxml"):
            raise InputError("census", str(source), "an .xlsx workbook without XML entity declarations",
                             kind="value", hint=f"refused by defusedxml ({type(seen).__name__}): the file may be "
                                                "an XML attack; re-save it from a spreadsheet program") from None
        seen = seen.__cause__ or seen.__context__


def _read_xlsx(source: Any, mapping: Mapping[str, str] | None, sheet: str | None,
               progress: Callable[[int, int], None] | bool) -> tuple[pd.DataFrame, dict[str, str]]:
    _check_defused()
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except zipfile.BadZipFile:
        raise InputError("census", str(source), "a CSV file or an .xlsx workbook", kind="value",
                         hint="the file is not a valid .xlsx (zip) file") from None
    except Exception as error:  # defusedxml raises its own types (EntitiesForbidden, DTDForbidden, ...)
        _raise_if_defused(error, source)
        raise
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise InputError("sheet", sheet, "one of " + ", ".join(repr(s) for s in book.sheetnames))
        worksheet = book[sheet] if sheet is not None else book.worksheets[0]
        rows = worksheet.iter_rows(values_only=True)
        header_row = 0
        headers: list[Any] = []
        for values in rows:
            header_row += 1
            if any(v is not None and str(v).strip() for v in values):
                headers = list(values)
                break
        if not headers:
            raise InputError("census", str(source), "a header row in the first sheet", kind="na")
        columns = resolve_columns(headers, mapping)
        positions = {field: headers.index(header) for field, header in columns.items()}
        width = len(headers)
        data: list[tuple] = []
        total = worksheet.max_row or 0
        bar = _progress_bar(progress, total, str(source)) if progress and total > 200_000 else None
        try:
            for count, values in enumerate(rows, start=1):
                if len(values) < width:
                    values = tuple(values) + (None,) * (width - len(values))
                data.append(values)
                if bar and count % 50_000 == 0:
                    bar(header_row + count)
        except Exception as error:
            _raise_if_defused(error, source)
            raise
        if bar:
            bar(total, done=True)
    finally:
        book.close()
    raw = pd.DataFrame({field: pd.Series([values[index] for values in data], dtype=object)
                        for field, index in positions.items()})
    # Drop trailing rows that openpyxl reports but that hold nothing (formatting only).
    raw["row"] = np.arange(header_row + 1, header_row + 1 + len(raw))
    # ids stay as the cells hold them (text, numbers, booleans): ``_ids`` turns them into text or refuses them
    for field in set(MONEY_FIELDS + FLAG_FIELDS + ("age",)) & set(raw):
        raw[field] = raw[field].map(_cell_text)
    return raw, columns


def _cell_text(value: Any) -> Any:
    # Blank strings are blanks; numbers stay numbers; text is kept for the error message.
    if isinstance(value, str) and not value.strip():
        return None
    return value


@without_huge_pages
def read_census(source: Any, mapping: Mapping[str, str] | None = None, *, sheet: str | None = None,
                progress: Callable[[int, int], None] | bool = False, encoding: str | None = None) -> Census:
    """Read and check a census (CSV or XLSX) for the ACP test.

    ``source``: a path (``.csv``, ``.xlsx``/``.xlsm``) or an open text stream of CSV. ``mapping``: field ->
    header for columns the aliases don't find. ``sheet``: the worksheet (default: the first).
    ``progress``: True for a tqdm bar on big files, or a callback ``(done, total)``. ``encoding``: of a CSV
    file (default UTF-8; ``"cp1252"``, ``"latin-1"``, ...).

    Rules: compensation is §414(s) compensation (IRC §401(m)(3), Treas. Reg. §1.401(m)-5 "compensation");
    prior-year compensation decides HCE status (IRC §414(q)(1)(B), lookback year); a 5% owner in the
    year or the year before is an HCE whatever the pay (§414(q)(1)(A)).

    >>> import io
    >>> read_census(io.StringIO("id,compensation,prior compensation,owner,eligible,match,after tax\\n"
    ...                         "A,50000,-1,no,yes,0,0\\n"))
    Traceback (most recent call last):
    ...
    megabackdoor.errors.InputError: row 2, column 'prior compensation' (prior_compensation): got -1; \
expected a dollar amount from 0 to 100,000,000 (plain number: no $ sign, commas or text)
    """
    name = str(getattr(source, "name", source))
    if isinstance(source, (str, os.PathLike)):
        if not os.path.exists(source):
            raise InputError("census", str(source), "an existing CSV or XLSX file", kind="na")
        if os.path.isdir(source):
            raise InputError("census", str(source), "a CSV or XLSX file, not a folder", kind="value")
        extension = os.path.splitext(str(source))[1].lower()
    else:
        extension = ".csv"
    if extension in (".xlsx", ".xlsm"):
        raw, columns = _read_xlsx(source, mapping, sheet, progress)
    elif extension in (".csv", ".txt", ""):
        if sheet is not None:  # refused, not ignored: the user may think a sheet was picked
            raise InputError("sheet", sheet, "no sheet with a CSV census (only .xlsx/.xlsm files have worksheets)")
        raw, columns = _read_csv(source, mapping, progress, _python_encoding(encoding))
    else:
        raise InputError("census", name, "a .csv, .xlsx or .xlsm file", kind="value",
                         hint="save .xls or .ods files as .xlsx first")
    blank_rows = _blank_rows(raw)
    frame = check_frame(raw, columns)
    return Census(frame, os.path.basename(name), columns, blank_rows, "deferrals" in columns)
