"""Benchmarks and validation scripts (run from the repository root with ``python -m``)."""
