"""Benchmarks (not tests): run a module with ``python -m klebepunkt.bench.<name>``."""
