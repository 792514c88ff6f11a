"""`RenderDocument` -> DOCX with python-docx: real Word styles, no tables.

ATS parsers read Word styles as structure, so the name uses "Title", section headings
"Heading 2", bullets the built-in "List Bullet" (a real numbered-list paragraph, not a
typed "•"), and entry headers are bold runs kept with their dates line. Nothing is laid
out with tables or text boxes, which many ATS read out of order or not at all.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime

import docx
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor
from docx.styles.style import BaseStyle, ParagraphStyle
from docx.text.paragraph import Paragraph as DocxParagraph

from app.exports.model import BulletList, Paragraph, RenderDocument, normalised
from app.exports.templates import DocxStyle, docx_style

_THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def render_docx(doc: RenderDocument, template: str = "classic") -> bytes:
    style = docx_style(template)
    doc = normalised(doc)
    out = docx.Document()
    _apply_template(out, style)
    _set_properties(out, doc)
    add = _Adder(out)
    if doc.title:
        add(doc.title, "Title")
    if doc.contact_line:
        add(" | ".join(doc.contact_line), "Contact")
    for section in doc.sections:
        if section.heading:
            add(section.heading, "Heading 2")
        for block in section.blocks:
            if isinstance(block, Paragraph):
                add(block.text)
            elif isinstance(block, BulletList):
                for item in block.items:
                    add(item, "List Bullet")
            else:
                header = add("", "Entry")
                header.add_run(block.title).bold = True
                if block.meta:
                    header.paragraph_format.keep_with_next = True
                    add(block.meta, "Entry Meta")
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


class _Adder:
    """Appends paragraphs with a style, resolving each style name to its id once.

    python-docx resolves `add_paragraph(style="...")` by scanning every style in the
    document for each paragraph, which was most of the render time; setting the
    paragraph's pStyle id directly produces the same XML.
    """

    def __init__(self, out: DocxDocument) -> None:
        self.out = out
        self.ids: dict[str, str] = {}

    def __call__(self, text: str, style: str | None = None) -> DocxParagraph:
        paragraph = self.out.add_paragraph(text)
        if style is not None:
            if style not in self.ids:
                self.ids[style] = self.out.styles[style].style_id
            paragraph._p.style = self.ids[style]
        return paragraph


def _apply_template(out: DocxDocument, style: DocxStyle) -> None:
    for section in out.sections:
        section.left_margin = section.right_margin = Inches(style.margin_in)
        section.top_margin = section.bottom_margin = Inches(min(style.margin_in, 0.75))
    accent = RGBColor(*style.accent)
    styles = out.styles

    normal = styles["Normal"]
    _font(normal, style.body_font, style.body_pt)
    normal.paragraph_format.space_after = Pt(style.space_after_pt)

    title = styles["Title"]
    _font(title, style.heading_font, style.name_pt, bold=True, color=accent)
    _clear_border(title)
    title.paragraph_format.space_after = Pt(2)

    heading = styles["Heading 2"]
    _font(heading, style.heading_font, style.heading_pt, bold=True, color=accent)
    heading.paragraph_format.space_before = Pt(style.heading_pt)
    heading.paragraph_format.space_after = Pt(3)
    _bottom_border(heading, style.accent)

    bullet = styles["List Bullet"]
    _font(bullet, style.body_font, style.body_pt)
    bullet.paragraph_format.space_after = Pt(style.space_after_pt)

    contact = styles.add_style("Contact", WD_STYLE_TYPE.PARAGRAPH)
    contact.base_style = normal
    _font(contact, style.body_font, max(style.body_pt - 1, 8))
    contact.paragraph_format.space_after = Pt(style.heading_pt / 2)

    entry = styles.add_style("Entry", WD_STYLE_TYPE.PARAGRAPH)
    entry.base_style = normal
    entry.paragraph_format.space_before = Pt(style.heading_pt / 2)
    entry.paragraph_format.space_after = Pt(0)
    entry.paragraph_format.keep_with_next = True

    meta = styles.add_style("Entry Meta", WD_STYLE_TYPE.PARAGRAPH)
    meta.base_style = normal
    _font(meta, style.body_font, style.body_pt, italic=True)
    meta.paragraph_format.space_after = Pt(2)
    meta.paragraph_format.keep_with_next = True


def _font(
    style: ParagraphStyle,
    name: str,
    size_pt: float,
    *,
    bold: bool | None = None,
    italic: bool | None = None,
    color: RGBColor | None = None,
) -> None:
    font = style.font
    font.name, font.size = name, Pt(size_pt)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic
    if color is not None:
        font.color.rgb = color  # also drops the theme colour, which Word would prefer
    # Theme font attributes win over the explicit name in Word; drop them.
    rfonts = style.element.rPr.rFonts if style.element.rPr is not None else None
    if rfonts is not None:
        for attr in _THEME_FONT_ATTRS:
            rfonts.attrib.pop(qn(attr), None)
        rfonts.set(qn("w:eastAsia"), name)
        rfonts.set(qn("w:cs"), name)


def _clear_border(style: BaseStyle) -> None:
    ppr = style.element.pPr
    if ppr is not None:
        for border in ppr.findall(qn("w:pBdr")):
            ppr.remove(border)


def _bottom_border(style: BaseStyle, rgb: tuple[int, int, int]) -> None:
    _clear_border(style)
    ppr = style.element.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("val", "single"), ("sz", "6"), ("space", "1")):
        bottom.set(qn(f"w:{key}"), value)
    bottom.set(qn("w:color"), "{:02X}{:02X}{:02X}".format(*rgb))
    bdr.append(bottom)
    # CT_PPr is a sequence: pBdr must precede spacing/ind/etc. to stay schema-valid.
    ppr.insert_element_before(
        bdr,
        "w:shd",
        "w:tabs",
        "w:suppressAutoHyphens",
        "w:kinsoku",
        "w:wordWrap",
        "w:overflowPunct",
        "w:topLinePunct",
        "w:autoSpaceDE",
        "w:autoSpaceDN",
        "w:bidi",
        "w:adjustRightInd",
        "w:snapToGrid",
        "w:spacing",
        "w:ind",
        "w:contextualSpacing",
        "w:mirrorIndents",
        "w:suppressOverlap",
        "w:jc",
        "w:textDirection",
        "w:textAlignment",
        "w:textboxTightWrap",
        "w:outlineLvl",
        "w:divId",
        "w:cnfStyle",
        "w:rPr",
        "w:sectPr",
        "w:pPrChange",
    )


def _set_properties(out: DocxDocument, doc: RenderDocument) -> None:
    props = out.core_properties
    now = datetime.now(UTC).replace(microsecond=0)
    props.title = doc.title
    props.author = props.last_modified_by = doc.meta_author
    props.subject = "Resume" if doc.kind == "resume" else "Cover letter"
    # The bundled template carries python-docx's own metadata; overwrite all of it.
    props.comments = props.keywords = props.category = ""
    props.created = props.modified = now
    props.revision = 1
