"""The guard on its fixture set: every truthful rewrite passes, every fabrication is caught
(bench/guard.py prints the same set as precision/recall)."""

from __future__ import annotations

import pytest

from .guard_cases import GuardCase, findings, load_cases

CASES = load_cases()


def test_fixture_set_covers_every_kind() -> None:
    kinds = {c.kind for c in CASES}
    expected = {"employer", "title", "school", "degree", "date", "number", "certification"}
    assert expected | {"skill", "attribution", "truthful"} <= kinds
    assert sum(not c.fabricated for c in CASES) >= 60
    assert sum(c.fabricated for c in CASES) >= 60


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_guard_judges_case(case: GuardCase) -> None:
    found = findings(case)
    if case.fabricated:
        assert found, f"fabrication passed: {case.text}"
    else:
        assert not found, [(w.code, w.text) for w in found]
