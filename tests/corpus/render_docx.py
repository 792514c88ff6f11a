"""Resume DOCX files built with python-docx the way people lay them out in Word."""

from __future__ import annotations

import copy
import io
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.oxml import parse_xml
from docx.shared import Inches, Pt
from docx.text.paragraph import Paragraph

from tests.corpus.text_forms import date_range, display_name, education_line, entry_lines

_VML_TEXTBOX = (
    '<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict>'
    '<v:shape id="box{n}" style="position:absolute;margin-left:360pt;width:160pt;height:200pt">'
    "<v:textbox><w:txbxContent>{paragraphs}</w:txbxContent></v:textbox></v:shape>"
    "</w:pict></w:r>"
)
_W_PARA = '<w:p><w:r>{bold}<w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def _xml_escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _bytes(document: DocxDocument) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _bold_para(document: DocxDocument, text: str, size: float | None = None) -> Paragraph:
    para = document.add_paragraph()
    run = para.add_run(text)
    run.bold = True
    if size:
        run.font.size = Pt(size)
    return para


def _entry_with_tab(document: DocxDocument, left: str, right: str, *, bold: bool) -> None:
    para = document.add_paragraph()
    para.paragraph_format.tab_stops.add_tab_stop(Inches(6.5), WD_TAB_ALIGNMENT.RIGHT)
    run = para.add_run(left)
    run.bold = bold
    para.add_run("\t" + right)


def _bullet(document: DocxDocument, text: str, typed: bool) -> None:
    if typed:
        document.add_paragraph("•\t" + text)
    else:
        document.add_paragraph(text, style="List Bullet")


def _heading(document: DocxDocument, text: str, mode: str) -> None:
    if mode == "styled":
        document.add_heading(text, level=1)
    elif mode == "caps":
        _bold_para(document, text.upper(), 12)
    else:
        _bold_para(document, text, 13)


def _experience(document: DocxDocument, spec: dict[str, Any], typed: bool, mode: str) -> None:
    style = spec["style"]
    _heading(document, "Work Experience", mode)
    for job in spec["jobs"]:
        lines = entry_lines(job, style["entry"])
        _entry_with_tab(document, lines[0], date_range(job, style["dates"]), bold=True)
        for extra in lines[1:]:
            para = document.add_paragraph()
            para.add_run(extra).italic = True
        for b in job["bullets"]:
            _bullet(document, b, typed)


def _education(document: DocxDocument, spec: dict[str, Any], mode: str) -> None:
    _heading(document, "Education", mode)
    for i, entry in enumerate(spec["education"]):
        document.add_paragraph(education_line(entry, i))


def _skills_lines(document: DocxDocument, spec: dict[str, Any], mode: str) -> None:
    _heading(document, "Skills", mode)
    for group in spec["skills"]:
        para = document.add_paragraph()
        para.add_run(group["name"] + ": ").bold = True
        para.add_run(", ".join(group["items"]))


def bold_headings_docx(spec: dict[str, Any]) -> bytes:
    """Headings are bold Normal paragraphs; skills sit in a two-column table."""
    document = docx.Document()
    typed = spec["style"].get("bullets") == "typed"
    _bold_para(document, display_name(spec), 18)
    document.add_paragraph(f"{spec['location']} | {spec['phone']} | {spec['email']}")
    _bold_para(document, "Summary", 12)
    document.add_paragraph(spec["summary"])
    _experience(document, spec, typed, "bold")
    _bold_para(document, "Skills", 12)
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for group in spec["skills"]:
        cells = table.add_row().cells
        cells[0].text = group["name"]
        cells[1].text = ", ".join(group["items"])
    _education(document, spec, "bold")
    return _bytes(document)


def header_contact_docx(spec: dict[str, Any]) -> bytes:
    """Name and headline in the page header, contact details in the footer."""
    document = docx.Document()
    section = document.sections[0]
    header = section.header.paragraphs[0]
    header.add_run(display_name(spec)).bold = True
    section.header.add_paragraph(spec["headline"])
    section.footer.paragraphs[0].text = f"{spec['email']} · {spec['phone']} · {spec['location']}"
    mode = spec["style"].get("headings", "bold")
    _heading(document, "Professional Summary", mode)
    document.add_paragraph(spec["summary"])
    _experience(document, spec, False, mode)
    _education(document, spec, mode)
    _skills_lines(document, spec, mode)
    return _bytes(document)


def textbox_docx(spec: dict[str, Any]) -> bytes:
    """Name and contact in a floating text box (VML), the body as ALL-CAPS bold headings."""
    document = docx.Document()
    contact = [display_name(spec), spec["email"], spec["phone"], spec["location"]]
    paragraphs = "".join(
        _W_PARA.format(bold="<w:rPr><w:b/></w:rPr>" if i == 0 else "", text=_xml_escape(t))
        for i, t in enumerate(contact)
    )
    anchor = document.add_paragraph()
    anchor._p.append(parse_xml(_VML_TEXTBOX.format(n=1, paragraphs=paragraphs)))
    _heading(document, "Summary", "caps")
    document.add_paragraph(spec["summary"])
    _experience(document, spec, False, "caps")
    _education(document, spec, "caps")
    _skills_lines(document, spec, "caps")
    return _bytes(copy.copy(document))
