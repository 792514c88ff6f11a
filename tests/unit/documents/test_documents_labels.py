"""Shouted names in name case, and labelled lines ("Certifications: CPA, CMA") whose
content must survive whatever section they open."""

from __future__ import annotations

import pytest

from app.documents import SectionKind, parse_resume
from app.tailoring.layout import original_as_tailored


def _resume(name: str, summary: list[str], experience: list[str] | None = None) -> bytes:
    body = [
        name,
        "jo@example.com | 555-123-4567",
        "",
        "SUMMARY",
        *summary,
        "",
        "EXPERIENCE",
        "Senior Accountant | Acme Corp | 2019 - Present",
        "- Led month-end close for 12 entities",
        *(experience or []),
        "",
        "EDUCATION",
        "BS Accounting, Ohio State University, 2015",
    ]
    return "\n".join(body).encode()


@pytest.mark.parametrize(
    ("shouted", "expected"),
    [
        ("LUIS FERREIRA-HOLT", "Luis Ferreira-Holt"),
        ("SIOBHAN O'NEIL", "Siobhan O'Neil"),
        ("AOIFE O’BRIEN-MCCARTHY", "Aoife O’Brien-McCarthy"),
        ("ROSS MCDONALD", "Ross McDonald"),
        ("J. R. NAIR", "J. R. Nair"),
        ("ANNA DE LA CRUZ", "Anna De La Cruz"),
    ],
)
def test_shouted_names_keep_capitals_after_hyphens_and_apostrophes(
    shouted: str, expected: str
) -> None:
    doc = parse_resume(_resume(shouted, ["Accountant with 8 years in audit."]), "r.txt")
    assert doc.contact.name == expected


def test_mixed_case_names_are_kept_as_written() -> None:
    doc = parse_resume(_resume("Ross McDONALD", ["Accountant with 8 years in audit."]), "r.txt")
    assert doc.contact.name == "Ross McDONALD"


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Certifications: CPA, CMA", SectionKind.CERTIFICATIONS),
        ("Licenses: CPA (Ohio), Series 7", SectionKind.CERTIFICATIONS),
        ("Languages: English, Portuguese", SectionKind.LANGUAGES),
        ("SKILLS: NetSuite, Excel, SAP", SectionKind.SKILLS),
    ],
)
@pytest.mark.parametrize("filename", ["r.txt", "r.md"])
def test_a_labelled_line_in_a_summary_keeps_its_content(
    line: str, kind: SectionKind, filename: str
) -> None:
    doc = parse_resume(_resume("Jo Park", ["Accountant with 8 years in audit.", line]), filename)
    labelled = next(s for s in doc.sections if s.kind is kind)
    # The line opens the section and is also its content, not a heading to skip.
    assert labelled.heading_line_id is None
    assert [ln.text for ln in labelled.lines] == [line]
    tailored = original_as_tailored(doc)
    shown = [ln.text for s in tailored.sections for ln in s.lines]
    label, items = (part.strip() for part in line.split(":", 1))
    # Shown under its label as the heading, the label not repeated.
    section = next(s for s in tailored.sections if s.kind is kind)
    assert section.heading == label and [ln.text for ln in section.lines] == [items]
    assert "Accountant with 8 years in audit." in shown


@pytest.mark.parametrize("filename", ["r.txt", "r.md"])
def test_labelled_lines_inside_a_job_are_details_of_that_job(filename: str) -> None:
    extra = ["Tools used: NetSuite, Excel", "Skills: SAP, Excel", "Licenses: CPA (Ohio)"]
    doc = parse_resume(_resume("Jo Park", ["Accountant."], extra), filename)
    # No job titled "Skills" at "SAP": the lines belong to the job they sit under.
    assert [(e.title, e.employer) for e in doc.experience] == [("Senior Accountant", "Acme Corp")]
    assert [b.text for b in doc.experience[0].bullets][-3:] == extra
    shown = [ln.text for s in original_as_tailored(doc).sections for ln in s.lines]
    assert all(line in shown for line in extra)


def test_a_heading_of_its_own_is_still_structure() -> None:
    doc = parse_resume(_resume("Jo Park", ["Accountant."]), "r.txt")
    summary = next(s for s in doc.sections if s.kind is SectionKind.SUMMARY)
    assert summary.heading_line_id is not None
    shown = [ln.text for s in original_as_tailored(doc).sections for ln in s.lines]
    assert "SUMMARY" not in shown


@pytest.mark.parametrize("line", ["Certifications: CPA, CMA", "Languages: English, Portuguese"])
def test_sentences_after_a_labelled_list_stay_in_the_summary(line: str) -> None:
    summary = ["Accountant with 8 years in audit.", line, "Known for fast, clean closes."]
    doc = parse_resume(_resume("Jo Park", summary), "r.txt")
    sections = {s.kind: [ln.text for ln in s.lines] for s in doc.sections}
    assert sections[SectionKind.SUMMARY] == [summary[0], summary[2]]
    assert [line] in sections.values()


def test_a_wrapped_labelled_list_keeps_its_items() -> None:
    summary = ["Accountant with 8 years in audit.", "Certifications: CPA, CMA,", "CIA, CFE"]
    doc = parse_resume(_resume("Jo Park", summary), "r.txt")
    certifications = next(s for s in doc.sections if s.kind is SectionKind.CERTIFICATIONS)
    assert " ".join(ln.text for ln in certifications.lines).endswith("CIA, CFE")


@pytest.mark.parametrize(
    ("shouted", "expected"),
    [("DANA REYES, PMP", "Dana Reyes"), ("PRIYA RAMAN, RN, BSN", "Priya Raman")],
)
def test_a_shouted_name_keeps_its_surname_before_the_credentials(
    shouted: str, expected: str
) -> None:
    doc = parse_resume(_resume(shouted, ["Accountant."]), "r.txt")
    assert doc.contact.name == expected


def test_contact_details_after_a_labelled_line_under_the_name_stay_contact() -> None:
    text = _resume("Jo Park", ["Accountant."]).decode()
    text = text.replace("Jo Park\n", "Jo Park\nCertifications: PMP, CSM\n", 1)
    doc = parse_resume(text.encode(), "r.txt")
    assert (doc.contact.email, doc.contact.phone) == ("jo@example.com", "555-123-4567")
    certifications = next(s for s in doc.sections if s.kind is SectionKind.CERTIFICATIONS)
    assert [ln.text for ln in certifications.lines] == ["Certifications: PMP, CSM"]
