"""Work done once for the very same objects: a cohort's letters share most of their steps.

``explain_rows`` hands every child of a cohort the same step object wherever their figures
are the same (``trace.Steps``), so what a letter makes of a step (a table, a paragraph) can be
made once for that object and reused by every child who has it. Identity, not equality: hashing
a step by value costs about as much as reading it again.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

__all__ = ["ByIdentity"]

V = TypeVar("V")


class ByIdentity(Generic[V]):
    """Values made once for each tuple of objects (and a hashable extra), by the objects' ids.

    Each entry keeps its objects alive, so no other object can take one of their ids while the
    entry lives: a hit is always for the very same objects. It empties when it reaches
    ``bound``.
    """

    __slots__ = ("_bound", "_entries")

    def __init__(self, bound: int = 65_536) -> None:
        self._bound = bound
        self._entries: dict[tuple[Hashable, ...], tuple[tuple[object, ...], V]] = {}

    def get(self, objects: tuple[object, ...], extra: Hashable, make: Callable[[], V]) -> V:
        """The value for these objects and extra: made by ``make()`` the first time."""
        key = (extra, *map(id, objects))
        found = self._entries.get(key)
        if found is not None:
            return found[1]
        if len(self._entries) >= self._bound:
            self._entries.clear()
        value = make()
        self._entries[key] = (objects, value)
        return value
