"""Results of the pure analyses (evaluation, analysis, look-alike cards, goal suggestions)
kept in the shared cache (Redis when configured, else the database), keyed by their inputs.

The key is a digest of everything the computation reads (the tally, the rules, the
ballots), so a result can never be stale: any write that changes an input changes the
key, whichever service, import or command made it, and the next request computes anew.
Reading the inputs costs a few queries; the computation they save costs ten times more
for a big process. Old entries simply expire.

The last results a process used are also kept in its own memory under the same key (the
shared cache's copy has to be unpickled on every request: for a 1,000-card evaluation that
is a tenth of the board's time). Results are frozen values, safe to share between threads.

The results are the domain's own classes, pickled, and computed by its code: the key also
holds a digest of the domain's source (``CODE``). A server with other code (after an upgrade,
or beside an older one in a rolling deploy) neither reads a result of another shape — a
pickled object lacking an attribute the new code reads fails only when it is read, and the
board answered 500 until the entry expired — nor one its code would compute otherwise.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

from django.core.cache import cache

from klebepunkt.processes.lru import Lru

T = TypeVar("T")


def code_digest(package: Path) -> str:
    """A digest of the Python source of a package (its modules, subpackages included)."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        source = path.read_bytes()
        digest.update(f"{path.relative_to(package).as_posix()}:{len(source)}:".encode())
        digest.update(source)
    return digest.hexdigest()[:16]


CODE = code_digest(Path(str(resources.files("klebepunkt.domain"))))
PREFIX = f"memo:v1:{CODE}:"
TIMEOUT = 24 * 3600  # seconds an unused result is kept
_MISSING = object()
LOCAL_SIZE = 32  # results kept in this process's memory, the least recently used go first
_local: Lru[Any] = Lru(LOCAL_SIZE)


def digest(*inputs: Any) -> str:
    """A digest of picklable values (domain values are frozen dataclasses and tuples)."""
    return hashlib.sha256(pickle.dumps(inputs, protocol=pickle.HIGHEST_PROTOCOL)).hexdigest()


def remembered(kind: str, inputs: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """``compute()``'s result for these inputs: from the cache, or computed and kept.

    ``compute`` must be a pure function of ``inputs`` (it may close over them).
    """
    key = f"{PREFIX}{kind}:{digest(*inputs)}"
    found = _local.get(key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    found = cache.get(key, _MISSING)
    if found is _MISSING:
        found = compute()
        cache.set(key, found, timeout=TIMEOUT)
    _local.put(key, found)
    return found
