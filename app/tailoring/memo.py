"""A small bounded cache for per-document work repeated across engine calls.

`plan`, `draft`, `cover_letter` and `evaluate` each need the same analyses of the same
documents; a worker usually calls them back to back. Keys are the documents' full `repr`
(dataclass reprs include every field), so a changed document is a new key and cached
results can never be stale. Values are treated as read-only by every caller.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class BoundedCache(Generic[V]):
    def __init__(self, size: int = 16) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, V] = OrderedDict()

    def get_or_create(self, key: Hashable, create: Callable[[], V]) -> V:
        if key in self._items:
            self._items.move_to_end(key)
            return self._items[key]
        value = create()
        self._items[key] = value
        if len(self._items) > self.size:
            self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        self._items.clear()
