"""Helper for word-list constants written as readable multi-line strings."""

from __future__ import annotations


def wordset(text: str) -> frozenset[str]:
    """Whitespace-separated words of `text` as a frozenset."""
    return frozenset(text.split())
