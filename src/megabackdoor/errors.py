"""The one exception type of megabackdoor.

Every bad input raises :class:`InputError`. It names the argument, the value received and what is
accepted, so the CLI can print it on one line and the Excel hosts can show it in a cell. ``kind`` says which
Excel error value fits: ``"value"`` (#VALUE!, wrong type), ``"num"`` (#NUM!, a number out of range) or
``"na"`` (#N/A, no data for the request).
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Literal

    ErrorKind = Literal["value", "num", "na"]

EXCEL_ERROR_BY_KIND: dict[str, str] = {"value": "#VALUE!", "num": "#NUM!", "na": "#N/A"}


class InputError(ValueError):
    """Bad input: names the argument, the value and what is accepted.

    >>> err = InputError("age", -3, "a whole number from 0 to 120", kind="num")
    >>> str(err)
    'age: got -3; expected a whole number from 0 to 120'
    >>> err.excel_error
    '#NUM!'
    """

    def __init__(
        self,
        argument: str,
        value: Any,
        accepted: str,
        *,
        kind: ErrorKind = "value",
        hint: str | None = None,
    ) -> None:
        self.argument = argument
        self.value = value
        self.accepted = accepted
        self.kind = kind
        self.hint = hint
        message = f"{argument}: got {_show(value)}; expected {accepted}"
        if hint:
            message += f" ({hint})"
        super().__init__(message)

    @property
    def excel_error(self) -> str:
        """The Excel error value that fits this error (#VALUE!, #NUM! or #N/A)."""
        return EXCEL_ERROR_BY_KIND[self.kind]


def _show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."
