"""Benchmarks, run by hand as modules; pytest does not collect them (bench_*.py)."""
