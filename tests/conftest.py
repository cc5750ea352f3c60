from __future__ import annotations

from pathlib import Path

import pytest
import yaml

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="session")
def koblenz_expected() -> dict:
    """The ``expected:`` block of the seed's transcription."""
    return yaml.safe_load((FIXTURES / "koblenz-2017.yaml").read_text(encoding="utf-8"))["expected"]


@pytest.fixture(scope="session")
def koblenz_seed() -> dict:
    return yaml.safe_load((FIXTURES / "koblenz-2017.yaml").read_text(encoding="utf-8"))
