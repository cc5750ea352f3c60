"""Results of the pure analyses (evaluation, analysis, look-alike cards, goal suggestions)
kept in the shared cache (Redis when configured, else the database), keyed by their inputs.

The key is a digest of everything the computation reads (the tally, the rules, the
ballots), so a result can never be stale: any write that changes an input changes the
key, whichever service, import or command made it, and the next request computes anew.
Reading the inputs costs a few queries; the computation they save costs ten times more
for a big process. Old entries simply expire.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.cache import cache

T = TypeVar("T")

PREFIX = "memo:v1:"
TIMEOUT = 24 * 3600  # seconds an unused result is kept
_MISSING = object()


def digest(*inputs: Any) -> str:
    """A digest of picklable values (domain values are frozen dataclasses and tuples)."""
    return hashlib.sha256(pickle.dumps(inputs, protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()


def remembered(kind: str, inputs: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """``compute()``'s result for these inputs: from the cache, or computed and kept.

    ``compute`` must be a pure function of ``inputs`` (it may close over them).
    """
    key = f"{PREFIX}{kind}:{digest(*inputs)}"
    found = cache.get(key, _MISSING)
    if found is not _MISSING:
        return found  # type: ignore[no-any-return]
    result = compute()
    cache.set(key, result, timeout=TIMEOUT)
    return result
