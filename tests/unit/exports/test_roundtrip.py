"""Round-trip check: faithful files give no warnings; dropped or moved content does."""

from __future__ import annotations

import copy
import io

import docx
import pytest

from app.exports import (
    TEMPLATES,
    Paragraph,
    RenderDocument,
    check_roundtrip,
    render_docx,
    render_pdf,
)
from app.exports.roundtrip import squash
from tests.unit.exports.conftest import Exporter


@pytest.mark.parametrize("fmt", ["PDF", "DOCX"])
@pytest.mark.parametrize("template", TEMPLATES)
def test_faithful_exports_have_no_warnings(exported: Exporter, fmt: str, template: str) -> None:
    assert exported(fmt, template).warnings == []  # type: ignore[arg-type]


def test_cover_letter_round_trip(cover_letter: RenderDocument) -> None:
    assert check_roundtrip(cover_letter, render_pdf(cover_letter, "compact"), "PDF") == []
    assert check_roundtrip(cover_letter, render_docx(cover_letter, "modern"), "DOCX") == []
    shorter = copy.deepcopy(cover_letter)
    del shorter.sections[0].blocks[2]
    warnings = check_roundtrip(cover_letter, render_docx(shorter), "DOCX")
    assert len(warnings) == 1
    assert warnings[0].startswith("ROUNDTRIP_TEXT_MISSING: At Lumen I designed a shipment")


def test_tampered_docx_with_a_section_removed(resume: RenderDocument) -> None:
    document = docx.Document(io.BytesIO(render_docx(resume)))
    paragraphs = document.paragraphs
    start = next(i for i, p in enumerate(paragraphs) if p.text == "Skills")
    for paragraph in paragraphs[start : start + 2]:  # the heading and its one paragraph
        paragraph._element.getparent().remove(paragraph._element)
    buffer = io.BytesIO()
    document.save(buffer)
    warnings = check_roundtrip(resume, buffer.getvalue(), "DOCX")
    assert len(warnings) == 2
    assert warnings[0] == "ROUNDTRIP_SECTION_MISSING: Skills"
    assert warnings[1].startswith("ROUNDTRIP_TEXT_MISSING: Go, Python, SQL, Flask")
    assert warnings[1].endswith("…") and len(warnings[1]) < 100  # snippets stay short


def test_tampered_pdf_with_a_section_dropped(resume: RenderDocument) -> None:
    tampered = copy.deepcopy(resume)
    tampered.sections = [s for s in tampered.sections if s.heading != "Education"]
    warnings = check_roundtrip(resume, render_pdf(tampered), "PDF")
    assert "ROUNDTRIP_SECTION_MISSING: Education" in warnings
    education = "B.S. Computer Engineering, University of Minnesota, 2016"
    assert f"ROUNDTRIP_TEXT_MISSING: {education}" in warnings
    assert len(warnings) == 2


def test_reordered_sections_and_text_are_reported(resume: RenderDocument) -> None:
    swapped = copy.deepcopy(resume)
    s = swapped.sections
    s[3], s[4] = s[4], s[3]  # Skills <-> Certifications
    bullets = s[1].blocks[1]
    bullets.items[0], bullets.items[1] = bullets.items[1], bullets.items[0]  # type: ignore[union-attr]
    warnings = check_roundtrip(resume, render_docx(swapped), "DOCX")
    assert "ROUNDTRIP_ORDER: section Certifications" in warnings
    assert any(
        w.startswith("ROUNDTRIP_ORDER: Moved 14 services from hand-built VMs") for w in warnings
    )
    assert not any("MISSING" in w for w in warnings)


def test_changed_words_are_reported(resume: RenderDocument) -> None:
    edited = copy.deepcopy(resume)
    edited.sections[0].blocks[0] = Paragraph("Backend engineer with 2 years of experience.")
    warnings = check_roundtrip(resume, render_docx(edited), "DOCX")
    assert len(warnings) == 1
    assert warnings[0].startswith("ROUNDTRIP_TEXT_MISSING: Backend engineer with 9 years")


def test_unreadable_file() -> None:
    doc = RenderDocument("A")
    warnings = check_roundtrip(doc, b"%PDF-1.7 garbage", "PDF")
    assert warnings == ["ROUNDTRIP_UNREADABLE: PARSE_FAILED"]
    letter = RenderDocument("Cover letter", kind="cover_letter")
    assert check_roundtrip(letter, b"not a zip", "DOCX")[0].startswith("ROUNDTRIP_UNREADABLE")


def test_squash_absorbs_extraction_artifacts() -> None:
    assert squash("ﬁle “quoted” don’t") == squash('file "quoted" don\'t')
    assert squash("shipment-\ntracking  API") == squash("shipment-tracking API")
    assert squash("develop-\nment") == squash("development")
    assert squash("EXPERIENCE") == squash("Experience")
    assert squash("Mar 2021 – Present") == squash("Mar 2021 - Present")
    assert squash("soft\u00adhyphen") == squash("softhyphen")
