"""Exports render a version from its stored structure; format metadata lives in one table."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.documents import parse_job_posting, parse_resume
from app.exports import (
    FORMATS,
    BulletList,
    EntryHeader,
    Paragraph,
    download_name,
    export,
    resume_document,
    stored_document,
)
from app.exports.model import text_items
from app.tailoring import LocalEngine, Strategy

PAIRS = Path(__file__).resolve().parents[2] / "fixtures" / "pairs"


def _tailored() -> object:
    resume = parse_resume((PAIRS / "resumes" / "staff-accountant.txt").read_bytes(), "r.txt")
    job = parse_job_posting((PAIRS / "jobs" / "accountant-summit.txt").read_text())
    engine = LocalEngine(as_of=date(2025, 11, 15))
    return engine.draft(resume, job, engine.plan(resume, job), Strategy.DEFAULT)


def test_resume_document_has_one_header_per_entry_and_no_damage() -> None:
    tailored = _tailored()
    doc = resume_document(tailored)  # type: ignore[arg-type]
    assert doc.title == "ROBERTO SILVA"
    assert doc.contact_line == ["roberto.silva@example.com", "303-555-0190", "Denver, CO"]
    experience = next(s for s in doc.sections if s.heading == "EXPERIENCE")
    headers = [b for b in experience.blocks if isinstance(b, EntryHeader)]
    assert [(h.title, h.meta) for h in headers] == [
        ("Senior Staff Accountant, Alpine Outdoor Co. · Denver, CO", "Feb 2021 - Present"),
        ("Staff Accountant, Front Range Dental Group · Boulder, CO", "Jul 2019 - Jan 2021"),
    ]
    assert all(isinstance(b, EntryHeader | BulletList) for b in experience.blocks)
    assert "Page 1 of 2" not in [t for _, t in text_items(doc)]  # running footer removed
    summary = next(s for s in doc.sections if s.heading == "SUMMARY")
    assert isinstance(summary.blocks[0], Paragraph)


def test_stored_version_renders_from_structure_and_old_ones_from_markdown() -> None:
    tailored = _tailored()
    content = {"resume": tailored.to_dict()}  # type: ignore[attr-defined]
    doc = stored_document(content, "# Ignored\n", "resume")
    assert doc.title == "ROBERTO SILVA"  # the structure, not the (stale) Markdown
    old = stored_document({}, "# Dana Okafor\n\n## Experience\n\n### Engineer\n2020\n", "resume")
    assert old.title == "Dana Okafor" and isinstance(old.sections[0].blocks[0], EntryHeader)
    letter = stored_document(content, "Dear Hiring Team,\n\nThank you.\n", "cover_letter")
    assert [t for _, t in text_items(letter)][-1] == "Thank you."
    result = export(doc, "MARKDOWN")
    assert result.content_type == FORMATS["MARKDOWN"].content_type
    assert result.data.decode().count("### ") == 2


def test_format_table_names_files_safely() -> None:
    assert FORMATS["DOCX"].mime == (
        "application",
        "vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    assert download_name("Senior Accountant / CPA?", "resume", "PDF", version=3) == (
        "Senior Accountant  CPA - resume v3.pdf"
    )
    assert download_name(None, "cover-letter", "TEXT") == "resume - cover-letter.txt"
