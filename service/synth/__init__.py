"""Deterministic synthetic data: the real graph extended to the whole country."""
