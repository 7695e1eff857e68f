"""Thin FastAPI routers; the work happens in the domain modules."""
