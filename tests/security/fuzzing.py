"""How hard the fuzz tests try: a few thousand cases per run by default, ten times more nightly.

``./run test`` and CI (``CI=true``, where hypothesis derandomises) run the default
counts, a few seconds per target. ``KLEBEPUNKT_FUZZ=nightly`` multiplies every
count by ten and draws fresh random cases each time.

Each fuzz test passes its own count to :func:`fuzz`; ``CASES`` records them, so that
the total can be checked to stay in the low thousands.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis._settings import is_in_ci

NIGHTLY = os.environ.get("KLEBEPUNKT_FUZZ", "").strip().lower() == "nightly"
FACTOR = 10 if NIGHTLY else 1

_QUIET = [
    HealthCheck.function_scoped_fixture,  # each case cleans up after itself
    HealthCheck.too_slow,
    HealthCheck.data_too_large,
    HealthCheck.filter_too_much,
    HealthCheck.large_base_example,
]

settings.register_profile(
    "klebepunkt-fuzz",
    parent=settings.get_profile("ci" if is_in_ci() else "default"),
    deadline=None,
    suppress_health_check=_QUIET,
    print_blob=True,
)
settings.register_profile(
    "klebepunkt-fuzz-nightly",
    parent=settings.get_profile("klebepunkt-fuzz"),
    derandomize=False,  # new cases every night
)
PROFILE = settings.get_profile("klebepunkt-fuzz-nightly" if NIGHTLY else "klebepunkt-fuzz")

CASES: dict[str, tuple[int, int]] = {}  # target → (cases per default run, requests per case)


def fuzz(target: str, cases: int, *, each: int = 1) -> settings:
    """The settings of one fuzz target: ``cases`` per default run, ten times that nightly.

    ``each``: how many requests one case makes (one random form, posted to every route).
    """
    CASES[target] = (cases, each)
    return settings(PROFILE, max_examples=cases * FACTOR)
