"""DOCX parsing: styles, bold headings, tables, headers/footers, and hostile zips."""

from __future__ import annotations

import pytest
from docasserts import assert_resume_invariants
from docfactory import (
    docx_bold_headings_and_skills_table,
    docx_contact_in_header,
    docx_heading_styles,
    docx_layout_table,
    docx_with_custom_heading_style,
    high_ratio_docx,
    many_entries_docx,
    xlsx_like_zip,
    zip_bomb_docx,
)

from app.documents import DocumentError, SectionKind, parse_resume
from app.documents.docx_reader import check_zip


def test_heading_styles_title_and_list_bullets() -> None:
    doc = parse_resume(docx_heading_styles(), "casey.docx")
    assert doc.source_format == "docx"
    assert doc.contact.name == "Casey Nguyen"
    assert doc.contact.location == "Portland, OR"
    assert [(s.kind, s.heading) for s in doc.sections[1:]] == [
        (SectionKind.EXPERIENCE, "Work Experience"),
        (SectionKind.EDUCATION, "Education"),
        (SectionKind.CERTIFICATIONS, "Licenses & Certifications"),
    ]
    nurse, assistant = doc.experience
    # Heading 2 inside a Heading 1 section is an entry header, not a new section.
    assert (nurse.title, nurse.employer, nurse.location) == (
        "Registered Nurse",
        "Providence Health",
        "Portland, OR",
    )
    assert (nurse.start, nurse.end, len(nurse.bullets)) == ("2017-06", "present", 2)
    assert (assistant.title, assistant.employer, assistant.start, assistant.end) == (
        "Nursing Assistant",
        "Valley Clinic",
        "2014",
        "2016",
    )
    assert all(b.is_bullet for b in nurse.bullets)
    edu = doc.education[0]
    assert (edu.degree, edu.school, edu.year) == (
        "BSN",
        "Oregon Health & Science University",
        "2017",
    )
    assert_resume_invariants(doc)


def test_bold_headings_numbered_list_and_label_value_skills_table() -> None:
    doc = parse_resume(docx_bold_headings_and_skills_table())
    assert doc.contact.name == "Jamie Ortiz"
    assert [s.heading for s in doc.sections[1:]] == ["SUMMARY", "EXPERIENCE", "SKILLS", "EDUCATION"]
    (entry,) = doc.experience
    assert (entry.title, entry.employer, entry.start) == (
        "Operations Manager",
        "Brightline Logistics",
        "2018-03",
    )
    assert [b.text for b in entry.bullets] == [
        "Raised pick rate 22% with slotting changes",
        "Cut recordable incidents from 9 to 2 per year",
    ]
    skills = doc.section(SectionKind.SKILLS)
    assert skills is not None
    assert [(g.name, g.skills) for g in skills.skill_groups] == [
        ("Software", ["SAP", "Excel", "Tableau"]),
        ("Methods", ["Lean", "Six Sigma", "5S"]),
    ]
    edu = doc.education[0]
    assert (edu.degree, edu.field_of_study, edu.school) == (
        "B.S. Industrial Engineering",
        "Industrial Engineering",
        "Texas A&M University",
    )
    assert_resume_invariants(doc)


def test_contact_in_page_header_and_link_in_footer() -> None:
    doc = parse_resume(docx_contact_in_header())
    assert (doc.contact.name, doc.contact.email, doc.contact.phone, doc.contact.location) == (
        "Riley Chen",
        "riley.chen@example.com",
        "+1 (206) 555-0142",
        "Seattle, WA",
    )
    assert doc.contact.links == ["github.com/rileychen"]
    assert doc.lines[0].text.startswith("Riley Chen")  # header is read first
    (entry,) = doc.experience
    assert (entry.title, entry.employer, entry.start, entry.end) == (
        "Frontend Developer",
        "Larkspur Apps",
        "2020",
        "present",
    )
    assert doc.skills == ["React", "TypeScript", "GraphQL", "Jest"]
    assert_resume_invariants(doc)


def test_layout_table_is_read_as_columns_with_name_first() -> None:
    doc = parse_resume(docx_layout_table())
    assert doc.lines[0].text == "Morgan Diaz"
    assert doc.contact.name == "Morgan Diaz"
    assert doc.contact.email == "morgan.diaz@example.com"
    assert doc.skills == ["Adobe Illustrator", "Copywriting", "Brand strategy"]
    (entry,) = doc.experience
    assert (entry.title, entry.employer, entry.start, entry.end) == (
        "Brand Designer",
        "Coral Creative",
        "2018",
        "2023",
    )
    assert doc.education[0].degree == "BFA Graphic Design"
    assert_resume_invariants(doc)


def test_custom_style_based_on_heading_is_a_heading() -> None:
    doc = parse_resume(docx_with_custom_heading_style())
    projects = doc.section(SectionKind.PROJECTS)
    assert projects is not None and projects.heading == "Projects"
    assert [ln.text for ln in projects.lines] == ["Open-source contributor to a CSV linting tool"]


@pytest.mark.parametrize("builder", [zip_bomb_docx, high_ratio_docx, many_entries_docx])
def test_zip_bombs_are_rejected_before_decompressing(
    builder: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = builder()  # type: ignore[operator]
    import zipfile

    import docx

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("an entry was opened before the zip checks rejected the file")

    monkeypatch.setattr(docx, "Document", refuse)
    monkeypatch.setattr(zipfile.ZipFile, "open", refuse)
    with pytest.raises(DocumentError) as info:
        parse_resume(data, "bomb.docx")
    assert info.value.code == "PARSE_FAILED"
    assert "zip bomb" in info.value.message


def test_zip_limits_are_configurable() -> None:
    data = docx_contact_in_header()
    check_zip(data)
    with pytest.raises(DocumentError):
        check_zip(data, max_entries=3)
    with pytest.raises(DocumentError):
        check_zip(data, max_total=1000)


def test_zip_that_is_not_a_word_document() -> None:
    with pytest.raises(DocumentError) as info:
        parse_resume(xlsx_like_zip(), "resume.docx")
    assert info.value.code == "UNSUPPORTED_FORMAT"
    assert "Excel" in info.value.message


def test_damaged_docx() -> None:
    data = docx_heading_styles()
    with pytest.raises(DocumentError) as info:
        parse_resume(data[: len(data) // 2], "cut.docx")
    assert info.value.code == "PARSE_FAILED"
