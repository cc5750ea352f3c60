"""A thread-safe least-recently-used map, bounded by a budget: the in-process store of the
board's rendered fragments (bounded in characters) and of recent analysis results (bounded
in entries)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Generic, TypeVar

V = TypeVar("V")


def _one(_value: object) -> int:
    return 1


class Lru(Generic[V]):
    """Values by key; when their total ``size`` exceeds ``budget``, the least recently used
    go first."""

    def __init__(self, budget: int, size: Callable[[V], int] = _one) -> None:
        self._budget = budget
        self._size_of = size
        self._lock = threading.Lock()
        self._items: OrderedDict[str, V] = OrderedDict()
        self._size = 0

    def get(self, key: str) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: str, value: V) -> None:
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._size -= self._size_of(old)
            self._items[key] = value
            self._size += self._size_of(value)
            while self._size > self._budget and self._items:
                _, dropped = self._items.popitem(last=False)
                self._size -= self._size_of(dropped)

    def __len__(self) -> int:
        return len(self._items)
