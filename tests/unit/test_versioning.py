"""The pure part of `accept`: a version built from the job's result and the choices."""

from __future__ import annotations

from datetime import date

import pytest

from app.tailoring import LocalEngine
from app.tailoring.acceptance import SectionChoice, section_keys
from app.tailoring.versioning import build_version
from tests.unit.tailoring.builders import alex_rivera, platform_job


def test_accepting_everything_keeps_the_tailored_draft() -> None:
    engine = LocalEngine(as_of=date(2025, 11, 15))
    original, posting = alex_rivera(), platform_job()
    tailored = engine.draft(original, posting, engine.plan(original, posting))
    build = build_version(original, posting, tailored, "Dear team,", None, engine=engine)
    assert build.markdown == tailored.to_markdown()
    assert build.content["cover_letter_markdown"] == "Dear team,"
    assert build.ats_score == build.content["ats"]["score"] > 0
    assert build.warnings == []


def test_rejecting_every_section_gives_back_the_original() -> None:
    engine = LocalEngine(as_of=date(2025, 11, 15))
    original, posting = alex_rivera(), platform_job()
    tailored = engine.draft(original, posting, engine.plan(original, posting))
    keep_all = [SectionChoice(key, accept=False) for key in section_keys(tailored.sections)]
    build = build_version(original, posting, tailored, "", keep_all, engine=engine)
    untouched = build_version(original, posting, tailored, "", keep_all, engine=engine)
    assert build == untouched  # deterministic
    assert build.markdown != tailored.to_markdown()
    assert build.markdown.startswith("# Alex Rivera")
    with pytest.raises(KeyError):
        build_version(original, posting, tailored, "", [SectionChoice("nope", True)])
