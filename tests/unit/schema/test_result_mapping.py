"""Stored artifacts read as typed results: real engine output maps field for field, the
diff's section keys are the keys `accept` uses, and unknown or missing keys never break a
read."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.documents import parse_job_posting, parse_resume
from app.tailoring.acceptance import section_keys
from app.tailoring.engine import LocalEngine
from app.tailoring.types import ChangeType, Fit, Importance, MatchStatus, Strategy
from graphql_schema.types.artifacts import FormData, InterviewPrep, parse_diff
from graphql_schema.types.results import AtsReport, Notice, Plan, TailoredSection, unique

SAMPLES = Path(__file__).resolve().parents[2] / "fixtures" / "samples"


@pytest.fixture(scope="module")
def produced() -> dict[str, object]:
    resume = parse_resume((SAMPLES / "resumes" / "jonah-brandt-backend.md").read_bytes(), "r.md")
    job = parse_job_posting((SAMPLES / "jobs" / "infrastructure-engineer-keelson.txt").read_text())
    engine = LocalEngine()
    plan = engine.plan(resume, job)
    draft = engine.draft(resume, job, plan, Strategy.DEFAULT)
    evaluation = engine.evaluate(resume, job, draft)
    return {
        "plan": plan,
        "evaluation": evaluation,
        "interview": engine.interview_prep(resume, job, plan),
        "form": engine.form_data(resume),
    }


def test_ats_report_and_plan_map_every_field(produced: dict[str, object]) -> None:
    evaluation = produced["evaluation"]
    stored = evaluation.to_dict()  # type: ignore[attr-defined]
    report = AtsReport.parse(stored["before"])
    assert report is not None
    assert report.score == evaluation.before.score  # type: ignore[attr-defined]
    assert report.fit is evaluation.before.fit  # type: ignore[attr-defined]
    assert [r.label for r in report.requirements] == [
        r.label
        for r in evaluation.before.requirements  # type: ignore[attr-defined]
    ]
    assert all(isinstance(r.status, MatchStatus) for r in report.requirements)
    plan = Plan.parse(produced["plan"].to_dict())  # type: ignore[attr-defined]
    assert plan is not None and plan.summary and plan.ats is not None
    assert all(isinstance(g.importance, Importance) for g in plan.gaps)


def test_diff_keys_are_the_keys_accept_takes(produced: dict[str, object]) -> None:
    evaluation = produced["evaluation"]
    diff = parse_diff(evaluation.to_dict()["diff"])  # type: ignore[attr-defined]
    expected = section_keys(evaluation.resume.sections)  # type: ignore[attr-defined]
    present = [d.section for d in diff if d.position_after is not None]
    assert present == expected
    assert all(isinstance(d.change, ChangeType) for d in diff)
    sections = TailoredSection.many(evaluation.resume)  # type: ignore[attr-defined]
    assert [s.section for s in sections] == expected


def test_repeated_and_removed_sections_are_numbered_like_accept() -> None:
    entries = [
        {"kind": "other", "heading": "Talks", "position_before": 3, "position_after": 2},
        {"kind": "summary", "heading": "Summary", "position_before": 0, "position_after": 0},
        {"kind": "other", "heading": "Awards", "position_before": 4, "position_after": 3},
        {"kind": "projects", "heading": "Projects", "position_before": 2, "position_after": None},
        {"kind": "other", "heading": "Press", "position_before": None, "position_after": 1},
    ]
    keys = [d.section for d in parse_diff(entries)]
    # by tailored position: Press (1) is the first 'other', Talks the second, Awards the third
    assert keys == ["other:2", "summary", "other:3", "projects", "other"]


def test_reads_tolerate_unknown_missing_and_odd_values() -> None:
    report = AtsReport.parse({"score": 71.6, "fit": "superb", "new_key": [1, 2], "matched": None})
    assert report is not None and report.score == 71 and report.fit is Fit.POOR
    assert report.matched == [] and report.components == []
    assert AtsReport.parse(None) is None and Plan.parse("not a dict") is None
    diff = parse_diff([{"kind": "hobbies", "change": "exploded", "left_out": [{"text": "x"}]}, 7])
    assert len(diff) == 1 and diff[0].change is ChangeType.REWRITTEN and diff[0].left_out == ["x"]
    assert FormData.parse({"links": "nope"}) is not None
    assert InterviewPrep.parse({"questions": [{"question": "Why?"}, "junk"]}) is not None


def test_interview_prep_and_form_data_from_the_engine(produced: dict[str, object]) -> None:
    prep = InterviewPrep.parse(produced["interview"].to_dict())  # type: ignore[attr-defined]
    assert prep is not None and prep.questions and all(q.question for q in prep.questions)
    form = FormData.parse(produced["form"])
    assert form is not None and form.name and form.work_history and form.skills


def test_warnings_from_dicts_and_coded_strings() -> None:
    guard = Notice.parse(
        {
            "code": "NEW_SKILL",
            "section": "skills",
            "text": "Rust",
            "detail": "not in the resume",
            "action": "reverted",
            "line_ids": ["L3"],
        }
    )
    assert (guard.code, guard.section, guard.action, guard.line_ids) == (
        "NEW_SKILL",
        "skills",
        "reverted",
        ["L3"],
    )
    coded = Notice.parse("AI_FALLBACK_LOCAL: plan used the local engine (TIMEOUT)")
    assert coded.code == "AI_FALLBACK_LOCAL" and coded.message.startswith("plan used")
    plain = Notice.parse("something odd: happened")
    assert plain.code == "WARNING" and plain.message == "something odd: happened"


def test_operation_tagged_job_warnings_and_duplicates() -> None:
    tagged = Notice.parse("UNCERTAIN_SUGGESTION (draft): Led a team of 12")
    assert (tagged.code, tagged.text) == ("UNCERTAIN_SUGGESTION", "Led a team of 12")
    assert tagged.message == "draft: Led a team of 12"
    same = Notice.parse(
        {"code": "UNCERTAIN_SUGGESTION", "section": "resume", "text": "Led a team of  12"}
    )
    other = Notice.parse({"code": "NEW_SKILL", "text": "Led a team of 12"})
    assert unique([tagged, same, other]) == [tagged, other]
