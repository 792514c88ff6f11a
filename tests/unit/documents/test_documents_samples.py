"""Every sample (tests/fixtures/samples) parses to what truth/expected.json says."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import SAMPLES
from docasserts import assert_job_invariants, assert_resume_invariants

from app.documents import (
    JobPosting,
    JobSectionKind,
    RemotePolicy,
    ResumeDocument,
    parse_job_posting,
    parse_resume,
    required_years,
)

TRUTH: dict[str, Any] = json.loads((SAMPLES / "truth" / "expected.json").read_text())
RESUME_KEYS = sorted(k for k in TRUTH if k.startswith("resumes/"))
JOB_KEYS = sorted(k for k in TRUTH if k.startswith("jobs/"))
_WRITTEN_AS = re.compile(r"^(?P<canonical>.+?) \(as (?P<written>.+)\)$")
_SEASONAL = re.compile(r"^(?P<year>\d{4}) \((?P<season>spring|summer|fall|autumn|winter)\)$")


def _parse_sample(key: str) -> ResumeDocument:
    path = SAMPLES / key
    return parse_resume(path.read_bytes(), path.name)


@pytest.fixture(scope="module", params=RESUME_KEYS)
def resume_case(request: pytest.FixtureRequest) -> tuple[ResumeDocument, dict[str, Any]]:
    key = str(request.param)
    return _parse_sample(key), TRUTH[key]


def test_all_four_formats_are_covered() -> None:
    suffixes = {Path(k).suffix for k in RESUME_KEYS}
    assert {".md", ".txt", ".docx", ".pdf"} <= suffixes
    assert len(JOB_KEYS) == 3


def test_sample_format_is_sniffed(resume_case: tuple[ResumeDocument, dict[str, Any]]) -> None:
    doc, _ = resume_case
    expected = {".md": "markdown", ".txt": "text", ".docx": "docx", ".pdf": "pdf"}
    path = next(SAMPLES / k for k in RESUME_KEYS if TRUTH[k] is resume_case[1])
    assert doc.source_format == expected[path.suffix]
    assert doc.warnings == []


def test_sample_contact(resume_case: tuple[ResumeDocument, dict[str, Any]]) -> None:
    doc, truth = resume_case
    assert doc.contact.name == truth["name"]
    assert doc.contact.email == truth["email"]
    assert doc.contact.phone == truth["phone"]
    assert doc.contact.location == truth["location"]
    assert doc.contact.line_ids, "contact must point back at its source lines"


def _expect_date(value: str, normalised: str | None, written: str | None) -> None:
    seasonal = _SEASONAL.match(value)
    if seasonal:
        # Seasons normalise to the year; the season stays in the text as written.
        assert normalised == seasonal["year"]
        assert written is not None and seasonal["season"] in written.lower()
    else:
        assert normalised == value


def test_sample_experience(resume_case: tuple[ResumeDocument, dict[str, Any]]) -> None:
    doc, truth = resume_case
    got = doc.experience
    assert len(got) == len(truth["experience"])
    for entry, want in zip(got, truth["experience"], strict=True):
        assert entry.employer == want["employer"]
        assert entry.title == want["title"]
        _expect_date(want["start"], entry.start, entry.start_text)
        _expect_date(want["end"], entry.end, entry.end_text)
        assert len(entry.bullets) == want["bullets"]
        assert entry.header_line_ids
        for bullet in entry.bullets:
            assert doc.line(bullet.id) == bullet


def test_sample_education(resume_case: tuple[ResumeDocument, dict[str, Any]]) -> None:
    doc, truth = resume_case
    got = [(e.school, e.degree, e.year) for e in doc.education]
    want = [(e["school"], e["degree"], e["year"]) for e in truth["education"]]
    assert got == want


def test_sample_skills_as_written(resume_case: tuple[ResumeDocument, dict[str, Any]]) -> None:
    doc, truth = resume_case
    skills = doc.skills
    for wanted in truth["skills_include"]:
        written_as = _WRITTEN_AS.match(wanted)
        if written_as:
            # Skills are kept as written; normalising aliases is the engine's job.
            assert written_as["written"] in skills
            assert written_as["canonical"] not in skills
        else:
            assert any(s == wanted or s.startswith(wanted + " (") for s in skills), wanted


def test_sample_structural_invariants(resume_case: tuple[ResumeDocument, dict[str, Any]]) -> None:
    assert_resume_invariants(resume_case[0])


def test_two_column_pdf_reads_sidebar_then_main_without_interleaving() -> None:
    doc = _parse_sample("resumes/maya-ferreira-design-2col.pdf")
    texts = [ln.text for ln in doc.lines]
    assert texts[0] == "Maya Ferreira"
    # Sidebar items stay together and never end up inside experience bullets.
    assert texts.index("Figma") < texts.index("Motion design") < texts.index("Experience")
    bullets = [b.text for e in doc.experience for b in e.bullets]
    # A bullet that wraps onto a second line in the PDF is one bullet.
    assert any(
        b.startswith("Redesigned the home-energy onboarding journey in Figma;")
        and b.endswith("completion rose from 48% to 67% within two quarters")
        for b in bullets
    )
    assert "Designed the booking flow of the rail and ferry app (800k monthly users)" in bullets
    assert not any(b == "Figma" or "Glasgow School" in b for b in bullets)
    assert doc.experience[1].location == "Leeds"
    assert doc.page_count == 1


def test_docx_sample_uses_header_and_table() -> None:
    doc = _parse_sample("resumes/rosa-delgado-marketing.docx")
    header_line = doc.line(doc.contact.line_ids[0])
    assert header_line is not None and "rosa.delgado@example.net" in header_line.text
    from app.documents import SectionKind

    skills = doc.section(SectionKind.SKILLS)
    assert skills is not None and skills.heading == "Areas of Expertise"
    assert [g.skills for g in skills.skill_groups] == [
        ["Content strategy", "Marketo", "Salesforce"],
        ["LinkedIn Ads", "SEO", "Email marketing"],
    ]


def test_text_sample_groups_skills_by_label() -> None:
    doc = _parse_sample("resumes/ines-carvalho-data.txt")
    groups = {g.name: g.skills for s in doc.sections for g in s.skill_groups}
    assert groups["Languages"] == ["Python", "R", "SQL"]
    assert "dbt" in groups["Tools"]


# --- job postings ----------------------------------------------------------------------


@pytest.fixture(scope="module", params=JOB_KEYS)
def job_case(request: pytest.FixtureRequest) -> tuple[JobPosting, dict[str, Any]]:
    key = str(request.param)
    return parse_job_posting((SAMPLES / key).read_text(encoding="utf-8")), TRUTH[key]


def _concept_in(concept: str, text: str) -> bool:
    """ "machine learning / forecasting": every alternative's words appear in `text`."""
    lowered = text.lower()
    for alternative in re.split(r"\s*/\s*", concept.lower()):
        for word in alternative.split():
            if not re.search(rf"(?<![\w-]){re.escape(word)}(?![\w-])", lowered):
                return False
    return True


def _section_text(job: JobPosting, kind: JobSectionKind) -> str:
    section = job.section(kind)
    assert section is not None, f"no {kind.value} section"
    assert section.lines
    return "\n".join(ln.text for ln in section.lines)


def test_job_header_facts(job_case: tuple[JobPosting, dict[str, Any]]) -> None:
    job, truth = job_case
    assert job.title == truth["title"]
    assert job.company == truth["company"]
    assert job.location == truth["location"]
    remote = truth.get("remote")
    if remote is None:
        assert job.remote is None
    elif remote.startswith("remote"):
        assert job.remote is RemotePolicy.REMOTE
    else:
        assert job.remote is RemotePolicy(remote)


def test_job_required_and_preferred(job_case: tuple[JobPosting, dict[str, Any]]) -> None:
    job, truth = job_case
    required = _section_text(job, JobSectionKind.REQUIREMENTS)
    preferred = _section_text(job, JobSectionKind.PREFERRED)
    for concept in truth["required"]:
        assert _concept_in(concept, required), concept
    for concept in truth["preferred"]:
        assert _concept_in(concept, preferred), concept
        assert not _concept_in(concept, required), concept
    assert required_years(job) == truth["years"]


def test_job_warnings(job_case: tuple[JobPosting, dict[str, Any]]) -> None:
    job, truth = job_case
    if truth.get("low_quality"):
        assert "SHORT_DESCRIPTION" in job.warnings
    else:
        assert job.warnings == []
    assert_job_invariants(job)


def test_platform_job_salary_and_sections() -> None:
    job = parse_job_posting((SAMPLES / "jobs/infrastructure-engineer-keelson.txt").read_text())
    assert job.salary == "$172,000 – $205,000"
    kinds = [s.kind for s in job.sections]
    assert kinds[:4] == [
        JobSectionKind.ABOUT,
        JobSectionKind.RESPONSIBILITIES,
        JobSectionKind.REQUIREMENTS,
        JobSectionKind.PREFERRED,
    ]
    responsibilities = job.section(JobSectionKind.RESPONSIBILITIES)
    assert responsibilities is not None and responsibilities.heading == "What you will do"
    assert len(responsibilities.lines) == 5
    assert all(ln.is_bullet for ln in responsibilities.lines)


def test_short_posting_inline_requirements_split_preferred() -> None:
    job = parse_job_posting((SAMPLES / "jobs/pharmacist-lakeview.txt").read_text())
    requirements = job.section(JobSectionKind.REQUIREMENTS)
    preferred = job.section(JobSectionKind.PREFERRED)
    assert requirements is not None and requirements.heading == "Requirements"
    assert preferred is not None
    assert [ln.text for ln in preferred.lines] == ["BCPS preferred."]
    # The hard-wrapped sentence is one logical line.
    assert "hospital pharmacy experience" in requirements.lines[0].text
