from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.fixtures.make_samples import samples_root

# The project's own samples (tests/fixtures/samples), with the DOCX and PDF generated once per
# process; module-level because test modules parametrize over them at collection time.
SAMPLES = samples_root()


@pytest.fixture(scope="session")
def truth(samples_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((samples_dir / "truth" / "expected.json").read_text())
    return data
