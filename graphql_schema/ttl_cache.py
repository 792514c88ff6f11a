"""A small cache for the fan-out's shared values (payloads, results, encoded data): each
entry lives a few seconds, long enough for one event to reach every socket."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

TTL_S = 3.0
MAX_ENTRIES = 20_000


class TtlCache(Generic[K, V]):
    """Insertion-ordered cache whose entries expire `ttl_s` after they were added."""

    def __init__(self, ttl_s: float = TTL_S, max_entries: int = MAX_ENTRIES) -> None:
        self.ttl_s = ttl_s
        self.max_entries = max_entries
        self._items: OrderedDict[K, tuple[float, V]] = OrderedDict()

    def get(self, key: K) -> V | None:
        item = self._items.get(key)
        if item is None or item[0] < time.monotonic():
            return None
        return item[1]

    def put(self, key: K, value: V) -> V:
        now = time.monotonic()
        self._items[key] = (now + self.ttl_s, value)
        self._items.move_to_end(key)
        while self._items:
            oldest_key, (expires, _) = next(iter(self._items.items()))
            if expires >= now and len(self._items) <= self.max_entries:
                break
            del self._items[oldest_key]
        return value

    def __len__(self) -> int:
        return len(self._items)
