"""megabackdoor's Excel worksheet functions, for every xlwings host: one module, generated from the registry.

* classic xlwings (Windows): set **UDF Modules** to ``megabackdoor.udfs`` and click *Import Functions*;
* xlwings Lite: add ``megabackdoor`` to ``requirements.txt`` and ``from megabackdoor.udfs import *`` to
  ``main.py``;
* xlwings Server: ``from megabackdoor.udfs import *`` in ``custom_functions/__init__.py``.

Each function of :mod:`megabackdoor.excel.registry` becomes a real module-level function with a real
signature (classic xlwings writes a VBA wrapper from it, so no keyword-only arguments and no ``*args``):
the wrapper source is generated from the spec (:func:`wrapper_source`) and decorated with the options that
every host understands: ``@xw.func``, and ``@xw.arg(name, ndim=2, err_to_str=True, doc=help)`` per argument
(``ndim=2`` so a range always arrives as rows; ``err_to_str`` so an error cell is told apart from a blank).
A spec added to the registry appears on every host with no change here.

Errors. A bad input gives the engine's :class:`~megabackdoor.errors.InputError` message, never a traceback:

* on Office.js hosts (Lite, Server) a one-cell call raises ``xw.XlwingsError`` with the text
  ``"#NUM! plan_cap: got 10; expected ..."``: Excel shows ``#VALUE!`` and the message on hover (xlwings'
  JavaScript raises ``CustomFunctions.Error(invalidValue, message)``; Excel itself accepts no custom message
  on ``#NUM!``, per Microsoft's ``CustomFunctions.ErrorCode`` reference, and xlwings offers none for
  ``#N/A``). Set ``MEGABACKDOOR_OFFICEJS_ERRORS=typed`` before the import to get the real
  ``#NUM!``/``#N/A``/``#VALUE!`` value instead, without the message.
* on classic xlwings (which can only show a traceback or text, xlwings #776, #1108) the cell shows the same
  text, ``"#NUM! plan_cap: ..."`` (``ISTEXT`` is TRUE, ``ISERROR`` is not).
* inside a spilled array the bad position holds that text on every host.
"""

from __future__ import annotations

import os
import sys
from itertools import chain

import xlwings as xw

from .errors import InputError
from .excel import registry

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

# Which decorators xlwings bound at its import: Office.js (XLWINGS_ON_SERVER=true: Lite and Server), classic
# (Windows + pywin32), or no-ops (macOS/Linux, plain Python use). Decided once, here.
HOST = {"xlwings.pro.udfs_officejs": "officejs", "xlwings.udfs": "classic"}.get(
    getattr(xw.func, "__module__", ""), "python")
OFFICEJS_ERRORS = os.environ.get("MEGABACKDOOR_OFFICEJS_ERRORS", "message").strip().lower()
CATEGORY = "megabackdoor"
# Pyodide (xlwings Lite, xlwings Server's Wasm mode): the request reaches Python as a JavaScript object, so an
# error cell arrives as Pyodide's JsException around Excel's CustomFunctions.Error, not as {"type": "Error"}.
WASM = sys.platform == "emscripten"


def _js_error_code(error: BaseException) -> str:
    """The Excel error code of an error cell that arrived as a JavaScript error object (Wasm)."""
    js_error = getattr(error, "js_error", None)
    code = getattr(js_error, "code", None)
    if isinstance(code, str) and code in registry.EXCEL_ERRORS:
        return code
    text = str(error)
    return next((c for c in registry.EXCEL_ERRORS if c in text), "#VALUE!")


# Cell types that are never an error cell (nor a nested list): an argument holding only these passes unchanged.
_PLAIN_CELL_TYPES = frozenset({float, int, str, bool, type(None)})


def _has_only_plain_cells(value: Any) -> bool:
    """Whether ``value`` (a cell, or a 2-D list as ``ndim=2`` gives) holds no error cell: one pass over the cells'
    types in C (a 1,000-row spill's three columns took 1.5 ms of Python calls per cell to rebuild unchanged)."""
    if type(value) is not list:
        return type(value) in _PLAIN_CELL_TYPES
    if not set(map(type, value)) <= {list}:
        return False
    return set(map(type, chain.from_iterable(value))) <= _PLAIN_CELL_TYPES


def _plain_error_cells(args: tuple) -> tuple:
    # Only on Wasm: each JsException (an error cell) becomes its code, as xlwings' err_to_str gives elsewhere.
    if all(map(_has_only_plain_cells, args)):
        return args

    def plain(value: Any) -> Any:
        if isinstance(value, BaseException):
            return _js_error_code(value)
        if type(value) is list:
            return [plain(v) for v in value]
        return value
    return tuple(plain(a) for a in args)


class ErrorCell(str):
    """A single-cell error value (an error cell passed on, or a typed-mode error) with what to say instead
    where Excel has no error values to return."""

    argument = ""
    text = ""

    def message(self) -> str:
        return self.text or f"{self} {self.argument}: got an error cell ({self})"


def _error_cell(spec: registry.Function, args: tuple, code: str) -> ErrorCell:
    result = ErrorCell(code)
    for arg, value in zip(spec.args, args, strict=False):
        while type(value) is list and value:
            value = value[0]
        if value == code:
            result.argument = arg.name
            break
    return result


if HOST == "officejs":
    from xlwings.conversion import Converter, accessors

    class OfficeJsResult(Converter):
        """Return converter on Office.js: an error value (an error cell passed on, a typed-mode error) stays
        Excel's error value where the runtime has error values (CustomFunctionsRuntime 1.4+); before that
        xlwings would write it as mere text ("#N/A"), so it becomes #VALUE! with the message."""

        @staticmethod
        def write_value(value: Any, options: dict) -> Any:
            if isinstance(value, ErrorCell) and float(options.get("runtime") or "1.4") < 1.4:
                raise xw.XlwingsError(value.message())
            return value

        @classmethod
        def writer(cls, options: dict) -> Any:
            # A runtime with error values needs no stage: xlwings' own converter stage would inspect
            # write_value (inspect.iscoroutinefunction) on every call, a tenth of a one-cell call's time.
            # (ValueAccessor's writer, as base_writer finds it, with no lookups per call)
            if float(options.get("runtime") or "1.4") >= 1.4:
                return _value_writer(options)
            return _value_writer(options).prepend_stage(_OldRuntimeStage(options))

    # The writer OfficeJsResult's base_writer returns (it has no base and no base_type: accessors[None]).
    _value_writer = accessors[OfficeJsResult.base_type].writer

    class _OldRuntimeStage:
        """The write stage before CustomFunctionsRuntime 1.4 (synchronous, so xlwings calls it directly)."""

        __slots__ = ("options",)

        def __init__(self, options: dict) -> None:
            self.options = options

        def __call__(self, context: Any) -> None:
            context.value = OfficeJsResult.write_value(context.value, self.options)


def _bug_text(spec: registry.Function, error: Exception) -> str:
    return (f"#VALUE! {spec.name} failed ({type(error).__name__}: {error}); please report it with the "
            "arguments used")


def _dispatch(spec: registry.Function, args: tuple) -> Any:
    """Run one worksheet call and map bad input to the host's error display (see the module docstring)."""
    try:
        if WASM:
            # The usual calls (one plain cell per argument, or columns of plain numbers: no error cell among
            # them) need no error-cell pass; anything else takes it, then the general call.
            result = _fast_call(spec, args)
            if result is _NOT_FAST:
                args = _plain_error_cells(args)
                result = _call(spec, args)
        else:
            result = _call(spec, args)
        if HOST == "officejs" and type(result) is str and result in registry.EXCEL_ERRORS:
            return _error_cell(spec, args, result)
        return result
    except InputError as error:
        if HOST != "officejs":
            return registry.cell_message(error)
        if OFFICEJS_ERRORS == "typed":
            typed = ErrorCell(error.excel_error)  # xlwings turns the exact string into Excel's error value
            typed.text = registry.cell_message(error)
            return typed
        raise xw.XlwingsError(registry.cell_message(error)) from None
    except Exception as error:  # a bug: still no traceback in a cell
        if HOST != "officejs":
            return _bug_text(spec, error)
        raise xw.XlwingsError(_bug_text(spec, error)) from None


def wrapper_source(spec: registry.Function) -> str:
    """The Python source of one host function: positional parameters, optional ones defaulting to None.

    >>> print(wrapper_source(registry.get("CATCHUP_LIMIT")))
    def CATCHUP_LIMIT(year, age):
        return _dispatch(_SPECS['CATCHUP_LIMIT'], (year, age))
    <BLANKLINE>
    """
    params = ", ".join(f"{a.name}=None" if a.optional else a.name for a in spec.args)
    packed = ", ".join(a.name for a in spec.args) + ("," if len(spec.args) == 1 else "")
    return f"def {spec.name}({params}):\n    return _dispatch(_SPECS[{spec.name!r}], ({packed}))\n"


def _decorate(spec: registry.Function, function: Any) -> Any:
    function.__doc__ = spec.description
    function.__module__ = __name__
    for arg in reversed(spec.args):
        function = xw.arg(arg.name, ndim=2, err_to_str=True, doc=arg.help)(function)
    if HOST == "officejs":
        function = xw.ret(convert=OfficeJsResult)(function)
    return xw.func(category=CATEGORY)(function)


_call = registry.call
_fast_call = registry.fast_call
_NOT_FAST = registry._NOT_SINGLE
_SPECS = registry.functions()
# One compile for all wrappers (the generated source is what classic xlwings' VBA wrapper mirrors).
exec(compile("\n".join(wrapper_source(s) for s in _SPECS.values()), "<megabackdoor.udfs wrappers>", "exec"))
for _spec in _SPECS.values():
    globals()[_spec.name] = _decorate(_spec, globals()[_spec.name])
del _spec

__all__ = list(_SPECS)
