"""DOCX writer: real Word styles, List Bullet bullets, no tables, metadata, margins."""

from __future__ import annotations

import io

import docx
import pytest
from docx.shared import Inches

from app.exports import TEMPLATES, BulletList, EntryHeader, RenderDocument, render_docx
from app.exports.model import text_items
from app.exports.templates import DOCX_STYLES
from tests.unit.exports.conftest import Exporter, assert_in_order, docx_text


@pytest.mark.parametrize("template", TEMPLATES)
def test_docx_structure(resume: RenderDocument, exported: Exporter, template: str) -> None:
    result = exported("DOCX", template)
    document = docx.Document(io.BytesIO(result.data))
    paragraphs = [(p.style.name if p.style else "", p.text) for p in document.paragraphs]

    assert paragraphs[0] == ("Title", "Jonah Brandt")
    assert paragraphs[1][1].startswith("jonah.brandt@example.com | +1 (555) 019-4470")
    headings = [text for style, text in paragraphs if style == "Heading 2"]
    assert headings == [s.heading for s in resume.sections]

    bullets = [text for style, text in paragraphs if style == "List Bullet"]
    expected = [
        i for s in resume.sections for b in s.blocks if isinstance(b, BulletList) for i in b.items
    ]
    assert bullets == expected and len(bullets) == 9
    assert not any(text.lstrip().startswith(("•", "-", "*")) for text in bullets)

    entries = [p for p in document.paragraphs if p.style is not None and p.style.name == "Entry"]
    expected_entries = [b for s in resume.sections for b in s.blocks if isinstance(b, EntryHeader)]
    assert [p.text for p in entries] == [e.title for e in expected_entries]
    assert all(run.bold for p in entries for run in p.runs)

    assert_in_order(docx_text(result.data), [t for _, t in text_items(resume)])


@pytest.mark.parametrize("template", TEMPLATES)
def test_docx_has_no_tables_or_text_boxes(exported: Exporter, template: str) -> None:
    document = docx.Document(io.BytesIO(exported("DOCX", template).data))
    assert document.tables == []
    xml = document.element.xml
    assert "<w:tbl" not in xml and "txbxContent" not in xml and "<w:drawing" not in xml


@pytest.mark.parametrize("template", TEMPLATES)
def test_docx_metadata_margins_fonts(exported: Exporter, template: str) -> None:
    document = docx.Document(io.BytesIO(exported("DOCX", template).data))
    props = document.core_properties
    assert props.title == "Jonah Brandt" and props.author == "Jonah Brandt"
    assert props.last_modified_by == "Jonah Brandt" and props.subject == "Resume"
    assert props.comments == "" and "python-docx" not in (props.keywords or "")
    style = DOCX_STYLES[template]
    section = document.sections[0]
    assert section.left_margin == section.right_margin == Inches(style.margin_in)
    normal = document.styles["Normal"]
    assert normal.font.name == style.body_font  # type: ignore[attr-defined]
    rfonts = normal.element.rPr.rFonts  # type: ignore[union-attr]
    assert not any("Theme" in key or "theme" in key for key in rfonts.attrib)
    heading = document.styles["Heading 2"]
    assert heading.font.name == style.heading_font  # type: ignore[attr-defined]
    assert heading.font.color.theme_color is None  # explicit colour, no theme override


def test_templates_differ() -> None:
    assert len({(s.body_font, s.body_pt, s.margin_in) for s in DOCX_STYLES.values()}) == 3


def test_hostile_docx_is_plain_text(hostile: RenderDocument) -> None:
    data = render_docx(hostile)
    document = docx.Document(io.BytesIO(data))
    assert document.paragraphs[0].text == "Eve <script>alert(1)</script>"
    rels = document.part.rels.values()
    assert not [r for r in rels if r.is_external]  # no hyperlinks or linked files at all
    assert 'Did <a href="javascript:alert(1)" onclick="alert(1)">things</a>' in docx_text(data)


def test_cover_letter_docx(cover_letter: RenderDocument) -> None:
    document = docx.Document(io.BytesIO(render_docx(cover_letter, "modern")))
    assert document.paragraphs[0].text == "Cover letter"
    assert document.core_properties.subject == "Cover letter"
    assert document.core_properties.author == ""
    assert [p.text for p in document.paragraphs[1:3]] == [
        "Dear Hiring Manager,",
        cover_letter.sections[0].blocks[1].text,  # type: ignore[union-attr]
    ]
