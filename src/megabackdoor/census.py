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
deferrals            elective deferrals (pre-tax + Roth), dollars                   no
==================== ============================================================== ==========

Headers are matched after normalising (case, spaces, punctuation and anything in brackets are ignored),
through a small alias list (``"Employee ID"``, ``"5% Owner"``, ``"After-Tax Contributions"``, ...) or an
explicit ``mapping={"compensation": "W-2 Pay"}``. Bad input raises
:class:`~megabackdoor.errors.InputError` naming the row, the column, the value and what is accepted: a
missing column, a blank or non-numeric value, a negative amount, a bad yes/no flag, a duplicate id, or
contributions for someone with no compensation. Rows that are entirely empty hold no data; they are
skipped and counted (``Census.blank_rows``). Nothing else is dropped.

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

MONEY_FIELDS = ("compensation", "prior_compensation", "match", "after_tax", "deferrals")
FLAG_FIELDS = ("owner_5pct", "eligible")
REQUIRED_FIELDS = ("id", "compensation", "prior_compensation", "owner_5pct", "eligible", "match", "after_tax")
OPTIONAL_FIELDS = ("deferrals",)
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
}
_ALIAS_TO_FIELD = {alias: field for field, aliases in ALIASES.items() for alias in aliases}

TRUE_WORDS = frozenset({"yes", "y", "true", "t", "1", "1.0", "x"})
FALSE_WORDS = frozenset({"no", "n", "false", "f", "0", "0.0"})
FLAG_ACCEPTED = "yes/no, y/n, true/false or 1/0"
MONEY_ACCEPTED = "a dollar amount of 0 or more (plain number: no $ sign, commas or text)"
SHOW_ROWS = 5  # rows listed per problem; the message gives the count of the rest
# Files bigger than this are read in chunks so the progress bar can move.
PROGRESS_BYTES = 20_000_000
CHUNK_ROWS = 250_000


class Census(Record):
    """A checked census.

    frame: one row per employee with columns ``row`` (row number in the file, header = 1), ``id`` (text),
    the money fields as float64 (``deferrals`` is 0.0 when the file has no such column) and the flags as
    bool; source: the file name; columns: field -> header used; blank_rows: row numbers of entirely empty
    rows that were skipped; has_deferrals: whether the file had a deferrals column.
    """

    __slots__ = ("frame", "source", "columns", "blank_rows", "has_deferrals")


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


def _problem(field: str, header: str, rows: Any, values: Any, accepted: str, kind: str = "value",
             hint: str | None = None) -> InputError:
    """One error for every row with the same problem: the first is named, up to 5 more listed."""
    rows = [int(r) for r in rows]
    values = list(values)
    more = len(rows) - 1
    note = None
    if more:
        listed = ", ".join(str(r) for r in rows[1:SHOW_ROWS + 1])
        note = f"also row{'s' if more > 1 else ''} {listed}" + (f" and {more - SHOW_ROWS} more" if more > SHOW_ROWS
                                                                 else "")
    hint = "; ".join(t for t in (hint, note) if t) or None
    return InputError(f"row {rows[0]}, column {header!r} ({field})", values[0], accepted, kind=kind, hint=hint)


def _money(frame: pd.DataFrame, field: str, header: str) -> np.ndarray:
    column = frame[field]
    rows = frame["row"].to_numpy()
    if not is_numeric_dtype(column.dtype) and not is_bool_dtype(column.dtype):
        numbers = pd.to_numeric(column.astype(object), errors="coerce")
        bad = (numbers.isna() & column.notna()).to_numpy()
        if bad.any():
            raise _problem(field, header, rows[bad], column[bad], MONEY_ACCEPTED,
                           hint="remove currency signs, thousands separators and text")
        column = numbers
    if is_bool_dtype(column.dtype):
        raise _problem(field, header, rows[:1], column[:1], MONEY_ACCEPTED)
    values = column.to_numpy(dtype="float64")
    if ((values >= 0) & (values < np.inf)).all():  # one check for the common case: no blank, inf or negative
        return values
    blank = np.isnan(values)
    if blank.any():
        raise _problem(field, header, rows[blank], [""] * int(blank.sum()), MONEY_ACCEPTED,
                       hint="the cell is blank: enter 0 if there was none")
    infinite = np.isinf(values)
    if infinite.any():
        raise _problem(field, header, rows[infinite], values[infinite], MONEY_ACCEPTED, kind="num")
    negative = values < 0
    if negative.any():
        raise _problem(field, header, rows[negative], values[negative], MONEY_ACCEPTED, kind="num")
    return values


def _flag(frame: pd.DataFrame, field: str, header: str) -> np.ndarray:
    column = frame[field]
    rows = frame["row"].to_numpy()
    if is_bool_dtype(column.dtype) and not column.isna().any():
        return column.to_numpy(dtype=bool)
    if is_numeric_dtype(column.dtype) and not is_bool_dtype(column.dtype):
        values = column.to_numpy(dtype="float64")
        bad = ~np.isin(values, (0.0, 1.0))
        if bad.any():
            shown = ["" if np.isnan(v) else v for v in values[bad]]
            raise _problem(field, header, rows[bad], shown, FLAG_ACCEPTED, kind="value")
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
        raise _problem(field, header, rows[bad], shown, FLAG_ACCEPTED, kind="value",
                       hint="blank cells are not read as no" if "" in shown[:1] else None)
    return flags == 1


def _ids(frame: pd.DataFrame, header: str) -> np.ndarray:
    rows = frame["row"].to_numpy()
    # Ids are text as read (CSV: leading spaces skipped, blanks read as missing; XLSX: converted and stripped
    # on read, blanks as None).
    text = frame["id"].to_numpy(dtype=object)
    blank = pd.isna(text)
    if blank.any():
        raise _problem("id", header, rows[blank], [""] * int(blank.sum()), "an employee id (not blank)")
    if len(pd.unique(text)) == len(text):
        return text
    series = pd.Series(text)
    duplicated = series.duplicated(keep=False).to_numpy()
    first = text[duplicated][0]
    same = text == first
    where = rows[same]
    raise InputError(f"row {int(where[1])}, column {header!r} (id)", first, "a unique employee id",
                     kind="value", hint="the same id is on rows " + ", ".join(str(r) for r in where[:SHOW_ROWS + 1])
                     + (f" and {int(same.sum()) - SHOW_ROWS - 1} more" if same.sum() > SHOW_ROWS + 1 else "")
                     + (f"; {int(duplicated.sum())} rows in all have a repeated id" if
                        duplicated.sum() > same.sum() else ""))


def check_frame(raw: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """Turn the raw columns (renamed to fields, plus ``row``) into the checked census frame."""
    empty = _empty_rows(raw)
    if empty.any():
        raw = raw[~empty]
    if raw.empty:
        raise InputError("census", "no employee rows", "at least one employee row under the header", kind="na")
    out = {"row": raw["row"].to_numpy(dtype="int64"), "id": _ids(raw, columns["id"])}
    for field in MONEY_FIELDS:
        if field in raw:
            out[field] = _money(raw, field, columns[field])
        else:
            out[field] = np.zeros(len(raw))
    for field in FLAG_FIELDS:
        out[field] = _flag(raw, field, columns[field])
    frame = frame_from_columns(out)
    # An ACP ratio needs pay: money in with no compensation is a data error, not a zero ratio.
    contributed = out["match"] + out["after_tax"] + out["deferrals"]
    unpaid = (out["compensation"] == 0) & (contributed > 0) & out["eligible"]
    if unpaid.any():
        raise _problem("compensation", columns["compensation"], out["row"][unpaid], out["compensation"][unpaid],
                       "compensation above 0 for an eligible employee with contributions", kind="num",
                       hint=f"contributions on that row: {contributed[unpaid][0]:,.2f}")
    return frame


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


def _csv_header(source: Any) -> list[str]:
    import csv

    if hasattr(source, "read"):
        position = source.tell()
        line = source.readline()
        source.seek(position)
    else:
        with open(source, encoding="utf-8-sig", newline="") as handle:
            line = handle.readline()
    if isinstance(line, bytes):
        line = line.decode("utf-8-sig")
    if not line.strip():
        raise InputError("census", str(source), "a header row on the first line", kind="na")
    return next(csv.reader([line.lstrip("\ufeff")]))


def _read_csv(source: Any, mapping: Mapping[str, str] | None,
              progress: Callable[[int, int], None] | bool) -> tuple[pd.DataFrame, dict[str, str]]:
    headers = _csv_header(source)
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
    options: dict[str, Any] = {"encoding": "utf-8-sig", "keep_default_na": False, "na_values": [""],
                               "skip_blank_lines": False}
    if len(by_header) < len(headers):
        options["usecols"] = list(by_header)
    position = source.tell() if hasattr(source, "tell") else None
    try:
        raw = _read_csv_frames(source, {**options, "dtype": {**text_types, **money_types}}, progress)
    except ValueError as error:
        if "could not convert" not in str(error) and "Unable to parse" not in str(error):
            raise
        if position is not None:
            source.seek(position)
        raw = _read_csv_frames(source, {**options, "dtype": {**text_types, **dict.fromkeys(money_types, object)}},
                               progress)
    raw = raw.rename(columns=by_header)
    raw["row"] = np.arange(2, len(raw) + 2)
    return raw, columns


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
    raw["id"] = raw["id"].where(raw["id"].isna(), raw["id"].map(_id_text))
    for field in set(MONEY_FIELDS + FLAG_FIELDS) & set(raw):
        raw[field] = raw[field].map(_cell_text)
    return raw, columns


def _id_text(value: Any) -> str | None:
    # Excel stores 1001 as 1001.0; an id is text, without surrounding spaces; a blank one is missing.
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() or None


def _cell_text(value: Any) -> Any:
    # Blank strings are blanks; numbers stay numbers; text is kept for the error message.
    if isinstance(value, str) and not value.strip():
        return None
    return value


def read_census(source: Any, mapping: Mapping[str, str] | None = None, *, sheet: str | None = None,
                progress: Callable[[int, int], None] | bool = False) -> Census:
    """Read and check a census (CSV or XLSX) for the ACP test.

    ``source``: a path (``.csv``, ``.xlsx``/``.xlsm``) or an open text stream of CSV. ``mapping``: field ->
    header for columns the aliases don't find. ``sheet``: the worksheet (default: the first).
    ``progress``: True for a tqdm bar on big files, or a callback ``(done, total)``.

    Rules: compensation is §414(s) compensation (IRC §401(m)(3), Treas. Reg. §1.401(m)-5 "compensation");
    prior-year compensation decides HCE status (IRC §414(q)(1)(B), lookback year); a 5% owner in the
    year or the year before is an HCE whatever the pay (§414(q)(1)(A)).

    >>> import io
    >>> read_census(io.StringIO("id,compensation,prior compensation,owner,eligible,match,after tax\\n"
    ...                         "A,50000,-1,no,yes,0,0\\n"))
    Traceback (most recent call last):
    ...
    megabackdoor.errors.InputError: row 2, column 'prior compensation' (prior_compensation): got -1; \
expected a dollar amount of 0 or more (plain number: no $ sign, commas or text)
    """
    name = str(getattr(source, "name", source))
    if isinstance(source, (str, os.PathLike)):
        if not os.path.exists(source):
            raise InputError("census", str(source), "an existing CSV or XLSX file", kind="na")
        extension = os.path.splitext(str(source))[1].lower()
    else:
        extension = ".csv"
    if extension in (".xlsx", ".xlsm"):
        raw, columns = _read_xlsx(source, mapping, sheet, progress)
    elif extension in (".csv", ".txt", ""):
        raw, columns = _read_csv(source, mapping, progress)
    else:
        raise InputError("census", name, "a .csv, .xlsx or .xlsm file", kind="value",
                         hint="save .xls or .ods files as .xlsx first")
    blank_rows = _blank_rows(raw)
    frame = check_frame(raw, columns)
    return Census(frame, os.path.basename(name), columns, blank_rows, "deferrals" in columns)
