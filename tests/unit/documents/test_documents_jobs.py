"""Job postings: sanitising, header facts, sections, warnings, uploads."""

from __future__ import annotations

import pytest
from docasserts import assert_job_invariants
from docfactory import PNG_BYTES, docx_job, job_pdf

from app.documents import (
    DocumentError,
    JobSectionKind,
    RemotePolicy,
    parse_job_posting,
    parse_job_posting_bytes,
)
from app.documents.job_meta import find_remote, find_salary

HTML_JOB = """
<html><head><title>Careers</title><style>p { color: red }</style></head><body>
<h1>Backend Engineer</h1>
<p>Acme Robotics &mdash; Austin, TX (On-site)</p>
<script>alert("x")</script>
<h2>About the role</h2>
<p>You will build APIs for our fleet of warehouse robots &amp; the tools around them.</p>
<h2>What you&#39;ll bring</h2>
<ul><li>3+ years of Go or Rust</li><li>PostgreSQL &lt;3</li></ul>
<h3>Pluses</h3><ul><li>ROS experience</li></ul>
<p>Pay: $140,000 - $170,000 per year</p>
</body></html>
"""


def test_html_job_is_sanitised_and_structured() -> None:
    job = parse_job_posting(HTML_JOB)
    assert "<" not in job.text.replace("<3", "")
    assert "alert" not in job.text and "color: red" not in job.text
    assert "&amp;" not in job.text and "fleet of warehouse robots & the tools" in job.text
    assert (job.title, job.company, job.location, job.remote) == (
        "Backend Engineer",
        "Acme Robotics",
        "Austin, TX",
        RemotePolicy.ONSITE,
    )
    assert job.salary == "$140,000 - $170,000 per year"
    requirements = job.section(JobSectionKind.REQUIREMENTS)
    assert requirements is not None and requirements.heading == "What you'll bring"
    assert [ln.text for ln in requirements.lines] == ["3+ years of Go or Rust", "PostgreSQL <3"]
    assert all(ln.is_bullet for ln in requirements.lines)
    preferred = job.section(JobSectionKind.PREFERRED)
    assert preferred is not None and [ln.text for ln in preferred.lines] == ["ROS experience"]
    responsibilities = job.section(JobSectionKind.RESPONSIBILITIES)
    assert responsibilities is not None and responsibilities.heading == "About the role"
    assert_job_invariants(job)


def test_explicit_title_and_company_win() -> None:
    job = parse_job_posting(
        "Orbital Payments — Denver, CO\n\nRequirements\n- Go\n",
        title="Platform Engineer",
        company="Orbital",
    )
    assert (job.title, job.company, job.location) == ("Platform Engineer", "Orbital", "Denver, CO")
    assert "MISSING_TITLE" not in job.warnings


def test_missing_title_is_invalid_input() -> None:
    with pytest.raises(DocumentError) as info:
        parse_job_posting("   \n\n")
    assert info.value.code == "INVALID_INPUT"
    with pytest.raises(DocumentError) as no_title:
        parse_job_posting(
            "We are a fast-growing company building the future of logistics and we want you.\n"
        )
    assert no_title.value.code == "INVALID_INPUT"
    assert "title" in no_title.value.message


def test_warnings_for_a_bare_posting() -> None:
    job = parse_job_posting(
        "We need someone great who can start soon and stay long.", title="Barista"
    )
    assert set(job.warnings) == {
        "SHORT_DESCRIPTION",
        "MISSING_TITLE",
        "MISSING_COMPANY",
        "MISSING_LOCATION",
    }
    assert job.title == "Barista"


def test_markdown_job_with_labels() -> None:
    text = (
        "# Staff Data Scientist\n\n"
        "**Company:** Lumen Bank  \n**Location:** London, UK  \n\n"
        "## Key Responsibilities\n* Lead pricing models\n\n"
        "## Minimum Qualifications\n* 6+ years in applied ML\n* Python\n\n"
        "## Preferred Qualifications\n* Banking experience\n\n"
        "Compensation: £90k-£110k plus bonus. Fully remote within the UK is possible.\n"
    )
    job = parse_job_posting(text)
    assert (job.title, job.company, job.location) == (
        "Staff Data Scientist",
        "Lumen Bank",
        "London, UK",
    )
    assert job.salary == "£90k-£110k"
    assert job.remote is RemotePolicy.REMOTE
    kinds = [s.kind for s in job.sections]
    assert JobSectionKind.RESPONSIBILITIES in kinds
    preferred = job.section(JobSectionKind.PREFERRED)
    requirements = job.section(JobSectionKind.REQUIREMENTS)
    assert preferred is not None and [ln.text for ln in preferred.lines] == ["Banking experience"]
    assert requirements is not None and [ln.text for ln in requirements.lines] == [
        "6+ years in applied ML",
        "Python",
    ]


@pytest.mark.parametrize(
    ("text", "salary"),
    [
        ("Salary: $165,000 – $190,000 + equity", "$165,000 – $190,000"),
        ("£50k-£60k depending on experience", "£50k-£60k"),
        ("Pay is $28.50 per hour", "$28.50 per hour"),
        ("Base €70.000 – €80.000", "€70.000 – €80.000"),
        ("Budget $120k to 140k", "$120k to 140k"),
        ("Coffee costs $5", None),
        ("No salary mentioned", None),
    ],
)
def test_salary_forms(text: str, salary: str | None) -> None:
    assert find_salary(text) == salary


@pytest.mark.parametrize(
    ("text", "policy"),
    [
        ("Hybrid, 2 days in office", RemotePolicy.HYBRID),
        ("This role is fully remote", RemotePolicy.REMOTE),
        ("Remote-first team", RemotePolicy.REMOTE),
        ("This is not a remote role; on-site in Boston", RemotePolicy.ONSITE),
        ("Work in person at our lab", RemotePolicy.ONSITE),
        ("Boston, MA", None),
    ],
)
def test_remote_policy(text: str, policy: RemotePolicy | None) -> None:
    assert find_remote(text) is policy


def test_job_pdf_upload() -> None:
    job = parse_job_posting_bytes(job_pdf(), "job.pdf")
    assert (job.title, job.company, job.location, job.remote) == (
        "Data Platform Engineer",
        "Northstar Health",
        "Chicago, IL",
        RemotePolicy.HYBRID,
    )
    requirements = job.section(JobSectionKind.REQUIREMENTS)
    assert requirements is not None and len(requirements.lines) == 2
    preferred = job.section(JobSectionKind.PREFERRED)
    assert preferred is not None and preferred.lines[0].text == "Healthcare data (HL7, FHIR)"
    assert_job_invariants(job)


def test_job_docx_upload() -> None:
    job = parse_job_posting_bytes(docx_job(), "job.docx")
    assert (job.title, job.company, job.remote) == (
        "Customer Success Manager",
        "Tidewater Software",
        RemotePolicy.REMOTE,
    )
    assert "MISSING_LOCATION" not in job.warnings  # fully remote needs no city
    preferred = job.section(JobSectionKind.PREFERRED)
    assert preferred is not None and [ln.text for ln in preferred.lines] == ["Spanish"]


def test_job_text_upload_and_limits() -> None:
    body = b"Analyst\nFoo Corp, Reno, NV\n\nRequirements\n- Excel\n"
    job = parse_job_posting_bytes(body, "job.txt")
    assert (job.title, job.company, job.location) == ("Analyst", "Foo Corp", "Reno, NV")
    with pytest.raises(DocumentError) as big:
        parse_job_posting_bytes(body, "job.txt", max_bytes=10)
    assert big.value.code == "SIZE_EXCEEDED"
    with pytest.raises(DocumentError) as text_big:
        parse_job_posting("x" * 50, max_chars=10)
    assert text_big.value.code == "SIZE_EXCEEDED"
    with pytest.raises(DocumentError) as image:
        parse_job_posting_bytes(PNG_BYTES, "job.png")
    assert image.value.code == "UNSUPPORTED_FORMAT"


def test_control_characters_are_dropped() -> None:
    job = parse_job_posting(
        "Welder\x00\x07\nSteelworks Ltd, Leeds, UK\n\nRequirements\n- MIG\x1b\n"
    )
    assert job.title == "Welder"
    assert "\x00" not in job.text and "\x1b" not in job.text
    assert job.location == "Leeds, UK"


def test_labelled_header_lines_are_facts_not_sections() -> None:
    job = parse_job_posting(
        "Job Title: Senior Engineer\nCompany: Foo Inc\nLocation: Berlin, Germany\n\n"
        "About the job\nWe build things.\n\nQualifications\n- Go\n- 5+ years\n"
    )
    assert (job.title, job.company, job.location) == (
        "Senior Engineer",
        "Foo Inc",
        "Berlin, Germany",
    )
    assert [s.kind for s in job.sections] == [
        JobSectionKind.RESPONSIBILITIES,
        JobSectionKind.REQUIREMENTS,
    ]


def test_title_at_company_over_a_remote_line() -> None:
    job = parse_job_posting(
        "Senior Engineer at Foo Inc\nRemote\n\nYou will:\n- build\n\nYou have:\n- Go\n"
    )
    assert (job.title, job.company, job.remote) == (
        "Senior Engineer",
        "Foo Inc",
        RemotePolicy.REMOTE,
    )
    assert [(s.kind, s.heading) for s in job.sections] == [
        (JobSectionKind.RESPONSIBILITIES, "You will"),
        (JobSectionKind.REQUIREMENTS, "You have"),
    ]
