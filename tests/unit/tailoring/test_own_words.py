"""Resumes that say things their own way ("PLCs", "S&OP", "ran A/B tests", "Postgres"):
what a keyword screen scores, and how each strategy brings the posting's words in."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from app.documents import parse_job_posting, parse_resume
from app.documents.models import JobPosting, ResumeDocument, SectionKind
from app.tailoring import LocalEngine, Strategy
from app.tailoring.keywords import same_name, use_posting_terms
from app.tailoring.posting_terms import core_term
from app.tailoring.skills_curation import abbreviates, names_people
from app.tailoring.types import LineRole, TailoredResume

PAIRS = Path(__file__).resolve().parents[2] / "fixtures" / "pairs"


def _pair(resume: str, job: str) -> tuple[ResumeDocument, JobPosting]:
    path = PAIRS / "resumes" / resume
    return parse_resume(path.read_bytes(), path.name), parse_job_posting(
        (PAIRS / "jobs" / job).read_text()
    )


def _skills(resume: TailoredResume) -> str:
    return " | ".join(
        ln.text for s in resume.sections if s.kind is SectionKind.SKILLS for ln in s.lines
    )


def _bullets(resume: TailoredResume) -> list[str]:
    return [ln.text for s in resume.sections for ln in s.lines if ln.role is LineRole.BULLET]


@pytest.fixture(scope="module")
def engine() -> LocalEngine:
    return LocalEngine(as_of=date(2025, 11, 15))


def _scores(engine: LocalEngine, resume: ResumeDocument, job: JobPosting) -> dict[str, int]:
    plan = engine.plan(resume, job)
    out = {"before": engine.score(resume, job).score}
    for strategy in (Strategy.DEFAULT, Strategy.AGGRESSIVE_KEYWORDS):
        tailored = engine.draft(resume, job, plan, strategy)
        out[strategy.value] = engine.evaluate(resume, job, tailored).after.score
    return out


@pytest.mark.parametrize(
    ("resume_name", "job_name"),
    [
        ("electrician-aliases.txt", "industrial-electrician-forge.txt"),
        ("supply-chain-aliases.md", "operations-manager-kestrel.txt"),
        ("sre-aliases.md", "sre-tidewater.txt"),
    ],
)
def test_tailoring_an_own_words_resume_raises_its_ats_score(
    engine: LocalEngine, resume_name: str, job_name: str
) -> None:
    resume, job = _pair(resume_name, job_name)
    scores = _scores(engine, resume, job)
    assert scores["default"] >= scores["before"] + 4, scores
    assert scores["aggressive_keywords"] >= scores["default"], scores


@pytest.mark.parametrize(
    ("resume_name", "job_name"),
    [
        ("elementary-teacher-aliases.md", "backend-engineer-pallas.txt"),
        ("electrician-aliases.txt", "fpa-manager-larchmont.txt"),
    ],
)
def test_tailoring_a_poor_fit_does_not_inflate_its_score(
    engine: LocalEngine, resume_name: str, job_name: str
) -> None:
    resume, job = _pair(resume_name, job_name)
    scores = _scores(engine, resume, job)
    assert max(scores.values()) - scores["before"] <= 1, scores
    plan = engine.plan(resume, job)
    tailored = engine.draft(resume, job, plan, Strategy.AGGRESSIVE_KEYWORDS)
    assert engine.evaluate(resume, job, tailored).after.fit.value == "poor"


def _credit(engine: LocalEngine, resume_text: str, label: str) -> tuple[float, str]:
    posting = parse_job_posting(
        "Platform Engineer\nAcme Freight · Remote (US)\n\nRequirements\n- Kubernetes\n- Terraform\n"
    )
    resume = parse_resume(resume_text.encode(), "r.md")
    report = engine.score(resume, posting)
    result = next(r for r in report.requirements if r.label == label)
    return result.credit, result.status.value


_HEAD = "# Ana Diaz\nana@example.com\n\n## Experience\n\n### Platform Engineer | Lumen\nJan 2020 - Present\n"


def test_the_score_credits_the_postings_exact_words_and_where_they_stand(
    engine: LocalEngine,
) -> None:
    alias = _credit(
        engine, _HEAD + "- Ran k8s clusters\n\n## Skills\nk8s, Terraform\n", "Kubernetes"
    )
    listed = _credit(
        engine, _HEAD + "- Ran k8s clusters\n\n## Skills\nKubernetes, Terraform\n", "Kubernetes"
    )
    both = _credit(
        engine,
        _HEAD + "- Ran Kubernetes clusters\n\n## Skills\nKubernetes, Terraform\n",
        "Kubernetes",
    )
    text = _credit(
        engine, _HEAD + "- Ran Kubernetes clusters\n\n## Skills\nTerraform\n", "Kubernetes"
    )
    assert alias[0] < text[0] < listed[0] < both[0] == 1.0
    # Where it is stated decides whether it counts as clearly shown, not the words.
    assert alias[1] == listed[1] == both[1] == "matched" and text[1] == "implied"


def test_a_bullet_takes_the_postings_term_only_for_the_same_thing() -> None:
    assert same_name("Postgres", "PostgreSQL") and same_name("AdWords", "Google Ads")
    assert same_name("NEC code", "National Electrical Code")
    assert same_name("usability tests", "usability testing")
    assert not same_name("ladder logic", "Programmable logic controllers")
    assert not same_name("motor starters", "Motor controls")
    assert abbreviates("S&OP", "Sales and operations planning")
    assert abbreviates("PLCs", "Programmable logic controllers")
    assert not abbreviates("SOPs", "Sales and operations planning and more")
    displays = {"PLC programming": "Programmable logic controllers", "A/B testing": "A/B testing"}
    kept = "Wired sensors and read ladder logic to trace faults"
    assert use_posting_terms(kept, displays) == kept
    assert (
        use_posting_terms("Ran 40+ A/B tests on pricing", displays)
        == "Ran 40+ A/B tests on pricing"
    )
    assert (
        use_posting_terms("Troubleshoot PLCs on 3 lines", displays)
        == "Troubleshoot programmable logic controllers on 3 lines"
    )


def test_an_abbreviation_before_a_noun_of_its_own_is_written_out_alone() -> None:
    displays = {"Knowledge base management": "knowledge base", "National Electrical Code": "NEC"}
    displays["National Electrical Code"] = "National Electrical Code"
    assert (
        use_posting_terms("Wrote 140 KB articles that deflect tickets", displays)
        == "Wrote 140 knowledge base articles that deflect tickets"
    )
    assert (
        use_posting_terms("Rewired panels to NEC code", displays)
        == "Rewired panels to National Electrical Code"
    )


def test_qualifiers_are_cut_but_never_part_of_a_name() -> None:
    assert core_term("Advanced Excel") == "Excel"
    assert core_term("knowledge base") == "knowledge base"


def test_default_lists_the_postings_words_and_keeps_the_persons_notes(engine: LocalEngine) -> None:
    resume, job = _pair("electrician-aliases.txt", "industrial-electrician-forge.txt")
    plan = engine.plan(resume, job)
    default = engine.draft(resume, job, plan, Strategy.DEFAULT)
    skills = _skills(default)
    assert "Programmable logic controllers (PLCs, Allen-Bradley)" in skills
    assert "National Electrical Code" in skills and "OSHA" not in skills  # a licence already
    aggressive = engine.draft(resume, job, plan, Strategy.AGGRESSIVE_KEYWORDS)
    assert "National Electrical Code (NEC code)" in _skills(aggressive)
    assert "Wired packaging equipment and sensors and read ladder logic to trace faults" in (
        _bullets(aggressive)
    )
    assert _bullets(aggressive) != _bullets(default)
    assert not default.warnings and not aggressive.warnings


def test_a_requirement_shown_through_a_related_skill_is_listed_once(engine: LocalEngine) -> None:
    resume, job = _pair("product-analyst-aliases.md", "product-analyst-fennec.txt")
    default = engine.draft(resume, job, engine.plan(resume, job), Strategy.DEFAULT)
    items = [i.strip() for i in _skills(default).split(",")]
    assert "Experimentation (A/B tests)" in items and "A/B tests" not in items
    assert "Python (pandas)" in items and "pandas" not in items
    assert _skills(default).count("(") == _skills(default).count(")")
    assert not default.warnings


def test_roles_are_never_listed_or_claimed_as_skills(engine: LocalEngine) -> None:
    resume, job = _pair("sales-manager-aliases.md", "sales-director-ostrava.txt")
    default = engine.draft(resume, job, engine.plan(resume, job), Strategy.DEFAULT)
    summary = next(s for s in default.sections if s.kind is SectionKind.SUMMARY)
    assert "account executives" not in summary.lines[0].text
    assert "account executives" not in _skills(default)
    assert "Salesforce" in _skills(default) and "Budget management" in _skills(default)
    assert names_people("account executives") and names_people("Paralegal")
    assert not names_people("Programmable logic controllers") and not names_people("Salesforce")


COMPANIES: dict[str, str | None] = json.loads((PAIRS / "companies.json").read_text())


@pytest.mark.parametrize("job_name", sorted(j for j, c in COMPANIES.items() if c))
def test_a_letter_is_addressed_to_the_company_alone(engine: LocalEngine, job_name: str) -> None:
    resume, job = _pair("supply-chain-aliases.md", job_name)
    letter = engine.cover_letter(resume, job, engine.plan(resume, job))
    assert f"Dear {COMPANIES[job_name]} Hiring Team," in letter.text.splitlines()


def test_the_summary_keeps_the_persons_line_when_only_it_says_the_postings_words(
    engine: LocalEngine,
) -> None:
    resume, job = _pair("project-manager-construction.md", "construction-pm-ironbridge.txt")
    tailored = engine.draft(resume, job, engine.plan(resume, job), Strategy.CONSERVATIVE)
    summary = next(s for s in tailored.sections if s.kind is SectionKind.SUMMARY)
    assert summary.lines[0].text.startswith("Construction project manager delivering")


OWN_WORDS = [
    (p["resume"], p["job"])
    for p in json.loads((PAIRS / "pairs.json").read_text())
    if p.get("set") == "own-words" and p["fit"] != "poor"
]


@pytest.mark.parametrize(("resume_name", "job_name"), OWN_WORDS)
def test_aggressive_notes_are_single_and_never_stacked(
    engine: LocalEngine, resume_name: str, job_name: str
) -> None:
    resume, job = _pair(resume_name, job_name)
    plan = engine.plan(resume, job)
    tailored = engine.draft(resume, job, plan, Strategy.AGGRESSIVE_KEYWORDS)
    original = "\n".join(ln.text for ln in resume.lines)
    lines = [ln.text for s in tailored.sections for ln in s.lines]
    for line in lines:
        if line not in original:
            assert not re.search(r"\([^()]*\(|\)\s*\(", line), line
    notes = Counter(re.findall(r"\(([^()]+)\)", "\n".join(lines)))
    for note, count in notes.items():
        # The person's own notes may repeat; each alias note the engine adds, once.
        assert count <= original.count(f"({note})") + 1, (note, count)
    assert not tailored.warnings


def test_a_qualified_skill_is_the_skill_and_a_stray_heading_no_requirement(
    engine: LocalEngine,
) -> None:
    posting = parse_job_posting(
        "Industrial Electrician\nForge Metals · Gary, Indiana\n\nJob Duties\n"
        "- Repair motors\n\nRequirements\n- Advanced Microsoft Excel\n- Lockout/tagout\n"
    )
    analysis = engine.analyse_job(posting)
    assert "Job Duties" not in [r.label for r in analysis.requirements]
    excel = next(r for r in analysis.requirements if "Excel" in r.label)
    assert excel.skills == ["Microsoft Excel"]


@pytest.mark.parametrize(
    ("text", "held_there"),
    [
        ("Tax accountant at a regional CPA firm", False),
        ("Passed 2 of 4 CPA exam sections", False),
        ("Pursuing the PMP certification", False),
        ("CPA-eligible staff accountant", False),
        ("Licensed CPA in California", True),
        ("Licensed CPA and CMA in Ohio", True),
    ],
)
def test_a_credential_named_as_a_workplace_or_a_goal_is_not_held(
    engine: LocalEngine, text: str, held_there: bool
) -> None:
    resume = parse_resume(f"# Ana Diaz\nana@example.com\n\n## Summary\n{text}\n".encode(), "r.md")
    named = {s.skill for s in engine.analyse_resume(resume).skills if s.mentioned}
    assert bool(named & {"Certified Public Accountant", "Project Management Professional"}) is (
        held_there
    )


def test_a_cpa_firm_never_becomes_a_cpa(engine: LocalEngine) -> None:
    resume, job = _pair("tax-accountant-aliases.md", "tax-senior-whitfield.txt")
    plan = engine.plan(resume, job)
    for strategy in Strategy:
        tailored = engine.draft(resume, job, plan, strategy)
        assert "CPA" not in _skills(tailored) and not tailored.warnings
    letter = engine.cover_letter(resume, job, plan)
    assert "Certified Public Accountant" not in letter.text and "a CPA," not in letter.text


def test_a_team_named_after_a_skill_shows_no_skill(engine: LocalEngine) -> None:
    resume = parse_resume(
        b"# Ana Diaz\nana@example.com\n\n## Experience\n\n### Analyst | Lumen\n"
        b"Jan 2020 - Present\n- Presented weekly figures to the data engineering team\n",
        "r.md",
    )
    named = {s.skill for s in engine.analyse_resume(resume).skills if s.mentioned}
    assert "Data engineering" not in named


def test_a_term_joined_by_and_is_not_written_into_a_list() -> None:
    """ "prophys, SRP and perio maintenance" would read "prophys, scaling and root planing
    and perio maintenance": the items blur, so the person's SRP stays; outside a list the
    posting's term is used."""
    displays = {"Scaling and root planing": "scaling and root planing"}
    for listed in (
        "Performed prophys, SRP and perio maintenance for 12 patients a day",
        "Did SRP, prophys and sealants",
        "Charted perio and SRP visits",
        "Scheduled SRP or prophy recalls",
    ):
        assert use_posting_terms(listed, displays) == listed
    assert (
        use_posting_terms("Performed SRP on 30 patients a week", displays)
        == "Performed scaling and root planing on 30 patients a week"
    )
    assert (
        use_posting_terms("Cleaned teeth and performed SRP under local anesthesia", displays)
        == "Cleaned teeth and performed scaling and root planing under local anesthesia"
    )
    one_word = {"Kubernetes": "Kubernetes"}  # a term without "and" is renamed in lists too
    assert use_posting_terms("Ran k8s, Helm and Argo", one_word) == "Ran Kubernetes, Helm and Argo"
