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


def _bug_text(spec: registry.Function, error: Exception) -> str:
    return (f"#VALUE! {spec.name} failed ({type(error).__name__}: {error}); please report it with the "
            "arguments used")


def _dispatch(spec: registry.Function, args: tuple) -> Any:
    """Run one worksheet call and map bad input to the host's error display (see the module docstring)."""
    try:
        return registry.call(spec, args)
    except InputError as error:
        if HOST != "officejs":
            return registry.cell_message(error)
        if OFFICEJS_ERRORS == "typed":
            return error.excel_error  # xlwings turns the exact string into Excel's error value
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
    return xw.func(category=CATEGORY)(function)


_SPECS = registry.functions()
# One compile for all wrappers (the generated source is what classic xlwings' VBA wrapper mirrors).
exec(compile("\n".join(wrapper_source(s) for s in _SPECS.values()), "<megabackdoor.udfs wrappers>", "exec"))
for _spec in _SPECS.values():
    globals()[_spec.name] = _decorate(_spec, globals()[_spec.name])
del _spec

__all__ = list(_SPECS)
