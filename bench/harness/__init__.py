"""Shared parts of the benches that start the whole stack (not benches themselves: `make
bench` runs only bench/*.py)."""
