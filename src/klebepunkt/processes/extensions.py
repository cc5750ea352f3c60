"""Where other apps add to a process's numbers without the processes app importing them.

``extra_card_dots`` returns the dots that voting rounds contribute per card; it is
filled in by the voting app when it is installed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from klebepunkt.processes.models import Process

CardDotsProvider = Callable[["Process"], dict[int, int]]
_providers: list[CardDotsProvider] = []


def register_card_dots(provider: CardDotsProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def extra_card_dots(process: Process) -> dict[int, int]:
    total: dict[int, int] = {}
    for provider in _providers:
        for card_id, dots in provider(process).items():
            total[card_id] = total.get(card_id, 0) + dots
    return total
