from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from app.documents.models import JobPosting, ResumeDocument, SectionKind
from app.tailoring import (
    CoverLetter,
    Evaluation,
    InterviewPrep,
    LocalEngine,
    OffloadedLocalEngine,
    Plan,
    Strategy,
    TailoredResume,
    TailoringEngine,
    render_html,
    render_markdown,
    render_text,
)
from app.tailoring.types import LineRole, TailoredLine

from .builders import ResumeBuilder, alex_rivera, job_from_text, platform_job, priya_nair
from .conftest import AS_OF


def one_line_resume() -> ResumeDocument:
    return ResumeBuilder("text").section(SectionKind.OTHER, "").text("Jo Park — cook").build()


def empty_posting() -> JobPosting:
    return job_from_text("We are hiring!", title=None)


def test_offloaded_local_engine_satisfies_the_protocol() -> None:
    engine = OffloadedLocalEngine(LocalEngine(as_of=AS_OF))
    assert isinstance(engine, TailoringEngine)
    assert engine.name == "local" and engine.warnings == []


async def test_offloaded_engine_returns_the_same_results_off_the_loop() -> None:
    sync = LocalEngine(as_of=AS_OF)
    engine = OffloadedLocalEngine(sync)
    loop_thread = threading.get_ident()
    assert await engine.run(threading.get_ident) != loop_thread
    resume, job = alex_rivera(), platform_job()
    plan = await engine.plan(resume, job)
    assert plan == sync.plan(resume, job)
    tailored = await engine.draft(resume, job, plan, Strategy.AGGRESSIVE_KEYWORDS)
    evaluation = await engine.evaluate(resume, job, tailored)
    assert evaluation.after.score >= evaluation.before.score
    assert (await engine.cover_letter(resume, job, plan)).paragraphs
    assert (await engine.interview_prep(resume, job, plan)).questions
    assert (await engine.form_data(resume))["email"] == "alex.rivera@example.com"


def _json_round_trip(obj: Any, cls: type[Any]) -> Any:
    data = json.loads(json.dumps(obj.to_dict()))
    return cls.from_dict(data)


def test_every_result_survives_a_json_round_trip(engine: LocalEngine) -> None:
    resume, job = alex_rivera(), platform_job()
    plan = engine.plan(resume, job)
    tailored = engine.draft(resume, job, plan)
    evaluation = engine.evaluate(resume, job, tailored)
    letter = engine.cover_letter(resume, job, plan)
    prep = engine.interview_prep(resume, job, plan)
    for obj, cls in (
        (plan, Plan),
        (tailored, TailoredResume),
        (evaluation, Evaluation),
        (letter, CoverLetter),
        (prep, InterviewPrep),
    ):
        assert _json_round_trip(obj, cls) == obj
    assert json.loads(json.dumps(engine.form_data(resume))) == engine.form_data(resume)


def test_outputs_are_never_empty_for_degenerate_input(engine: LocalEngine) -> None:
    resume, job = one_line_resume(), empty_posting()
    plan = engine.plan(resume, job)
    assert plan.summary and plan.ats.components
    for strategy in Strategy:
        tailored = engine.draft(resume, job, plan, strategy)
        assert any(s.lines for s in tailored.sections)
        assert "Jo Park" in tailored.to_text()
        evaluation = engine.evaluate(resume, job, tailored)
        assert evaluation.diff and 0 <= evaluation.after.score <= 100
    letter = engine.cover_letter(resume, job, plan)
    assert letter.paragraphs and letter.text.strip()
    assert engine.interview_prep(resume, job, plan).questions
    assert isinstance(engine.form_data(resume), dict)


def test_empty_tailored_input_is_replaced_by_the_original(engine: LocalEngine) -> None:
    resume, job = alex_rivera(), platform_job()
    evaluation = engine.evaluate(resume, job, TailoredResume(Strategy.DEFAULT, sections=[]))
    assert "Lumen Freight" in evaluation.resume.to_text()
    assert evaluation.after.score == evaluation.before.score


def test_same_input_twice_gives_identical_output() -> None:
    first, second = LocalEngine(as_of=AS_OF), LocalEngine(as_of=AS_OF)
    for engine in (first, second):
        resume, job = priya_nair(), platform_job()
        plan = engine.plan(resume, job)
        result = (
            plan.to_dict(),
            engine.draft(resume, job, plan, Strategy.AGGRESSIVE_KEYWORDS).to_dict(),
            engine.cover_letter(resume, job, plan).to_dict(),
            engine.interview_prep(resume, job, plan).to_dict(),
        )
        if engine is first:
            expected = result
    assert result == expected


def test_plan_next_steps_are_actionable(engine: LocalEngine) -> None:
    plan = engine.plan(alex_rivera(), platform_job())
    texts = [s.text for s in plan.next_steps]
    assert (
        "Add Helm to your skills section if you used it — your bullet at Lumen Freight "
        "mentions “Helm charts”." in texts
    )
    wording = next(s for s in plan.next_steps if s.kind == "use_posting_wording")
    assert "“Kubernetes (k8s)”" in wording.text
    helm = next(s for s in plan.strengths if s.label == "Helm")
    assert helm.evidence[0].line_id == "L9"
    assert [g.label for g in plan.gaps] == ["Payments or fintech", "incident reviews"]
    poor = engine.plan(priya_nair(), platform_job())
    gap_steps = [s for s in poor.next_steps if s.kind == "evidence_gap"]
    assert any("Certified Kubernetes Administrator" in s.text for s in gap_steps)


@pytest.mark.parametrize("renderer", [render_markdown, render_html, render_text])
def test_renderers_include_every_line(renderer: Any, engine: LocalEngine) -> None:
    resume, job = alex_rivera(), platform_job()
    tailored = engine.draft(resume, job, engine.plan(resume, job))
    out = renderer(tailored)
    for line in tailored.all_lines():
        fragment = line.text.split("(")[0].strip()[:20].replace("&", "&amp;")
        assert fragment in out, fragment


def test_html_is_escaped_and_has_no_markup_from_content() -> None:
    tailored = TailoredResume(
        strategy=Strategy.DEFAULT,
        sections=[
            _section(
                SectionKind.CONTACT, [TailoredLine("<script>alert(1)</script>", [], LineRole.NAME)]
            ),
            _section(
                SectionKind.EXPERIENCE,
                [
                    TailoredLine("Eng — <img src=x onerror=alert(1)>", [], LineRole.HEADER),
                    TailoredLine("Shipped A&B <b>fast</b>", [], LineRole.BULLET),
                ],
            ),
        ],
    )
    html = render_html(tailored)
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;" in html and "A&amp;B" in html
    assert "<li>Shipped A&amp;B &lt;b&gt;fast&lt;/b&gt;</li>" in html
    markdown = render_markdown(tailored)
    assert "\\<script\\>" in markdown and "- Shipped A&B \\<b\\>fast\\</b\\>" in markdown


def _section(kind: SectionKind, lines: list[TailoredLine]) -> Any:
    from app.tailoring.types import TailoredSection

    return TailoredSection(kind, kind.value.title(), lines)


def test_markdown_structure(engine: LocalEngine) -> None:
    resume, job = alex_rivera(), platform_job()
    markdown = engine.draft(resume, job, engine.plan(resume, job)).to_markdown()
    assert markdown.startswith("# Alex Rivera\n")
    assert "## Experience" in markdown
    # One entry, one header: title and employer, then its dates line right under it.
    assert (
        "### Senior Software Engineer — Lumen Freight, Austin, TX\nMar 2021 – Present" in markdown
    )
    assert "- Led the move from a monolith" in markdown


def test_evaluate_scores_only_what_survives_the_guard(engine: LocalEngine) -> None:
    resume, job = alex_rivera(), platform_job()
    llm_like = engine.draft(resume, job, engine.plan(resume, job), Strategy.CONSERVATIVE)
    skills = llm_like.section(SectionKind.SKILLS)
    assert skills is not None
    skills.lines.insert(
        0, TailoredLine("Key skills: Kubernetes, Payments, Fintech, Rust", ["L23"], LineRole.SKILLS)
    )
    evaluation = engine.evaluate(resume, job, llm_like)
    assert {w.text for w in evaluation.warnings if w.code == "NEW_SKILL"} == {
        "Payments",
        "Fintech",
        "Rust",
    }
    payments = next(r for r in evaluation.after.requirements if r.label == "Payments or fintech")
    assert payments.credit == 0
    assert "Rust" not in evaluation.resume.to_text()
    skills_diff = next(d for d in evaluation.diff if d.kind is SectionKind.SKILLS)
    assert {w.text for w in skills_diff.warnings} == {"Payments", "Fintech", "Rust"}


def test_letter_without_company_or_title_still_reads_well(engine: LocalEngine) -> None:
    resume, job = alex_rivera(), empty_posting()
    letter = engine.cover_letter(resume, job, engine.plan(resume, job))
    assert letter.warnings == []
    assert "Dear Hiring Team," in letter.paragraphs
    assert "Please accept my application for this position." in letter.text
    assert letter.evidence  # falls back to the strongest quantified bullets
