"""PDF parsing: layouts, wrapped bullets, page furniture, and hostile/unsupported PDFs."""

from __future__ import annotations

import io

import pytest
from docasserts import assert_resume_invariants
from docfactory import (
    Text,
    encrypted_pdf,
    multipage_resume_pdf,
    one_column_resume_pdf,
    pdf_from_pages,
    scanned_pdf,
    two_column_resume_pdf,
)
from pypdf import PdfReader, PdfWriter

from app.documents import DocumentError, SectionKind, parse_resume
from app.documents.pdf import find_gutter, read_pdf


def test_single_column_pdf_with_right_aligned_dates_and_wrapped_bullets() -> None:
    doc = parse_resume(one_column_resume_pdf(), "dana.pdf")
    assert doc.source_format == "pdf"
    assert (doc.contact.name, doc.contact.email, doc.contact.phone, doc.contact.location) == (
        "Dana Whitfield",
        "dana.whitfield@example.com",
        "(617) 555-0148",
        "Boston, MA",
    )
    first, second = doc.experience
    assert (first.title, first.employer, first.start, first.end) == (
        "Senior Data Engineer",
        "Quarry Analytics",
        "2019-01",
        "present",
    )
    assert [b.text for b in first.bullets] == [
        "Designed a streaming ingestion service in Kafka and Python that processes 2 billion "
        "events per day with exactly-once delivery into the lakehouse",
        "Cut Snowflake spend by 35% by reworking clustering keys and warehouse schedules",
    ]
    assert (second.start_text, second.end_text) == ("03/2016", "12/2018")
    assert len(second.bullets) == 1 and second.bullets[0].text.endswith("every week")
    assert doc.education[0].school == "Tufts University"
    assert "Snowflake" in doc.skills
    assert_resume_invariants(doc)


@pytest.mark.parametrize("sidebar_left", [True, False])
def test_two_column_pdf_reads_columns_separately(sidebar_left: bool) -> None:
    doc = parse_resume(two_column_resume_pdf(sidebar_left=sidebar_left))
    assert doc.lines[0].text == "Jo Bloggs"
    assert doc.contact.email == "jo.bloggs@example.com"
    assert doc.contact.location == "San Francisco, CA"
    assert doc.skills == ["Python", "Kubernetes", "PostgreSQL", "Terraform"]
    assert [(e.title, e.employer, e.start, e.end, len(e.bullets)) for e in doc.experience] == [
        ("Staff SRE", "Nimbus Cloud", "2019-01", "present", 2),
        ("SRE", "Parcel Labs", "2014", "2018", 1),
    ]
    bullets = [b.text for e in doc.experience for b in e.bullets]
    assert bullets[0] == (
        "Cut paging volume by 60% by rewriting alert rules and adding SLO burn-rate alerts"
    )
    assert not any(skill in b for b in bullets for skill in ("PostgreSQL", "Stanford"))
    (edu,) = doc.education
    assert (edu.degree, edu.school, edu.year) == (
        "B.S. Computer Science",
        "Stanford University",
        "2012",
    )
    assert_resume_invariants(doc)


def test_gutter_detection_ignores_right_aligned_dates_in_one_column() -> None:
    rows = [
        "Senior Engineer, Acme                                   Jan 2019 - Present",
        "  • Built an ingestion service that processes billions of events every day",
        "  • Reduced cloud spend by a third by moving batch work to spot capacity",
        "Engineer, Initech                                       2016 - 2018",
        "  • Wrote the first integration test suite for the billing platform code",
        "  • Migrated the deployment pipeline from Jenkins to GitHub Actions runners",
        "Intern, Hooli                                                  Summer 2015",
        "  • Prototyped an internal search tool for the legal team's document store",
    ]
    assert find_gutter(rows) is None
    left = ["Contact", "ab@example.com", "", "Skills", "Python", "Go", "PostgreSQL", "Docker"]
    right = [
        "Name Here",
        "Experience",
        "Engineer, Acme",
        "2019 - 2020",
        "• Did things",
        "• More things",
        "Engineer, Initech",
        "2016 - 2018",
    ]
    two_col = [f"{a:<30}{b}" for a, b in zip(left, right, strict=True)]
    gutter = find_gutter(two_col)
    assert gutter is not None and gutter[0] <= 14 and gutter[1] == 30


def test_multipage_pdf_drops_page_numbers_and_running_headers() -> None:
    doc = parse_resume(multipage_resume_pdf())
    assert doc.page_count == 2
    texts = [ln.text for ln in doc.lines]
    assert not any(t.startswith("Page ") for t in texts)
    assert texts.count("Alex Morgan — Resume") == 1  # kept once, dropped on page 2
    assert [(e.title, e.employer, len(e.bullets)) for e in doc.experience] == [
        ("Operations Manager", "Keystone Foods", 3),
        ("Shift Supervisor", "Keystone Foods", 1),
    ]
    assert doc.education[0].degree == "B.B.A. Operations Management"
    assert_resume_invariants(doc)


def test_scanned_pdf_is_rejected_not_invented() -> None:
    with pytest.raises(DocumentError) as info:
        parse_resume(scanned_pdf(), "scan.pdf")
    assert info.value.code == "PARSE_FAILED"
    assert "scanned" in info.value.message
    assert "DOCX" in info.value.message


def test_blank_page_pdf_is_rejected_as_scanned() -> None:
    with pytest.raises(DocumentError) as info:
        parse_resume(pdf_from_pages([[]]))
    assert info.value.code == "PARSE_FAILED" and "scanned" in info.value.message


def test_encrypted_pdf_is_rejected_with_advice() -> None:
    with pytest.raises(DocumentError) as info:
        parse_resume(encrypted_pdf())
    assert info.value.code == "PARSE_FAILED"
    assert "password" in info.value.message


def test_pdf_with_only_an_owner_password_is_readable() -> None:
    # Permission-only "protection": opens with the empty user password.
    doc = parse_resume(encrypted_pdf(user_password=""))
    assert doc.contact.name == "Dana Whitfield"


def test_damaged_pdf_fails_cleanly() -> None:
    data = one_column_resume_pdf()
    with pytest.raises(DocumentError) as info:
        parse_resume(data[: len(data) // 3])
    assert info.value.code == "PARSE_FAILED"
    with pytest.raises(DocumentError) as garbage:
        parse_resume(b"%PDF-1.4\n" + bytes(range(256)) * 10)
    assert garbage.value.code == "PARSE_FAILED"


def test_too_many_pages() -> None:
    writer = PdfWriter()
    for _ in range(3):
        writer.add_page(PdfReader(io.BytesIO(one_column_resume_pdf())).pages[0])
    buf = io.BytesIO()
    writer.write(buf)
    with pytest.raises(DocumentError) as info:
        read_pdf(buf.getvalue(), max_pages=2)
    assert info.value.code == "SIZE_EXCEEDED"
    assert len(read_pdf(buf.getvalue(), max_pages=3).lines) > 10


def test_full_width_header_above_two_columns() -> None:
    items = [
        Text(50, 40, "Morgan Yu — Senior Accountant — morgan.yu@example.com — Tampa, FL", size=11)
    ]
    y = 80.0
    for left, right in [
        ("SKILLS", "EXPERIENCE"),
        ("Excel", "Senior Accountant, Palm Ledger LLP"),
        ("QuickBooks", "2018 – Present"),
        ("NetSuite", "• Closed the books in four days"),
        ("SAP", "• Led the NetSuite migration"),
        ("EDUCATION", "Staff Accountant, Gulf Audit Co."),
        ("B.S. Accounting", "2015 – 2018"),
        ("University of Florida, 2015", "• Audited 30 nonprofit clients"),
    ]:
        items += [Text(50, y, left), Text(250, y, right)]
        y += 14
    doc = parse_resume(pdf_from_pages([items]))
    assert doc.contact.email == "morgan.yu@example.com"
    assert doc.contact.location == "Tampa, FL"
    assert doc.skills == ["Excel", "QuickBooks", "NetSuite", "SAP"]
    assert [(e.employer, len(e.bullets)) for e in doc.experience] == [
        ("Palm Ledger LLP", 2),
        ("Gulf Audit Co.", 1),
    ]
    section = doc.section(SectionKind.EDUCATION)
    assert section is not None and section.education[0].school == "University of Florida"
