from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from klebepunkt.monitoring import selectors
from klebepunkt.processes.models import Card, Goal

BERLIN = ZoneInfo("Europe/Berlin")

FACHKRAEFTE = "Es werden Menschen für Pflegeberufe gewonnen (Fachkräfteakquise)"
WOHNRAUM = "In Koblenz wird genügend Wohnraum zur Verfügung gestellt"
IMAGEKAMPAGNE = "Imagekampagne für Pflegeberufe"
FLAECHEN = "Stadt kauft Flächen mit dem Ziel einer langfristigen Wohnbauflächenentwicklung"


def at(year: int, month: int, day: int, hour: int = 12) -> datetime:
    return datetime(year, month, day, hour, tzinfo=BERLIN)


@pytest.fixture
def goal(koblenz) -> Goal:
    """The first priority of the Koblenz sample (Pflege, Fachkräfteakquise, 6 points)."""
    return Goal.objects.get(theme_field__process=koblenz, text=FACHKRAEFTE)


@pytest.fixture
def housing(koblenz) -> Goal:
    return Goal.objects.get(theme_field__process=koblenz, text=WOHNRAUM)


@pytest.fixture
def campaign(koblenz) -> Card:
    """A card of the first priority."""
    return Card.objects.get(theme_field__process=koblenz, text=IMAGEKAMPAGNE)


@pytest.fixture
def land(koblenz) -> Card:
    return Card.objects.get(theme_field__process=koblenz, text__startswith=FLAECHEN)


def monitoring(process):
    return selectors.monitoring_of(process)
