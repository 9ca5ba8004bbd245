"""Benchmarks (not timed tests): `python -m bench registry`. See BENCHMARKS.md."""
