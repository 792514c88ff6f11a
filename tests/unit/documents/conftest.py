from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

# The shared samples live next to the repository checkout: <parent>/shared/samples.
SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "samples"


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    assert SAMPLES.is_dir(), f"shared samples not found at {SAMPLES}"
    return SAMPLES


@pytest.fixture(scope="session")
def truth(samples_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((samples_dir / "truth" / "expected.json").read_text())
    return data
