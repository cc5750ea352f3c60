"""Benchmarks, run by hand (``python -m klebepunkt.bench.<name>``); never part of the tests."""
