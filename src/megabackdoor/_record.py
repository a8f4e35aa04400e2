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

    def __init_subclass__(cls, **kwargs) -> None:
        # A generated __init__ per record class: positional or keyword fields, each stored directly. A generic
        # loop over __slots__ cost 5-8 µs for a dozen fields, which alone broke the 10 µs budget of a tax call.
        super().__init_subclass__(**kwargs)
        names = cls.__slots__
        if not names:
            return
        for name in names:
            if not name.isidentifier():
                raise TypeError(f"bad field name {name!r} in {cls.__name__}")
        # Each field through its slot's own descriptor (what object.__setattr__ finds and calls for a slot): a
        # 16-field Paycheck row in 1.05 us instead of 1.75 (the paycheck table builds one per pay date).
        body = "".join(f"    _set_{name}(self, {name})\n" for name in names)
        scope = {f"_set_{name}": cls.__dict__[name].__set__ for name in names}
        exec(f"def __init__(self, {', '.join(names)}):\n{body}", scope)  # names are checked identifiers
        cls.__init__ = scope["__init__"]

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
