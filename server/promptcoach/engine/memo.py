"""Values worked out once per knowledge object (a category, a detail).

Knowledge objects are named tuples, slow to hash (a category, with its dict of
signals, cannot be), so memos key them by identity and keep the object beside its
value (an id can be reused once the object is gone). A reloaded knowledge base
brings new objects; so that old ones are not kept alive for ever, a memo starts
afresh once it holds ``limit`` entries.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

V = TypeVar("V")


class IdentityMemo(Generic[V]):
    __slots__ = ("_entries", "limit")

    def __init__(self, limit: int = 1024) -> None:
        self._entries: dict[int, tuple[Any, V]] = {}
        self.limit = limit

    def get(self, key: Any, make: Callable[[Any], V]) -> V:
        """The value for object ``key``: ``make(key)`` the first time."""
        entry = self._entries.get(id(key))
        if entry is not None and entry[0] is key:
            return entry[1]
        value = make(key)
        if len(self._entries) >= self.limit:
            self._entries.clear()
        self._entries[id(key)] = (key, value)
        return value

    def __len__(self) -> int:
        return len(self._entries)
