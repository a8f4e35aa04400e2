"""Fast construction for hot :class:`~megabackdoor._record.Record` results (conversion tax, earnings).

``Record.__init__`` is generic (a loop of ``object.__setattr__`` calls, 5-8 µs for a dozen fields on the
shared CI box), which alone would break the 10 µs budget of a tax call. :func:`builder` makes a sibling class
with the same slots whose generated ``__init__`` stores each field directly, then turns the instance into the
real record class (same slot layout, so ``__class__`` assignment is allowed): the result is an ordinary,
read-only record, built in about a fifth of the time.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

    from ._record import Record


def builder(record_class: type[Record]) -> Callable[..., Record]:
    """A positional constructor for ``record_class`` (all fields, in ``__slots__`` order).

    >>> from megabackdoor._record import Record
    >>> class Pair(Record):
    ...     __slots__ = ("left", "right")
    >>> make = builder(Pair)
    >>> p = make(1, 2)
    >>> p, type(p) is Pair, p == Pair(1, 2)
    (Pair(left=1, right=2), True, True)
    """
    names = record_class.__slots__
    for name in names:
        if not name.isidentifier():
            raise ValueError(f"bad field name {name!r}")
    body = "".join(f"    self.{name} = {name}\n" for name in names)
    source = f"def __init__(self, {', '.join(names)}):\n{body}    self.__class__ = record_class\n"
    scope: dict = {"record_class": record_class}
    exec(source, scope)  # field names are checked identifiers from the class's own __slots__
    base = record_class.__mro__[1]
    sibling = type(f"_{record_class.__name__}Builder", (base,),
                   {"__slots__": names, "__setattr__": object.__setattr__, "__init__": scope["__init__"]})
    return sibling
