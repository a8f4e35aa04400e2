"""The one registry of megabackdoor's worksheet functions.

Every consumer is generated from the specs collected here: the xlwings host module
:mod:`megabackdoor.udfs` (classic xlwings on Windows, xlwings Lite, xlwings Server), the ``udf_docs/`` pages
(``megabackdoor docs``) and the generated workbooks' function reference. A function is declared once.

Adding worksheet functions (the spec format)
--------------------------------------------
Create ``src/megabackdoor/excel/functions_<topic>.py``. Every ``functions_*.py`` module of this package is
discovered automatically: there is no shared list to edit (an optional module-level ``ORDER`` int, default 50,
places the topic in the docs index). The module imports only this registry (engines
are named as ``"module:function"`` strings and imported on the first call, so ``import megabackdoor.udfs``
stays fast and pandas is not loaded until a pandas-backed function runs) and defines ``FUNCTIONS``::

    from .registry import Arg, Example, Function

    FUNCTIONS = [
        Function(
            "MEGA_HEADROOM",                               # Excel name: UPPERCASE A-Z 0-9 _, not a cell address
            engine="megabackdoor.headroom:after_tax_room", # "module:function", or a callable (an adapter)
            description="After-tax (mega-backdoor) 401(k) room left under §415(c) ...",  # <= 255 characters
            args=[                                         # Excel order: required first, then optional
                Arg("year", "Calendar (limitation) year, e.g. 2026.", unit="year"),
                Arg("compensation", "Section 415(c)(3) pay; omit if it does not bind.", unit="USD per year",
                    default=None),                         # a default makes the argument optional
            ],
            returns="After-tax room for the year", unit="USD per year",
            examples=[Example((2026, 35, 24500, 9000), 38500.0),        # the first is the worked example
                      Example((2026, 35, 24500, 9000, 60000, 10), error="#NUM!")],
            citation="IRC §415(c)(1)-(2); §414(v)(3)(A); Treas. Reg. §1.414(v)-1",
            rule="room = min(§415(c) dollars, pay) - non-catch-up deferrals - employer - forfeitures",
        ),
    ]

:class:`Function` fields: ``name``; ``engine``; ``description`` (<= 255 characters, what Excel's Function
Arguments dialog and Office.js show); ``args``; ``returns`` and ``unit`` (the result); ``examples`` (at least
one; tests recompute every example and ``udf_docs`` shows them, so they must stay true); ``citation`` (the
rule's source); ``rule`` (the formula in words, for the docs); ``output`` (how the engine's return value
becomes the cell value: ``None`` = as returned, an attribute name such as ``"value"`` for a record, or a
callable); ``table=True`` when the function spills a 2-D table (then every argument must be one cell; the
cell value is a list of row lists, header first: turn a DataFrame into
``[list(df.columns), *map(list, df.itertuples(index=False))]`` with plain floats/str/bool/date values); and
``array_note`` (optional docs text about spills). A workbook's function-reference sheet can use
:func:`reference_rows`. ``batch`` (optional, ``"module:function"``): the engine over whole columns for array
calls, ``batch(count, **keywords)`` with a list per range argument, returning one cell value per position or
``None`` to leave that position to the per-cell path (see :func:`_batched`); it must give exactly the
per-cell results (``tests/test_registry_batch.py`` compares them cell by cell).

After adding or changing a spec, run ``megabackdoor docs`` and commit ``udf_docs/`` with it: the pages are
generated from the specs and ``tests/test_udfs_docs.py`` fails while they are stale. The tests in
``tests/test_registry.py``, ``tests/test_udfs*.py`` pick new functions up automatically (every example is
recomputed, on every host tier).

:class:`Arg` fields: ``name`` (a Python identifier, lower case, the same as the engine's keyword unless
``engine_name`` says otherwise; never ``caller``); ``help`` (<= 255 characters: the argument's tooltip);
``unit`` (e.g. ``"USD per year"``, ``"decimal rate"``, ``"year"``); ``kind`` (``"number"`` (default),
``"text"``, ``"flag"``, ``"date"``, ``"any"`` or ``"range"``: how a cell is read, see below; a ``"range"``
argument is passed to the engine whole, as a 2-D list of its cells with blanks as ``None``, and is never
broadcast, e.g. a column of ratios to average); ``choices`` (accepted words
of an enumeration, listed in the docs); ``default`` (omit it for a required argument; the value used when
the argument is omitted or its cell is blank); ``array`` (``True`` by default: the argument accepts a range
and the function then returns the matching array); ``blank_zero`` (whether a 0 stands for a blank cell, as
older Excel desktop builds send it: automatic for text, date and year arguments; ``True`` where 0 is never a
real value; a tuple of argument names where 0 is impossible only when one of them is positive; ``False``
where 0 is a real value).

An adapter ``engine`` (a function in the topic module that picks a record field or builds a table) imports its
engine module inside its body, for the same import-cost reason. ``Example(args, result, places=2)`` checks an
unrounded result to 2 decimals; ``Example(args, error="#NUM!")`` expects that error kind.

The engine is called with keyword arguments (``engine_name or name`` -> value), optional ones filled with their
``default``. It validates its own input and raises :class:`megabackdoor.errors.InputError`; this module only
reads cells, broadcasts ranges and turns errors into cell values.

How cells are read (the same on every host; ``udf_docs/index.md`` documents it for users)
-----------------------------------------------------------------------------------------
* A blank cell (``None`` or ``""``) in an optional argument means "omitted" (the default); in a required
  argument it is an error (``#VALUE!``, "got a blank cell"). In an array call, a position where every range
  argument is blank gives a blank result, so one formula can cover a column with empty rows at the end.
* Excel sends ``null`` for a blank cell, but older desktop builds send ``0`` (OfficeDev/office-js #4702). In
  an optional argument whose ``blank_zero`` says 0 cannot be a real value, a 0 is read as omitted; in an array
  call, a position whose range cells are all blank or 0, one of them a 0 that cannot be real (a year 0), is
  blank. Where 0 is a real value it stays 0 (the docs tell users to leave such an argument out).
* Text in a number argument, or TRUE/FALSE in a number argument: the engine's ``#VALUE!`` message.
* A date (classic xlwings passes date cells as datetimes) in a number argument: ``#VALUE!`` with a hint; in a
  ``kind="date"`` argument a serial number (Excel's 1900 date system), a date or ISO text ``"2026-01-15"``.
* An error cell (``#DIV/0!``, ``#N/A`` ...) is passed on: the result is that error (Excel's own rule).

Arrays (broadcasting)
---------------------
Each argument may be one cell or a range. All ranges must have the same number of rows, or one row; and the
same number of columns, or one column (a single cell goes with everything). The result has the combined
shape; position (i, j) is the function of the arguments' (i, j) cells. A bad cell inside an array does not
spoil the rest: its position holds the message text, e.g. ``"#NUM! age: got -1; expected ..."`` (Office.js
turns a spill that contains an error value into a single ``#VALUE!``, so text it is).

Errors
------
:func:`call` raises :class:`InputError` for a single-cell call; :mod:`megabackdoor.udfs` maps it per host
(``InputError.kind`` -> ``#VALUE!``/``#NUM!``/``#N/A``). :func:`cell_message` is the text shown in a cell.
"""

from __future__ import annotations

import datetime as dt
import importlib
import os
import pkgutil

from .. import validate
from ..errors import InputError, _show

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

REQUIRED: Any = type("Required", (), {"__repr__": lambda self: "REQUIRED"})()
ARG_KINDS = ("number", "text", "flag", "date", "any", "range")
MAX_TEXT = 255          # Excel's MacroOptions limit for descriptions and argument help
VBA_BUDGET = 254        # Function Wizard: number of arguments + characters of their names (xlwings #1489)
MAX_NAME = 64           # Office.js allows 128; keep names typeable
# Error values Excel can pass in (xlwings' err_to_str gives these strings) or that a function can return.
EXCEL_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                          "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!",
                          "#PYTHON!"})
LAST_SERIAL = validate.LAST_SERIAL
# VBA keywords and reserved names that cannot name a parameter of the generated classic wrapper.
VBA_RESERVED = frozenset(
    "and as boolean byref byte byval call case class const currency date debug dim do double each else elseif "
    "empty end endif enum eqv erase error event exit false for friend function get global gosub goto if imp "
    "implements in integer is let like long longlong longptr loop lset me mod new next not nothing null on "
    "option optional or paramarray preserve private property public raiseevent redim rem resume return rset "
    "select set shared single static step stop string sub then to true type typeof until variant wend while "
    "with xor "
    # MS-VBAL statement keywords, special forms and reserved names (3.3.5.2)
    "abs array attribute cbool cbyte ccur cdate cdbl cdec cint circle clng clnglng clngptr close csng cstr cvar "
    "cverr declare defbool defbyte defcur defdate defdbl defint deflng deflnglng deflngptr defobj defsng defstr "
    "defvar doevents fix input inputb int lbound len lenb lock open print pset put scale seek sgn ubound unlock "
    "write".split())


class SpecError(Exception):
    """A spec breaks a registry rule (a programming error, raised at import so every test sees it)."""


class Arg:
    """One argument of a worksheet function (see the module docstring for the fields)."""

    __slots__ = ("name", "help", "unit", "kind", "choices", "default", "array", "engine_name", "blank_zero")

    def __init__(self, name: str, help: str, *, unit: str = "", kind: str = "number",
                 choices: Sequence[str] = (), default: Any = REQUIRED, array: bool = True,
                 engine_name: str | None = None, blank_zero: bool | tuple[str, ...] | None = None) -> None:
        self.name = name
        self.help = help
        self.unit = unit
        self.kind = kind
        self.choices = tuple(choices)
        self.default = default
        self.array = array
        self.engine_name = engine_name or name
        # A 0 that stands for a blank cell (older Excel desktop builds send 0 for one): never a real value of
        # a text, date or year argument; others say so (True), or name the arguments whose being positive
        # makes a 0 here impossible (a tuple), e.g. compensation 0 with positive deferrals.
        self.blank_zero = (kind in ("text", "date") or unit == "year") if blank_zero is None else blank_zero

    @property
    def optional(self) -> bool:
        return self.default is not REQUIRED

    def __repr__(self) -> str:
        return f"Arg({self.name!r})"


class Example:
    """A call with its expected result (``result``) or expected error value (``error``, e.g. ``"#NUM!"``).

    ``places``: the result is checked (and shown in the docs) rounded to that many decimals, for results
    that are not round numbers, e.g. ``Example((26000, 0.07, "annual"), 864.75, places=2)``.
    """

    __slots__ = ("args", "result", "error", "note", "places")

    def __init__(self, args: Sequence[Any], result: Any = None, *, error: str | None = None,
                 note: str = "", places: int | None = None) -> None:
        self.args = tuple(args)
        self.result = result
        self.error = error
        self.note = note
        self.places = places

    def holds(self, value: Any) -> bool:
        """Whether a computed value is this example's result (rounded to ``places`` when given)."""
        if self.places is not None and isinstance(value, float):
            return round(value, self.places) == self.result
        return value == self.result

    def __repr__(self) -> str:
        return f"Example({self.args!r}, {self.error or self.result!r})"


class Function:
    """One worksheet function: the spec every host, the docs and the workbooks read."""

    __slots__ = ("name", "engine", "description", "args", "returns", "unit", "examples", "citation", "rule",
                 "output", "table", "array_note", "topic", "_callable", "spellings", "batch", "_batch",
                 "batch_checks_cells", "_conditional", "_cell_plan", "_column_plan")

    def __init__(self, name: str, *, engine: str | Callable[..., Any], description: str,
                 args: Sequence[Arg], returns: str, examples: Sequence[Example], citation: str,
                 unit: str = "", rule: str = "", output: str | Callable[[Any], Any] | None = None,
                 table: bool = False, array_note: str = "", aliases: dict[str, str] | None = None,
                 batch: str | None = None, batch_checks_cells: bool = False) -> None:
        self.name = name
        # Optional "module:function" for array calls: the engine over whole columns (see _batched).
        self.batch = batch
        # True when the batch engine gives None for every row whose cell in a range is not a plain int or float
        # (it checks each column's types itself): column_call then leaves the cells' types to it.
        self.batch_checks_cells = batch_checks_cells
        self._batch = None
        self.engine = engine
        self.description = description
        self.args = tuple(args)
        self.returns = returns
        self.unit = unit
        self.examples = tuple(examples)
        self.citation = citation
        self.rule = rule
        self.output = output
        self.table = table
        self.array_note = array_note
        self.topic = ""
        self._callable = None if isinstance(engine, str) else engine
        self._conditional: list[tuple[Arg, list[str]]] | None = None   # see _conditional_zeros
        self._cell_plan: Any = None      # the generated cell reader (see _single_cells)
        self._column_plan: Any = None    # per argument, what _column_call needs (see there)
        # An engine's spelling of an argument -> the Excel argument, so a message names what the user typed
        # (``aliases`` for adapters that rename, e.g. first_pay_date -> first_pay).
        self.spellings = {a.engine_name: a for a in self.args}
        for engine_spelling, arg_name in (aliases or {}).items():
            for arg in self.args:
                if arg.name == arg_name:
                    self.spellings[engine_spelling] = arg
        check_spec(self)

    @property
    def required(self) -> tuple[Arg, ...]:
        return tuple(a for a in self.args if not a.optional)

    def signature(self) -> str:
        """``MEGA_HEADROOM(year, age, deferral, employer, [compensation], ...)``, as Excel lists it."""
        shown = [f"[{a.name}]" if a.optional else a.name for a in self.args]
        return f"{self.name}({', '.join(shown)})"

    def formula(self, args: Sequence[Any]) -> str:
        """The worksheet formula for a call, e.g. ``=MEGA_HEADROOM(2026, 35, 24500, 9000)``."""
        return f"={self.name}({', '.join(excel_literal(v) for v in args)})"

    def engine_callable(self) -> Callable[..., Any]:
        if self._callable is None:
            module_name, _, attr = str(self.engine).partition(":")
            self._callable = getattr(importlib.import_module(module_name), attr)
        return self._callable

    def batch_callable(self) -> Callable[..., Any] | None:
        if self._batch is None and self.batch is not None:
            module_name, _, attr = self.batch.partition(":")
            self._batch = getattr(importlib.import_module(module_name), attr)
        return self._batch

    def engine_label(self) -> str:
        if isinstance(self.engine, str):
            return self.engine.replace(":", ".")
        return f"{self.engine.__module__}.{self.engine.__qualname__}"

    def __call__(self, *args: Any) -> Any:
        """Evaluate like a worksheet cell: the value, a 2-D list for arrays/tables, or raise InputError."""
        return call(self, args)

    def __repr__(self) -> str:
        return f"Function({self.name!r})"


def is_cell_address(name: str) -> bool:
    """Whether Excel would read ``name`` as a cell reference (A1 style up to XFD1048576, or R1C1 style).

    >>> is_cell_address("MBR415"), is_cell_address("ROTH5"), is_cell_address("MEGA_PATH"), is_cell_address("R1C2")
    (True, False, False, True)

    (``ROTH5`` is safe: column names have at most three letters, up to XFD.)
    """
    # String tests, not regular expressions: compiling patterns would add milliseconds to every host start.
    upper = name.upper()
    letters = upper.rstrip("0123456789")
    digits = upper[len(letters):]
    if digits and 1 <= len(letters) <= 3 and letters.isalpha() and letters.isascii():
        column = 0
        for letter in letters:
            column = column * 26 + ord(letter) - 64
        return column <= 16384 and 1 <= int(digits) <= 1048576
    if upper.startswith("R") and "C" in upper:
        row, _, column = upper[1:].partition("C")
        return (row == "" or row.isdigit()) and (column == "" or column.isdigit())
    return False


def _identifier(text: str, upper: bool) -> bool:
    """Letters (A-Z or a-z as asked), digits and _, starting with a letter."""
    allowed = ("ABCDEFGHIJKLMNOPQRSTUVWXYZ" if upper else "abcdefghijklmnopqrstuvwxyz") + "0123456789_"
    return bool(text) and text[0].isalpha() and all(c in allowed for c in text)


def check_spec(spec: Function) -> None:
    """Raise :class:`SpecError` when ``spec`` breaks a rule every host needs."""
    def fail(why: str) -> None:
        raise SpecError(f"{spec.name}: {why}")

    if not _identifier(spec.name, upper=True) or len(spec.name) > MAX_NAME:
        fail(f"the Excel name must be UPPERCASE letters, digits and _ (at most {MAX_NAME} characters)")
    if is_cell_address(spec.name):
        fail("the name parses as a cell address")
    if not spec.description or len(spec.description) > MAX_TEXT:
        fail(f"description must have 1 to {MAX_TEXT} characters (has {len(spec.description)})")
    seen: set[str] = set()
    optional_seen = False
    for arg in spec.args:
        if not _identifier(arg.name, upper=False) or arg.name in VBA_RESERVED:
            fail(f"argument {arg.name!r} must be a lower-case identifier and not a VBA keyword")
        if arg.name in seen or arg.name == "caller":
            fail(f"argument {arg.name!r} is repeated or reserved ('caller' is xlwings' calling-cell argument)")
        seen.add(arg.name)
        if not arg.help or len(arg.help) > MAX_TEXT:
            fail(f"help of {arg.name!r} must have 1 to {MAX_TEXT} characters (has {len(arg.help)})")
        if arg.kind not in ARG_KINDS:
            fail(f"kind of {arg.name!r} must be one of {ARG_KINDS}")
        if arg.optional:
            optional_seen = True
        elif optional_seen:
            fail(f"required argument {arg.name!r} follows an optional one (Excel order: required first)")
        if spec.table and arg.array:
            arg.array = False  # a table-spilling function takes single cells
    if len(spec.args) + sum(len(a.name) for a in spec.args) > VBA_BUDGET:
        fail(f"arguments + characters of argument names exceed Excel's {VBA_BUDGET}")
    if not spec.examples:
        fail("give at least one Example (the docs' worked example)")
    for example in spec.examples:
        if not len(spec.required) <= len(example.args) <= len(spec.args):
            fail(f"example {example.args!r} does not match the signature {spec.signature()}")
    if not spec.citation or not spec.returns:
        fail("citation and returns are required")


# ---------------------------------------------------------------------------------------------------------
# Discovery

_FUNCTIONS: dict[str, Function] = {}


def topic_modules() -> list[str]:
    """Names of the ``functions_*`` modules of this package, sorted (discovery needs no shared list)."""
    package = __name__.rpartition(".")[0]
    path = [os.path.dirname(__file__)]
    return sorted(f"{package}.{info.name}" for info in pkgutil.iter_modules(path)
                  if info.name.startswith("functions_"))


def functions() -> dict[str, Function]:
    """Every registered worksheet function by Excel name, ordered by each topic module's ``ORDER`` (an int,
    default 50; it orders the docs index) and then as listed (imports the modules once)."""
    if _FUNCTIONS:
        return _FUNCTIONS
    found: dict[str, Function] = {}
    modules = [importlib.import_module(name) for name in topic_modules()]
    for module in sorted(modules, key=lambda m: (getattr(m, "ORDER", 50), m.__name__)):
        module_name = module.__name__
        topic = module_name.rpartition(".functions_")[2]
        for spec in getattr(module, "FUNCTIONS", ()):
            if not isinstance(spec, Function):
                raise SpecError(f"{module_name}.FUNCTIONS holds {spec!r}, not a registry.Function")
            if spec.name in found:
                raise SpecError(f"{spec.name} is declared twice ({found[spec.name].topic} and {topic})")
            spec.topic = topic
            found[spec.name] = spec
    _FUNCTIONS.update(found)
    return _FUNCTIONS


def get(name: str) -> Function:
    """The spec of one function by its Excel name (case-insensitive)."""
    try:
        return functions()[name.upper()]
    except KeyError:
        raise InputError("name", name, "one of " + ", ".join(functions()), kind="na") from None


def evaluate(name: str, *args: Any) -> Any:
    """Call a worksheet function by name as a cell would: ``evaluate("MEGA_HEADROOM", 2026, 35, 24500, 9000)``."""
    return call(get(name), args)


# ---------------------------------------------------------------------------------------------------------
# Calling: cell reading, broadcasting, output


def cell_message(error: InputError) -> str:
    """The text a cell shows for a bad input: the Excel error code, then the engine's message.

    Python spellings of a value are put the way a spreadsheet user sees them (an omitted argument, a date).

    >>> cell_message(InputError("age", -1, "an age", kind="num"))
    '#NUM! age: got -1; expected an age'
    >>> cell_message(InputError("year", None, "a tax year"))
    '#VALUE! year: got nothing (omitted or blank); expected a tax year'
    >>> cell_message(InputError("day", dt.date(1990, 1, 2), "1998 or later", kind="num"))
    '#NUM! day: got 1990-01-02; expected 1998 or later'
    """
    text = str(error)
    value = error.value
    if value is None or isinstance(value, dt.date):
        shown = "nothing (omitted or blank)" if value is None else value.isoformat()[:10]
        prefix = f"{error.argument}: got {_show(value)};"
        if text.startswith(prefix):
            text = f"{error.argument}: got {shown};" + text[len(prefix):]
    return f"{error.excel_error} {text}"


def in_user_terms(spec: Function, error: InputError, cells: dict[str, Any]) -> InputError:
    """The engine's error with the Excel argument's name, and the cell as given when the engine saw it read
    (a serial read as a date shows as the serial the cell holds). ``cells``: engine name -> raw cell."""
    arg = spec.spellings.get(error.argument)
    if arg is None:
        return error
    value = error.value
    raw = cells.get(arg.engine_name, value)
    if isinstance(value, dt.date) and not isinstance(raw, dt.date) and raw is not None:
        value = raw
    if arg.name == error.argument and value is error.value:
        return error
    return InputError(arg.name, value, error.accepted, kind=error.kind, hint=error.hint)


# What xlwings' JavaScript sends for an entity value that is not its own object handle: a linked data type
# (Stocks, Geography, ...) in the cell (xlwings Server's custom-functions-code.js).
LINKED_DATA_TYPE = "__xlwings_not_an_object_handle__"


def linked_type_error(arg: Arg) -> InputError:
    error = InputError(arg.name, "a linked data type", _accepted(arg), kind="value",
                       hint="pick one of its fields, e.g. =A1.Price")
    error.args = (f"{arg.name}: got a linked data type (Stocks, Geography ...); expected {_accepted(arg)}, not a "
                  "linked data type (pick one of its fields, e.g. =A1.Price)",)
    return error


def blank_error(arg: Arg) -> InputError:
    error = InputError(arg.name, None, _accepted(arg), kind="value")
    error.args = (f"{arg.name}: got a blank cell; expected {_accepted(arg)}",)
    return error


def _accepted(arg: Arg) -> str:
    if arg.choices:
        return "one of " + ", ".join(repr(c) for c in arg.choices)
    return {"number": f"a number ({arg.unit})" if arg.unit else "a number", "flag": "TRUE or FALSE",
            "date": "a date", "text": "text", "range": "a range"}.get(arg.kind, "a value")


def _is_error_value(value: Any) -> bool:
    return type(value) is str and value in EXCEL_ERRORS


def _read_date(arg: Arg, value: Any) -> Any:
    if type(value) is dt.date:
        return value
    return validate.to_date(arg.name, value,
                            accepted="a date (a date cell, a serial number or text like '2026-01-15')")


def _read(arg: Arg, value: Any) -> Any:
    """One cell -> the engine's value; ``REQUIRED`` never leaves here (blank required -> InputError)."""
    if value is None or value == "":
        if arg.optional:
            return arg.default
        raise blank_error(arg)
    if arg.blank_zero is True and arg.optional and value == 0 and (type(value) is int or type(value) is float):
        return arg.default
    if value == LINKED_DATA_TYPE:
        raise linked_type_error(arg)
    if arg.kind == "date":
        return _read_date(arg, value)
    if arg.kind == "number" and isinstance(value, (dt.date, dt.datetime)):
        hint = "use YEAR(cell) for a year" if arg.unit == "year" else "pass a number, not a date"
        raise InputError(arg.name, value.isoformat()[:10], f"a number ({arg.unit})" if arg.unit else "a number",
                         kind="value", hint=f"a date was given: {hint}")
    return value


def _shape(value: Any) -> tuple[int, int] | None:
    """None for one cell, else (rows, columns) of a range (2-D list; a 1-D list is one column)."""
    if type(value) is not list and type(value) is not tuple:
        return None
    if not value:
        return (0, 0)
    if type(value[0]) is list or type(value[0]) is tuple:
        if len(value) == 1 and len(value[0]) == 1:
            return None
        return (len(value), len(value[0]))
    return None if len(value) == 1 else (len(value), 1)


def _scalar(value: Any) -> Any:
    while type(value) is list or type(value) is tuple:
        value = value[0] if value else None
    return value


def _finish(spec: Function, result: Any) -> Any:
    output = spec.output
    if output is not None:
        result = getattr(result, output) if isinstance(output, str) else output(result)
    if type(result) is float and result - result != 0.0:  # inf or NaN: never shown as a number
        raise InputError(spec.name, "a result that is not a finite number", "arguments whose result a float "
                         "can hold (smaller amounts or rates)", kind="num")
    return result


def _whole_range(arg: Arg, value: Any) -> tuple[Any, str | None]:
    """A ``kind="range"`` argument: (its cells as a 2-D list, or the default when omitted; first error cell)."""
    if value is None:
        if arg.optional:
            return arg.default, None
        # Office.js sends a one-cell blank range as null, like an omitted argument: a blank range it is.
        return [[None]], None
    if type(value) is not list and type(value) is not tuple:
        value = [[value]]
    grid = [[None if c == "" else c for c in (line if type(line) is list or type(line) is tuple else [line])]
            for line in value]
    if arg.optional and arg.blank_zero is True and all(
            c is None or (c == 0 and (type(c) is int or type(c) is float)) for line in grid for c in line):
        return arg.default, None   # a blank range, as builds that send 0 for blank cells pass it
    for line in grid:
        for cell in line:
            if type(cell) is str and cell in EXCEL_ERRORS:
                return grid, cell
            if cell == LINKED_DATA_TYPE:
                raise linked_type_error(arg)
    return grid, None


def _evaluate_cells(spec: Function, cells: Sequence[Any]) -> Any:
    """One call of the engine on single-cell values (errors raise InputError; error cells return the code)."""
    keywords = {}
    for arg, value in zip(spec.args, cells, strict=False):
        if arg.kind == "range":
            keywords[arg.engine_name], error_cell = _whole_range(arg, value)
            if error_cell:
                return error_cell
            continue
        if _is_error_value(value):
            return value
        keywords[arg.engine_name] = _read(arg, value)
    for arg in spec.args[len(cells):]:
        if not arg.optional:
            raise blank_error(arg)
        keywords[arg.engine_name] = arg.default
    conditional = _conditional_zeros(spec)
    if conditional:
        _omit_impossible_zeros(conditional, keywords)
    try:
        return _finish(spec, spec.engine_callable()(**keywords))
    except InputError as error:
        raise in_user_terms(spec, error, {a.engine_name: c for a, c in zip(spec.args, cells, strict=False)}) \
            from None


def _conditional_zeros(spec: Function) -> list[tuple[Arg, list[str]]]:
    """Optional arguments whose 0 is impossible when another argument is positive (``blank_zero`` tuples);
    worked out once per spec."""
    if spec._conditional is None:
        found = []
        for arg in spec.args:
            if type(arg.blank_zero) is tuple and arg.optional:
                found.append((arg, [a.engine_name for a in spec.args if a.name in arg.blank_zero]))
        spec._conditional = found
    return spec._conditional


def _omit_impossible_zeros(conditional: list[tuple[Arg, list[str]]], keywords: dict[str, Any]) -> None:
    # A 0 that cannot be real (compensation 0 with positive deferrals) is a blank cell sent as 0: omitted.
    for arg, others in conditional:
        value = keywords.get(arg.engine_name)
        if (type(value) is int or type(value) is float) and value == 0 and any(
                (type(keywords.get(o)) is int or type(keywords.get(o)) is float) and keywords[o] > 0
                for o in others):
            keywords[arg.engine_name] = arg.default


_NOT_SINGLE: Any = object()


def _single_cells(spec: Function, args: Sequence[Any]) -> Any:
    """The usual call, every argument given and one cell (as xlwings sends it: a value, None or [[value]]),
    evaluated without the general path's shape pass: the same reading, rules and messages as
    :func:`_evaluate_cells`, by a function generated for the spec (:func:`_cell_reader`); ``_NOT_SINGLE`` for
    anything else (a range, an error cell, a blank required cell, text in a date argument, ...), which the
    general path handles."""
    reader = spec._cell_plan
    if reader is None:
        reader = spec._cell_plan = _cell_reader(spec)
    if reader is False:
        return _NOT_SINGLE
    return reader(args)


def _user_error(spec: Function, error: InputError, args: Sequence[Any]) -> InputError:
    # The single-cell call's error in the user's terms (each cell as given, unwrapped from [[value]]).
    return in_user_terms(spec, error, {a.engine_name: _scalar(c) for a, c in zip(spec.args, args, strict=False)})


def _cell_reader(spec: Function) -> Any:
    """A function of the call's arguments that reads the cells, calls the engine and gives its finished value
    (:func:`_finish`; an InputError in the user's terms), or gives ``_NOT_SINGLE`` (a call of another number
    of arguments, or a cell it does not take); written out per argument (as ``_record`` writes each record's
    ``__init__``): a loop over the arguments cost as much as the engine, and each call between the host's
    wrapper and the engine (a function reading, another finishing) was a tenth of a one-cell call's own
    time through xlwings' dispatcher. It reads a cell as :func:`_read` does for the cases it takes: a
    number (not in a date argument; a 0 that stands for a blank is the default), None in an optional argument
    (the default), text that is not blank, an error cell or a linked type (not in a date argument), TRUE/FALSE
    (not in a date argument); then the ``blank_zero`` tuples as :func:`_omit_impossible_zeros` applies them.
    False when the function takes a whole range."""
    if any(arg.kind == "range" for arg in spec.args):
        return False
    scope: dict[str, Any] = {"NOT": _NOT_SINGLE, "ERRORS": EXCEL_ERRORS, "LINKED": LINKED_DATA_TYPE,
                             "spec": spec, "InputError": InputError, "finish": _finish, "user_error": _user_error}
    lines = ["def read(args):", f"    if len(args) != {len(spec.args)}: return NOT",
             f"    {', '.join(f'v{i}' for i in range(len(spec.args)))}, = args", "    try:"]
    for i, arg in enumerate(spec.args):
        v = f"v{i}"
        scope[f"D{i}"] = arg.default
        # An omitted argument (None) is one test. A cell is unwrapped from [[value]] or [value] (an unpacking,
        # ValueError for a list of another length); a list or tuple left after that is neither a number, text,
        # TRUE/FALSE nor None, so the kind's tests below refuse it.
        lines += [f"        if {v} is not None:",
                  f"            t = type({v})",
                  "            if t is list:",
                  f"                [{v}] = {v}",
                  f"                t = type({v})",
                  "                if t is list:",
                  f"                    [{v}] = {v}",
                  f"                    t = type({v})"]
        if arg.kind == "date":
            lines.append(f"            if {v} is not None: return NOT")
        else:
            lines.append("            if t is float or t is int:")
            zero_is_blank = arg.blank_zero is True and arg.optional
            lines.append(f"                if {v} == 0: {v} = D{i}" if zero_is_blank else "                pass")
            lines += ["            elif t is str:",
                      f"                if {v} == '' or {v} in ERRORS or {v} == LINKED: return NOT",
                      "            elif t is bool: pass",
                      f"            elif {v} is not None: return NOT"]
        lines.append(f"        if {v} is None: {v} = D{i}" if arg.optional else f"        if {v} is None: return NOT")
    lines.append("    except ValueError: return NOT")    # a list of several cells or none
    index = {arg.engine_name: i for i, arg in enumerate(spec.args)}
    for arg, others in _conditional_zeros(spec):
        # A 0 that cannot be real (compensation 0 with positive deferrals) is a blank cell sent as 0: omitted.
        i = index[arg.engine_name]
        positive = " or ".join(f"((type(v{index[o]}) is int or type(v{index[o]}) is float) and v{index[o]} > 0)"
                               for o in others) or "False"
        lines.append(f"    if (type(v{i}) is int or type(v{i}) is float) and v{i} == 0 and ({positive}): v{i} = D{i}")
    keywords = ", ".join(f"{arg.engine_name}=v{i}" for i, arg in enumerate(spec.args))
    # The engine looked up per call, as the general path does (a test may swap it). The usual result, a finite
    # float with no output to take, is what _finish would return.
    lines += ["    try:",
              f"        result = (spec._callable or spec.engine_callable())({keywords})",
              *(["        if type(result) is float and result - result == 0.0: return result"]
                if spec.output is None else []),
              "        return finish(spec, result)",
              "    except InputError as error:",
              "        raise user_error(spec, error, args) from None"]
    exec("\n".join(lines), scope)  # names are checked identifiers (check_spec), values come from scope
    return scope["read"]


_NUMBER_TYPES = frozenset({float, int})
_LIST_TYPE = frozenset({list})


def _column_plan(spec: Function) -> Any:
    """Per argument (engine name, takes a range, a 0 in its range goes per cell, default, optional, a 0 in
    its cell is the default) for :func:`column_call`; False when the function has no batch engine or takes
    anything but numbers."""
    if spec.batch is None or any(arg.kind != "number" for arg in spec.args):
        return False
    conditional = {arg.name for arg, _ in _conditional_zeros(spec)}
    return tuple((arg.engine_name, arg.array, arg.blank_zero is True or arg.name in conditional, arg.default,
                  arg.optional, arg.blank_zero is True and arg.optional) for arg in spec.args)


def fast_call(spec: Function, args: Sequence[Any]) -> Any:
    """:func:`call`'s two fast paths, the usual one-cell call (:func:`_single_cells`) and the usual column
    (:func:`column_call`): their value, or ``_NOT_SINGLE`` for a call only the general path takes. Each takes
    plain cells only, so a call holding anything else (an error cell as Pyodide passes it, say) is never
    answered here."""
    single = _single_cells(spec, args)
    if single is not _NOT_SINGLE:
        return single
    return column_call(spec, args)


def column_call(spec: Function, args: Sequence[Any]) -> Any:
    """The usual array call, straight to the batch engine: every argument omitted, one number, or one column of
    plain numbers (rows as xlwings sends them, lists of one cell), the columns of one length. Gives what
    :func:`call` gives (the general path's 2-D list: :func:`_broadcast` with :func:`_batched` complete), or
    ``_NOT_SINGLE`` for anything else, which the general path decides with its own reading, rules and
    messages: a cell that is not a plain number (blank, text, an error cell, a date, a bool), a 0 that may
    stand for a blank, a required argument omitted, a 2-D range, columns of different lengths, a range
    where a single cell is expected, or a batch result it would take per cell (None, NaN, infinity).

    Each column is checked a pass at a time in C (its rows' types, one cell per row, its cells' types): in
    Pyodide the general path's passes (shapes, plan, the batch's position map, the Wasm error-cell check)
    were most of a 1,000-row call's own time."""
    plan = spec._column_plan
    if plan is None:
        plan = spec._column_plan = _column_plan(spec)
    if plan is False or spec.batch is None or len(args) > len(plan):
        return _NOT_SINGLE
    # A batch engine that refuses odd cells itself checks each column's types once (in Pyodide a pass over a
    # column's types is a tenth of a 1,000-row call's own time); for any other the cells are checked here.
    check_cells = not spec.batch_checks_cells
    rows = 0
    keywords = {}
    for (name, array, zero_is_blank, default, optional, zero_is_default), value in zip(plan, args, strict=False):
        if type(value) is list:
            if len(value) != 1:
                first = value[0] if value else None
                if not array or type(first) is not list or len(first) != 1 or (rows and len(value) != rows):
                    return _NOT_SINGLE
                if not set(map(type, value)) <= _LIST_TYPE:
                    return _NOT_SINGLE
                try:
                    cells = [cell for cell, in value]
                except ValueError:     # a row of several cells (a 2-D range)
                    return _NOT_SINGLE
                if (check_cells and not set(map(type, cells)) <= _NUMBER_TYPES) or (zero_is_blank and 0 in cells):
                    return _NOT_SINGLE
                rows = len(cells)
                keywords[name] = cells
                continue
            value = value[0]     # one cell: [[value]] as xlwings sends it, or [value]
            if type(value) is list:
                if len(value) != 1:
                    return _NOT_SINGLE
                value = value[0]
        kind = type(value)
        if kind is float or kind is int:
            keywords[name] = default if zero_is_default and value == 0 else value
        elif value is None and optional:
            keywords[name] = default
        else:
            return _NOT_SINGLE
    if not rows:
        return _NOT_SINGLE
    for name, _, _, default, optional, _ in plan[len(args):]:
        if not optional:
            return _NOT_SINGLE
        keywords[name] = default
    try:
        outcome = spec.batch_callable()(rows, **keywords)
    except TypeError:
        if check_cells:
            raise
        return _NOT_SINGLE    # an odd cell the engine could not even look at (unhashable): the general path's
    # As _batched checks it: sum() refuses a None; a NaN or infinity leaves total - total not 0.
    try:
        total = sum(outcome)
    except TypeError:
        return _NOT_SINGLE
    if total - total != 0.0:
        return _NOT_SINGLE
    return [[value] for value in outcome]


def call(spec: Function, args: Sequence[Any]) -> Any:
    """Evaluate ``spec`` on worksheet arguments (each one cell or a range); see the module docstring.

    Returns the cell value for single cells (a 2-D list when the function spills a table) or a 2-D list for
    ranges; raises :class:`InputError` for a bad single-cell call.
    """
    # fast_call written out (one call fewer on every one-cell call); both fast paths refuse a call of too many
    # arguments, which the general path then reports
    reader = spec._cell_plan
    if reader is None:
        reader = spec._cell_plan = _cell_reader(spec)
    if reader is not False:
        fast = reader(args)
        if fast is not _NOT_SINGLE:
            return fast
    fast = column_call(spec, args)
    if fast is not _NOT_SINGLE:
        return fast
    if len(args) > len(spec.args):
        raise InputError("arguments", len(args), f"at most {len(spec.args)} for {spec.signature()}")
    whole = [arg.kind == "range" for arg in spec.args[:len(args)]]
    shapes = [None if w else _shape(value) for w, value in zip(whole, args, strict=True)]
    if not any(shapes):
        return _evaluate_cells(spec, [value if w else _scalar(value) for w, value in zip(whole, args, strict=True)])
    rows = columns = 1
    for arg, shape in zip(spec.args, shapes, strict=False):
        if shape is None:
            continue
        if not arg.array:
            why = f"{spec.name} spills a table" if spec.table else f"{arg.name} does not take a range"
            raise InputError(arg.name, f"a {shape[0]}x{shape[1]} range", f"a single cell ({why})")
        rows = max(rows, shape[0])
        columns = max(columns, shape[1])
    for arg, shape in zip(spec.args, shapes, strict=False):
        if shape is not None and (shape[0] not in (1, rows) or shape[1] not in (1, columns)):
            raise InputError(arg.name, f"a {shape[0]}x{shape[1]} range",
                             f"a single cell or a range of {rows}x{columns} like the other ranges "
                             "(or one row / one column of it)")
    return _broadcast(spec, args, shapes, rows, columns)


_CONSTANT, _CONSTANT_ERROR_CELL, _CONSTANT_BAD, _RANGE = range(4)
_ROW_TYPES = frozenset({list, tuple})


def _plan(spec: Function, args: Sequence[Any], shapes: list) -> list[tuple[Arg, int, Any]]:
    """Per argument: a single cell read once (value, error cell or InputError) or a range as a 2-D grid."""
    plan = []
    for arg, value, shape in zip(spec.args, args, shapes, strict=False):
        if arg.kind == "range":
            try:
                grid, error_cell = _whole_range(arg, value)
            except InputError as error:
                plan.append((arg, _CONSTANT_BAD, error))
                continue
            plan.append((arg, _CONSTANT_ERROR_CELL, error_cell) if error_cell else (arg, _CONSTANT, grid))
            continue
        if shape is None:
            cell = _scalar(value)
            if _is_error_value(cell):
                plan.append((arg, _CONSTANT_ERROR_CELL, cell))
                continue
            try:
                plan.append((arg, _CONSTANT, _read(arg, cell)))
            except InputError as error:
                plan.append((arg, _CONSTANT_BAD, error))
            continue
        # Rows as xlwings sends them (ndim=2) are already lists: checked at C speed, wrapped only otherwise.
        grid = value if set(map(type, value)) <= _ROW_TYPES else [
            line if type(line) is list or type(line) is tuple else [line] for line in value]
        plan.append((arg, _RANGE, (grid, shape[0] > 1, shape[1] > 1, arg.kind == "date")))
    for arg in spec.args[len(args):]:
        plan.append((arg, _CONSTANT, arg.default) if arg.optional else (arg, _CONSTANT_BAD, blank_error(arg)))
    return plan


def _broadcast(spec: Function, args: Sequence[Any], shapes: list, rows: int, columns: int) -> list[list[Any]]:
    # The hot loop of an array call: single cells are read once, range cells take a fast path for numbers.
    plan = _plan(spec, args, shapes)
    ranges = [(payload, arg.blank_zero is True) for arg, code, payload in plan if code == _RANGE]
    engine = spec.engine_callable()
    conditional = _conditional_zeros(spec)
    batched, complete = _batched(spec, plan, rows, columns) if spec.batch is not None else (None, False)
    if complete:
        if columns == 1:
            return [[value] for value in batched]
        return [batched[row * columns:(row + 1) * columns] for row in range(rows)]
    result = []
    for row in range(rows):
        if batched is not None:
            done = batched[row * columns:(row + 1) * columns]
            if None not in done:
                result.append(done)
                continue
        line = []
        for column in range(columns):
            if batched is not None:
                value = batched[row * columns + column]
                if value is not None:
                    line.append(value)
                    continue
            # Blank: every range cell blank, or blank or 0 with one 0 that stands for a blank (a year 0).
            blank = True
            real_zero = zero_for_blank = False
            for (grid, by_row, by_column, _), zero_is_blank in ranges:
                cell = grid[row if by_row else 0][column if by_column else 0]
                if cell is None or cell == "":
                    continue
                if (type(cell) is int or type(cell) is float) and cell == 0:
                    if zero_is_blank:
                        zero_for_blank = True
                    else:
                        real_zero = True
                    continue
                blank = False
                break
            if blank and (zero_for_blank or not real_zero):
                line.append("")
                continue
            keywords = {}
            outcome = None
            for arg, code, payload in plan:
                if code == _CONSTANT:
                    keywords[arg.engine_name] = payload
                elif code == _RANGE:
                    grid, by_row, by_column, is_date = payload
                    cell = grid[row if by_row else 0][column if by_column else 0]
                    kind = type(cell)
                    if (kind is float or kind is int) and not is_date and not (
                            cell == 0 and arg.optional and arg.blank_zero is True):
                        keywords[arg.engine_name] = cell
                    elif kind is str and cell in EXCEL_ERRORS:
                        outcome = _error_cell_text(cell, arg)
                        break
                    else:
                        try:
                            keywords[arg.engine_name] = _read(arg, cell)
                        except InputError as error:
                            outcome = cell_message(error)
                            break
                elif code == _CONSTANT_ERROR_CELL:
                    outcome = _error_cell_text(payload, arg)
                    break
                else:
                    outcome = cell_message(payload)
                    break
            if outcome is None:
                if conditional:
                    _omit_impossible_zeros(conditional, keywords)
                try:
                    outcome = _finish(spec, engine(**keywords))
                except InputError as error:
                    cells = {}
                    for arg, code, payload in plan:
                        if code == _RANGE:
                            grid, by_row, by_column, _ = payload
                            cells[arg.engine_name] = grid[row if by_row else 0][column if by_column else 0]
                    outcome = cell_message(in_user_terms(spec, error, cells))
                else:
                    if type(outcome) is list:
                        outcome = f"#VALUE! {spec.name} returns a table here: call it with single cells to spill it"
            line.append(outcome)
        result.append(line)
    return result


def _batched(spec: Function, plan: list[tuple[Arg, int, Any]], rows: int, columns: int
             ) -> tuple[list[Any] | None, bool]:
    """The cell values of an array call from the function's batch engine, position by position (row-major),
    ``None`` where the ordinary per-cell path must decide (or None for the whole call), and whether every
    position has its value (no ``None``).

    The batch engine takes the engine's keywords, a list per range argument (one value per position) and the
    single cells as they are, and gives each position's result or ``None``: it handles the usual rows (plain
    valid numbers) with the scalar engine's arithmetic and leaves the rest to it. Only positions whose range
    cells are all plain numbers go to it: blanks, text, error cells, dates, linked types, a 0 that may stand
    for a blank, or a result that is not a finite number take the per-cell path, so every message and blank
    rule is the per-cell path's own (tests compare the two cell by cell).
    """
    if any(code != _CONSTANT and code != _RANGE for _, code, _ in plan):
        return None, False  # a single-cell argument that is an error: every position says so, per cell
    count = rows * columns
    keywords: dict[str, Any] = {}
    plain = [True] * count
    conditional = {arg.name for arg, _ in _conditional_zeros(spec)}
    for arg, code, payload in plan:
        if code == _CONSTANT:
            keywords[arg.engine_name] = payload
            continue
        grid, by_row, by_column, is_date = payload
        if is_date:
            return None, False
        if by_row and not by_column:
            try:
                values = [cell for cell, in grid]    # the usual one-column range (each row one cell)
            except ValueError:
                values = [line[0] for line in grid]
            if columns > 1:
                values = [value for value in values for _ in range(columns)]
        else:
            values = [grid[r if by_row else 0][c if by_column else 0] for r in range(rows) for c in range(columns)]
        keywords[arg.engine_name] = values
        zero_is_blank = arg.blank_zero is True or arg.name in conditional
        if set(map(type, values)) <= {float, int} and not (zero_is_blank and 0 in values):
            continue      # the usual column: plain numbers throughout (checked at C speed)
        for index, value in enumerate(values):
            kind = type(value)
            if not (kind is float or kind is int) or (zero_is_blank and value == 0):
                plain[index] = False
    if not any(plain):
        return None, False
    outcome = spec.batch_callable()(count, **keywords)
    everywhere = all(plain)
    if everywhere:
        # The usual outcome, checked at C speed: sum() refuses a None, and a NaN or infinity (or a sum too
        # large for a float) leaves total - total not 0; any of those takes the position-by-position check.
        try:
            total = sum(outcome)
        except TypeError:
            total = None
        if total is not None and total - total == 0.0:
            return outcome, True
    for index, value in enumerate(outcome):
        if value is None:
            continue
        if not (everywhere or plain[index]) or (type(value) is float and value - value != 0.0):
            outcome[index] = None
    return outcome, None not in outcome


def _error_cell_text(code: str, arg: Arg) -> str:
    # Text, not the error value: an error value inside a spill turns the whole spill into #VALUE!.
    return f"{code} ({arg.name} is an error cell)"


# ---------------------------------------------------------------------------------------------------------
# Helpers for docs and hosts


def excel_literal(value: Any) -> str:
    """How a Python value is typed in a formula: 2026, 0.1, "mfj", TRUE, DATE(2026,1,15).

    >>> [excel_literal(v) for v in (2026, 0.1, "mfj", True, dt.date(2026, 1, 15), 24500.0)]
    ['2026', '0.1', '"mfj"', 'TRUE', 'DATE(2026,1,15)', '24500']
    """
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.date):
        return f"DATE({value.year},{value.month},{value.day})"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    if value is None:
        return ""
    return repr(value)


REFERENCE_HEADER = ("function", "signature", "description", "example", "result", "citation")


def reference_rows() -> list[tuple[str, str, str, str, Any, str]]:
    """One row per function for a workbook's function-reference sheet (see ``REFERENCE_HEADER``).

    The example is the first (worked) example: its formula text and the value it returns (a table result is
    described, not inlined).

    >>> row = next(r for r in reference_rows() if r[0] == "MEGA_HEADROOM")
    >>> row[3], row[4]
    ('=MEGA_HEADROOM(2026, 35, 24500, 9000)', 38500.0)
    """
    rows = []
    for spec in functions().values():
        example = spec.examples[0]
        value = spec(*example.args)
        if isinstance(value, list):
            value = f"spills a {len(value)} x {len(value[0])} table"
        rows.append((spec.name, "=" + spec.signature(), spec.description, spec.formula(example.args), value,
                     spec.citation))
    return rows
