"""Sample processes shipped with klebepunkt; ``koblenz-2017`` is the reference case."""

from __future__ import annotations

from importlib import resources

from klebepunkt.domain.process import ProcessRecord
from klebepunkt.process_document import loads

SAMPLES: tuple[str, ...] = ("koblenz-2017",)


def sample_bytes(name: str) -> bytes:
    if name not in SAMPLES:
        raise KeyError(name)
    return resources.files(__package__).joinpath(f"{name}.json").read_bytes()


def load_sample(name: str) -> ProcessRecord:
    return loads(sample_bytes(name), f"{name}.json")
