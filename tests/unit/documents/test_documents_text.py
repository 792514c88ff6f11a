"""Plain-text and Markdown resumes, sniffing, limits, dates and headings."""

from __future__ import annotations

import pytest
from docasserts import assert_resume_invariants
from docfactory import PNG_BYTES

from app.documents import DocumentError, SectionKind, parse_resume
from app.documents.dates import find_date_range
from app.documents.headings import section_kind
from app.documents.limits import MAX_RESUME_BYTES
from app.documents.sniff import sniff_format

TEXT_RESUME = """\
JORDAN PATEL
Denver, CO | jordan.patel@example.com | (720) 555-0101

Employment History:

Acme Analytics | Senior Data Engineer | Jan 2019 – Present
• Built streaming pipelines in Kafka and Flink that feed
  the fraud models in near real time
• Reduced warehouse cost by 35%

Blue Door Bank — Data Analyst
03/2016 - 12/2018
· Automated reporting in Python
▪ Partnered with finance on forecasting

Line Cook, Harbor Grill          2014 to 2016
– Prepped 200 covers a night

Intern, City Library
Summer 2012
1. Digitised 3,000 records

Technical Skills
Languages: Python, SQL, Scala
Cloud: AWS, GCP

Education & Training
Master of Science in Data Science — University of Denver — 2018
"""

MD_RESUME = """\
Taylor Kim
==========

taylor.kim@example.com · +1 646 555 0123 · New York, NY · [LinkedIn](https://linkedin.com/in/taylorkim)

**PROFESSIONAL EXPERIENCE**

**Product Manager** | Loop Mobility | March 2021 - current
* Launched rider subscriptions reaching 40k members
* Ran weekly experiment reviews

**Associate Product Manager** | Loop Mobility | 2019-2021
* Shipped the driver onboarding flow

Core Competencies
-----------------
- Roadmapping, SQL, Figma
- A/B testing; stakeholder management

## Education
- B.A. Economics, Columbia University, 2019
"""


def _rows(doc_entries: list[object]) -> list[tuple[object, ...]]:
    return [
        (e.title, e.employer, e.start_text, e.end_text, e.start, e.end, len(e.bullets))  # type: ignore[attr-defined]
        for e in doc_entries
    ]


def test_text_resume_with_varied_headers_bullets_and_dates() -> None:
    doc = parse_resume(TEXT_RESUME.encode(), "resume.txt")
    assert doc.source_format == "text"
    assert doc.contact.name == "Jordan Patel"
    assert doc.contact.location == "Denver, CO"
    assert [s.heading for s in doc.sections] == [
        "",
        "Employment History",
        "Technical Skills",
        "Education & Training",
    ]
    assert _rows(doc.experience) == [  # type: ignore[arg-type]
        ("Senior Data Engineer", "Acme Analytics", "Jan 2019", "Present", "2019-01", "present", 2),
        ("Data Analyst", "Blue Door Bank", "03/2016", "12/2018", "2016-03", "2018-12", 2),
        ("Line Cook", "Harbor Grill", "2014", "2016", "2014", "2016", 1),
        ("Intern", "City Library", "Summer 2012", "Summer 2012", "2012", "2012", 1),
    ]
    first = doc.experience[0].bullets[0]
    assert first.text == (
        "Built streaming pipelines in Kafka and Flink that feed the fraud models in near real time"
    )
    assert first.is_bullet
    edu = doc.education[0]
    assert (edu.degree, edu.field_of_study, edu.school, edu.year) == (
        "Master of Science in Data Science",
        "Data Science",
        "University of Denver",
        "2018",
    )
    groups = [(g.name, g.skills) for s in doc.sections for g in s.skill_groups]
    assert groups == [("Languages", ["Python", "SQL", "Scala"]), ("Cloud", ["AWS", "GCP"])]
    assert_resume_invariants(doc)


def test_markdown_resume_with_setext_bold_headings_and_links() -> None:
    doc = parse_resume(MD_RESUME.encode(), "taylor.md")
    assert doc.source_format == "markdown"
    assert doc.contact.name == "Taylor Kim"
    assert doc.contact.links == ["https://linkedin.com/in/taylorkim"]
    assert [s.kind for s in doc.sections] == [
        SectionKind.CONTACT,
        SectionKind.EXPERIENCE,
        SectionKind.SKILLS,
        SectionKind.EDUCATION,
    ]
    assert _rows(doc.experience) == [  # type: ignore[arg-type]
        ("Product Manager", "Loop Mobility", "March 2021", "current", "2021-03", "present", 2),
        ("Associate Product Manager", "Loop Mobility", "2019", "2021", "2019", "2021", 1),
    ]
    assert "**" not in doc.text
    assert doc.skills == ["Roadmapping", "SQL", "Figma", "A/B testing", "stakeholder management"]
    assert doc.education[0].school == "Columbia University"
    assert_resume_invariants(doc)


def test_indentation_marks_bullets_in_plain_text() -> None:
    text = (
        "Sam Lee\nsam@example.com\n\nEXPERIENCE\n"
        "Barista, Bean Co.    2019 - 2020\n    Trained 6 new staff\n    Ran the morning shift\n"
    )
    doc = parse_resume(text.encode())
    (entry,) = doc.experience
    assert (entry.title, entry.employer) == ("Barista", "Bean Co.")
    assert [b.text for b in entry.bullets] == ["Trained 6 new staff", "Ran the morning shift"]


def test_company_then_title_lines_and_second_role_inherits_employer() -> None:
    text = (
        "Pat Doe\npat@example.com\n\nWork History\n"
        "Globex Corporation\nSenior Accountant\nMay 2020 – Present\n- Closed books in 4 days\n"
        "Staff Accountant   Jun 2017 – Apr 2020\n- Reconciled 40 accounts\n"
    )
    doc = parse_resume(text.encode())
    first, second = doc.experience
    assert (first.employer, first.title, first.start) == (
        "Globex Corporation",
        "Senior Accountant",
        "2020-05",
    )
    assert (second.employer, second.title, second.end) == (
        "Globex Corporation",
        "Staff Accountant",
        "2020-04",
    )


def test_filename_is_only_a_tie_break_between_markdown_and_text() -> None:
    body = b"Kim Park\nkim@example.com\n\nSkills\n- Python\n- SQL\n"
    assert parse_resume(body, "cv.md").source_format == "markdown"
    assert parse_resume(body, "cv.txt").source_format == "text"
    # A real PDF named .docx is still a PDF; content decides.
    assert sniff_format(b"%PDF-1.7\n...", "resume.docx") == "pdf"


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (PNG_BYTES, "PNG image"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(200), "JPEG image"),
        (b"GIF89a" + bytes(50), "GIF image"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "legacy Word"),
        (b"{\\rtf1\\ansi Resume}", "RTF"),
        (bytes(range(256)) * 20, "binary"),
    ],
)
def test_unsupported_formats_are_rejected(data: bytes, fragment: str) -> None:
    with pytest.raises(DocumentError) as info:
        parse_resume(data, "resume.pdf")
    assert info.value.code == "UNSUPPORTED_FORMAT"
    assert fragment in info.value.message
    assert "DOCX" in info.value.message or ".docx" in info.value.message


def test_oversize_resume_is_rejected_before_parsing() -> None:
    data = b"A" * (MAX_RESUME_BYTES + 1)
    with pytest.raises(DocumentError) as info:
        parse_resume(data)
    assert info.value.code == "SIZE_EXCEEDED"
    assert "5.0 MB" in info.value.message
    with pytest.raises(DocumentError) as small:
        parse_resume(TEXT_RESUME.encode(), max_bytes=100)
    assert small.value.code == "SIZE_EXCEEDED"


@pytest.mark.parametrize("data", [b"", b"   \n\n  "])
def test_empty_input(data: bytes) -> None:
    with pytest.raises(DocumentError) as info:
        parse_resume(data)
    assert info.value.code in ("INVALID_INPUT", "PARSE_FAILED")


def test_non_bytes_input_is_invalid() -> None:
    with pytest.raises(DocumentError) as info:
        parse_resume("text instead of bytes")  # type: ignore[arg-type]
    assert info.value.code == "INVALID_INPUT"


def test_legacy_encodings_decode() -> None:
    cp1252 = "Renée Dubois\nrenee@example.com\n\nExperience\nChef – Café Bleu\n2015 – 2019\n"
    doc = parse_resume(cp1252.encode("cp1252"))
    assert doc.contact.name == "Renée Dubois"
    assert doc.experience[0].employer == "Café Bleu"
    utf16 = parse_resume(cp1252.encode("utf-16"))
    assert utf16.text == doc.text
    bom = parse_resume(b"\xef\xbb\xbf" + cp1252.encode())
    assert bom.lines[0].text == "Renée Dubois"


def test_invisible_characters_and_ligatures_are_normalised() -> None:
    raw = (
        "Ana\u00a0Silva\u200b\nana@example.com\n\nSkills\n\ufb01nance modelling, of\ufb01ce tools\n"
    )
    doc = parse_resume(raw.encode())
    assert doc.contact.name == "Ana Silva"
    assert doc.skills == ["finance modelling", "office tools"]


@pytest.mark.parametrize(
    ("text", "start_text", "end_text", "start", "end"),
    [
        ("Jan 2019 – Present", "Jan 2019", "Present", "2019-01", "present"),
        ("March 2021 - current", "March 2021", "current", "2021-03", "present"),
        ("03/2016 - 12/2018", "03/2016", "12/2018", "2016-03", "2018-12"),
        ("2014–2016", "2014", "2016", "2014", "2016"),
        ("2014 to 2016", "2014", "2016", "2014", "2016"),
        ("06/2017 - 12/2019", "06/2017", "12/2019", "2017-06", "2019-12"),
        ("Sept. 2015 — Aug. 2017", "Sept. 2015", "Aug. 2017", "2015-09", "2017-08"),
        ("Jun '19 - Now", "Jun '19", "Now", "2019-06", "present"),
        ("Since 2020", "2020", None, "2020", "present"),
        ("2019-03 to 2020-01", "2019-03", "2020-01", "2019-03", "2020-01"),
        ("Summer 2012", "Summer 2012", None, "2012", None),
        ("Fall 2018 – Spring 2019", "Fall 2018", "Spring 2019", "2018", "2019"),
    ],
)
def test_date_forms(
    text: str, start_text: str, end_text: str | None, start: str, end: str | None
) -> None:
    found = find_date_range(f"Engineer, Acme   {text}")
    assert found is not None
    assert (found.start_text, found.end_text, found.start, found.end) == (
        start_text,
        end_text,
        start,
        end,
    )


@pytest.mark.parametrize("text", ["saved 2000 hours a year", "grew revenue 40%", "SKU 123456"])
def test_numbers_in_prose_are_not_dates(text: str) -> None:
    assert find_date_range(text) is None


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("Work Experience", SectionKind.EXPERIENCE),
        ("EXPERIENCE", SectionKind.EXPERIENCE),
        ("Employment History", SectionKind.EXPERIENCE),
        ("Professional Experience:", SectionKind.EXPERIENCE),
        ("Core Competencies", SectionKind.SKILLS),
        ("Technical Skills", SectionKind.SKILLS),
        ("Education & Training", SectionKind.EDUCATION),
        ("Licenses and Certifications", SectionKind.CERTIFICATIONS),
        ("Volunteer Experience", SectionKind.VOLUNTEER),
        ("Summary of Qualifications", SectionKind.SUMMARY),
        ("E X P E R I E N C E", SectionKind.EXPERIENCE),
        ("Selected Projects", SectionKind.PROJECTS),
        ("Languages", SectionKind.LANGUAGES),
        ("Awards & Honors", SectionKind.OTHER),
    ],
)
def test_heading_vocabulary(heading: str, kind: SectionKind) -> None:
    assert section_kind(heading) is kind


@pytest.mark.parametrize(
    "line",
    [
        "Software Engineer, Experience Labs",
        "Languages: Python, R",
        "Design systems",
        "Skills matter more than titles.",
        "Education 2016",
    ],
)
def test_ordinary_lines_are_not_headings(line: str) -> None:
    assert section_kind(line) is None


def test_resume_without_headings_warns_instead_of_inventing() -> None:
    doc = parse_resume(b"Just a short note about me.\nI like gardening.\n")
    assert doc.experience == []
    assert "NO_SECTIONS_FOUND" in doc.warnings
    assert "NO_EXPERIENCE_FOUND" in doc.warnings
    assert doc.sections[0].kind is SectionKind.CONTACT


def test_title_at_company_and_company_first_headers() -> None:
    text = (
        "Lee Wong\nlee@example.com\n\nExperience\n"
        "Software Engineer at Stripe\n"
        "Jan 2019 - Present | San Francisco, CA\n- Built payments APIs\n"
        "Google — Site Reliability Engineer — Mountain View, CA — 2015 – 2018\n- Ran on-call\n"
        "Acme Corp, Inc. | Director of Sales | 2010-2015\n- Grew revenue\n"
    )
    doc = parse_resume(text.encode())
    assert [(e.title, e.employer, e.location, e.start, e.end) for e in doc.experience] == [
        ("Software Engineer", "Stripe", "San Francisco, CA", "2019-01", "present"),
        ("Site Reliability Engineer", "Google", "Mountain View, CA", "2015", "2018"),
        ("Director of Sales", "Acme Corp, Inc.", None, "2010", "2015"),
    ]
