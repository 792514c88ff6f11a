"""Fixtures for the tailoring engine tests (pure functions: no servers needed)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from app.tailoring import LocalEngine

from .builders import EXPECTED_FIT

AS_OF = date(2025, 11, 15)


@pytest.fixture(scope="session")
def engine() -> LocalEngine:
    return LocalEngine(as_of=AS_OF)


@pytest.fixture(scope="session")
def truth() -> dict[str, dict[str, object]]:
    """Expected fits for the builder documents (builders.py), keyed like the truth file."""
    return {f"jobs/{job}.txt": {"expected_fit": fits} for job, fits in EXPECTED_FIT.items()}


@pytest.fixture(scope="session")
def samples_truth(samples_dir: Path) -> dict[str, dict[str, object]]:
    """The truth file of the parsed samples (tests/fixtures/samples)."""
    data = json.loads((samples_dir / "truth" / "expected.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def truth_pairs(truth: dict[str, dict[str, object]]) -> list[tuple[str, str, str]]:
    """(resume stem, job stem, expected fit) for every pair the truth file rates."""
    pairs: list[tuple[str, str, str]] = []
    for key, item in truth.items():
        if key.startswith("jobs/"):
            fits = item["expected_fit"]
            assert isinstance(fits, dict)
            job = key.removeprefix("jobs/").removesuffix(".txt")
            pairs.extend((resume, job, fit) for resume, fit in fits.items())
    return sorted(pairs)
