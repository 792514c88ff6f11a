from __future__ import annotations

import copy

from app.documents.models import SectionKind
from app.tailoring import (
    ChangeType,
    LocalEngine,
    SectionDiff,
    Strategy,
    TailoredLine,
    diff_sections,
    guard,
)
from app.tailoring.layout import original_as_tailored
from app.tailoring.types import LineRole

from .builders import alex_rivera, analytics_job, platform_job, priya_nair


def changes(diffs: list[SectionDiff]) -> dict[SectionKind, ChangeType]:
    return {d.kind: d.change for d in diffs}


def test_identical_resume_is_unchanged_everywhere() -> None:
    resume = alex_rivera()
    diffs = diff_sections(resume, original_as_tailored(resume))
    assert set(changes(diffs).values()) == {ChangeType.UNCHANGED}
    experience = next(d for d in diffs if d.kind is SectionKind.EXPERIENCE)
    assert experience.before == experience.after


def test_reordered_bullets_and_moved_sections(engine: LocalEngine) -> None:
    resume, job = alex_rivera(), platform_job()
    tailored = engine.draft(resume, job, engine.plan(resume, job), Strategy.CONSERVATIVE)
    result = changes(diff_sections(resume, tailored))
    assert result[SectionKind.EXPERIENCE] is ChangeType.REORDERED  # bullets moved
    assert result[SectionKind.SKILLS] is ChangeType.REWRITTEN  # items put in posting order
    assert result[SectionKind.SUMMARY] is ChangeType.REWRITTEN  # the targeted summary
    assert result[SectionKind.CONTACT] is ChangeType.UNCHANGED


def test_rewritten_and_added_sections(engine: LocalEngine) -> None:
    resume, job = priya_nair(), analytics_job()  # Priya has no summary section
    tailored = engine.draft(resume, job, engine.plan(resume, job), Strategy.DEFAULT)
    diffs = diff_sections(resume, tailored)
    result = changes(diffs)
    assert result[SectionKind.SUMMARY] is ChangeType.ADDED
    assert result[SectionKind.SKILLS] is ChangeType.REWRITTEN
    summary = next(d for d in diffs if d.kind is SectionKind.SUMMARY)
    assert summary.before == [] and summary.position_before is None
    assert summary.after and summary.after[0].startswith("Data Scientist")


def test_removed_section_and_warnings_attached() -> None:
    resume = alex_rivera()
    tailored = original_as_tailored(resume)
    tailored.sections = [s for s in tailored.sections if s.kind is not SectionKind.EDUCATION]
    skills = tailored.section(SectionKind.SKILLS)
    assert skills is not None
    skills.lines = [TailoredLine(skills.lines[0].text + ", Rust", ["L23"], LineRole.SKILLS)]
    checked = guard(resume, copy.deepcopy(tailored))
    diffs = diff_sections(resume, checked.resume, checked.warnings)
    result = changes(diffs)
    assert result[SectionKind.EDUCATION] is ChangeType.REMOVED
    skills_diff = next(d for d in diffs if d.kind is SectionKind.SKILLS)
    assert [w.code for w in skills_diff.warnings] == ["NEW_SKILL"]
    assert skills_diff.change is ChangeType.UNCHANGED  # the guard removed the addition


def test_left_out_lines_are_listed_in_the_diff(engine: LocalEngine) -> None:
    resume, job = alex_rivera(), platform_job()
    tailored = engine.draft(resume, job, engine.plan(resume, job), Strategy.DEFAULT)
    evaluation = engine.evaluate(resume, job, tailored)
    summary = next(d for d in evaluation.diff if d.kind is SectionKind.SUMMARY)
    original_summary = resume.section(SectionKind.SUMMARY)
    assert original_summary is not None
    kept = " ".join(summary.after)
    for line in original_summary.lines:
        if line.text.strip() and line.text not in kept:
            assert line.text in summary.left_out  # replaced, and said so
    texts = {ln.text for ln in evaluation.resume.all_lines()}
    for diff in evaluation.diff:
        for text in diff.left_out:
            assert text not in texts
