"""Read the corpus specs, which are plain data kept as JSON under `specs/`.

JSON has no tuples: a posting's sections, items and requirements are written as arrays
and read back as the tuples the renderers and truth writer take.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

Spec = dict[str, Any]
SPECS_DIR = Path(__file__).resolve().parent / "specs"


def resume_specs(name: str) -> list[Spec]:
    specs: list[Spec] = json.loads((SPECS_DIR / name).read_text(encoding="utf-8"))
    return specs


def posting_specs(name: str) -> list[Spec]:
    specs: list[Spec] = json.loads((SPECS_DIR / name).read_text(encoding="utf-8"))
    for spec in specs:
        spec["sections"] = [
            (heading, kind, [(text, [tuple(r) for r in reqs]) for text, reqs in items])
            for heading, kind, items in spec["sections"]
        ]
    return specs
