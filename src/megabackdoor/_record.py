"""A tiny immutable record type for engine results.

The core avoids ``dataclasses`` and ``typing`` at import time (together ~25 ms here, more than the whole
engine), so results are slotted classes built on this base: fields are listed in ``__slots__``.
"""

from __future__ import annotations


class Record:
    """Base for result records: positional or keyword construction, ``to_dict``, equality and repr.

    >>> class Pair(Record):
    ...     __slots__ = ("left", "right")
    >>> p = Pair(1, right=2)
    >>> p, p.to_dict(), p == Pair(1, 2)
    (Pair(left=1, right=2), {'left': 1, 'right': 2}, True)
    """

    __slots__ = ()

    def __init__(self, *args, **kwargs) -> None:
        names = self.__slots__
        if len(args) > len(names):
            raise TypeError(f"{type(self).__name__} takes {len(names)} fields")
        for name, value in zip(names, args, strict=False):
            object.__setattr__(self, name, value)
        for name in names[len(args):]:
            if name not in kwargs:
                raise TypeError(f"{type(self).__name__} is missing field {name!r}")
            object.__setattr__(self, name, kwargs.pop(name))
        if kwargs:
            raise TypeError(f"{type(self).__name__} has no field {next(iter(kwargs))!r}")

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def to_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__slots__}

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and self.to_dict() == other.to_dict()

    def __hash__(self) -> int:
        return hash((type(self).__name__, *(repr(getattr(self, n)) for n in self.__slots__)))

    def __repr__(self) -> str:
        inside = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{type(self).__name__}({inside})"
