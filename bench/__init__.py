"""Benchmarks of the service at scale (run with ``make bench``; not part of the tests)."""
