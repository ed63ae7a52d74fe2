"""The base of the engine's mutable records (findings, analyses, settings ...).

The records ``promptcoach check`` imports are not dataclasses, which are slow to create:
making a frozen one compiles six methods, about a millisecond at import, and
``dataclasses`` imports ``inspect``. Immutable records are ``typing.NamedTuple`` classes;
those changed after they are made, or with a mutable default, are plain classes with
``__slots__``, a hand-written ``__init__`` and :class:`Record` below.
"""

from __future__ import annotations

from typing import Any, ClassVar


class Record:
    """Compared like a dataclass (same class and equal fields) and shown by the fields
    named in ``_fields``; unhashable unless a subclass defines ``__hash__``."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()  # compared and shown, in this order

    def _values(self) -> tuple[Any, ...]:
        return tuple([getattr(self, name) for name in self._fields])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Record) or other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{self.__class__.__qualname__}({shown})"
