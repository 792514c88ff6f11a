"""Builders for test documents (PDF via reportlab, DOCX via python-docx, raw zips/PDFs).

Everything is generated in memory at test time so the fixtures are readable as code and
nothing binary is checked in. Also holds the sandbox test targets, which the worker
process imports by module name.
"""

from __future__ import annotations

import io
import os
import signal
import time
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from pypdf import PdfReader, PdfWriter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

PAGE_W, PAGE_H = A4


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # distance from the top of the page
    text: str
    size: float = 10
    bold: bool = False
    right: bool = False  # x is the right edge (drawRightString)


def pdf_from_pages(pages: Sequence[Iterable[Text]]) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for items in pages:
        for item in items:
            c.setFont("Helvetica-Bold" if item.bold else "Helvetica", item.size)
            y = PAGE_H - item.y
            if item.right:
                c.drawRightString(item.x, y, item.text)
            else:
                c.drawString(item.x, y, item.text)
        c.showPage()
    c.save()
    return buf.getvalue()


def _bullets(x: float, y: float, wrapped: Sequence[str]) -> tuple[list[Text], float]:
    """One bullet: glyph plus the text, continuation lines hanging under the text."""
    items = [Text(x, y, "•")]
    for line in wrapped:
        items.append(Text(x + 10, y, line))
        y += 13
    return items, y


def one_column_resume_pdf() -> bytes:
    items: list[Text] = [
        Text(50, 50, "Dana Whitfield", size=20, bold=True),
        Text(50, 70, "dana.whitfield@example.com | (617) 555-0148 | Boston, MA"),
        Text(50, 100, "PROFESSIONAL SUMMARY", size=12, bold=True),
        Text(50, 116, "Data engineer who builds reliable pipelines for analytics teams."),
        Text(50, 146, "EXPERIENCE", size=12, bold=True),
        Text(50, 164, "Senior Data Engineer, Quarry Analytics", bold=True),
        Text(545, 164, "Jan 2019 – Present", right=True),
    ]
    y = 178.0
    for wrapped in (
        [
            "Designed a streaming ingestion service in Kafka and Python that processes 2 billion",
            "events per day with exactly-once delivery into the lakehouse",
        ],
        ["Cut Snowflake spend by 35% by reworking clustering keys and warehouse schedules"],
    ):
        bullet, y = _bullets(60, y, wrapped)
        items += bullet
    y += 8
    items += [
        Text(50, y, "Data Analyst, Harbor Insurance", bold=True),
        Text(545, y, "03/2016 - 12/2018", right=True),
    ]
    y += 14
    bullet, y = _bullets(
        60,
        y,
        [
            "Automated 30 weekly reports with Airflow and dbt, freeing a full day per analyst",
            "every week",
        ],
    )
    items += bullet
    y += 16
    items += [
        Text(50, y, "EDUCATION", size=12, bold=True),
        Text(50, y + 18, "B.S. Mathematics, Tufts University, 2016"),
        Text(50, y + 48, "SKILLS", size=12, bold=True),
        Text(50, y + 66, "Python, SQL, Kafka, Airflow, dbt, Snowflake"),
    ]
    return pdf_from_pages([items])


def two_column_resume_pdf(*, sidebar_left: bool = True) -> bytes:
    side_x, main_x = (40.0, 220.0) if sidebar_left else (400.0, 40.0)
    items: list[Text] = []
    y = 60.0
    for text, bold in (
        ("CONTACT", True),
        ("jo.bloggs@example.com", False),
        ("+1 415 555 0199", False),
        ("San Francisco, CA", False),
        ("", False),
        ("SKILLS", True),
        ("Python", False),
        ("Kubernetes", False),
        ("PostgreSQL", False),
        ("Terraform", False),
        ("", False),
        ("EDUCATION", True),
        ("B.S. Computer Science", False),
        ("Stanford University, 2012", False),
    ):
        if text:
            items.append(Text(side_x, y, text, bold=bold))
        y += 14
    y = 60.0
    items += [
        Text(main_x, y, "Jo Bloggs", size=20, bold=True),
        Text(main_x, y + 20, "Site Reliability Engineer", size=11),
        Text(main_x, y + 44, "EXPERIENCE", size=12, bold=True),
    ]
    y += 62
    roles = (
        (
            "Staff SRE — Nimbus Cloud, San Francisco",
            "Jan 2019 – Present",
            (
                [
                    "Cut paging volume by 60% by rewriting alert rules",
                    "and adding SLO burn-rate alerts",
                ],
                ["Ran the Kubernetes upgrade program for 40 clusters"],
            ),
        ),
        (
            "SRE — Parcel Labs, Oakland",
            "2014 – 2018",
            (["Built the Terraform module library used by every", "product team in the company"],),
        ),
    )
    for header, dates, bullets in roles:
        items += [Text(main_x, y, header, bold=True), Text(main_x, y + 13, dates)]
        y += 27
        for wrapped in bullets:
            bullet, y = _bullets(main_x + 6, y, wrapped)
            items += bullet
        y += 8
    return pdf_from_pages([items])


def multipage_resume_pdf() -> bytes:
    """Two pages, a running header on both, page numbers, an entry spanning the break."""

    def page(n: int, body: list[Text]) -> list[Text]:
        return [
            Text(50, 30, "Alex Morgan — Resume", size=8),
            *body,
            Text(297, 810, f"Page {n} of 2", size=8),
        ]

    first = [
        Text(50, 60, "Alex Morgan", size=20, bold=True),
        Text(50, 80, "alex.morgan@example.com | 555-010-4477 | Columbus, OH"),
        Text(50, 110, "WORK EXPERIENCE", size=12, bold=True),
        Text(50, 128, "Operations Manager — Keystone Foods", bold=True),
        Text(50, 142, "2015 – 2020"),
    ]
    y = 156.0
    for i in range(3):
        bullet, y = _bullets(
            60, y, [f"Improved line throughput at plant {i + 1} by 12% using lean methods"]
        )
        first += bullet
    second = [
        Text(50, 60, "Shift Supervisor — Keystone Foods", bold=True),
        Text(50, 74, "2012 – 2015"),
    ]
    bullet, _ = _bullets(60, 88, ["Supervised 25 staff across two production lines"])
    second += bullet
    second += [
        Text(50, 130, "EDUCATION", size=12, bold=True),
        Text(50, 148, "B.B.A. Operations Management, Ohio State University, 2012"),
    ]
    return pdf_from_pages([page(1, first), page(2, second)])


def scanned_pdf() -> bytes:
    """Only a drawn rectangle and an inline image: what a scan looks like to a parser."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.rect(50, 50, 400, 600, fill=1)
    from PIL import Image
    from reportlab.lib.utils import ImageReader

    img = Image.new("L", (40, 40), color=128)
    c.drawImage(ImageReader(img), 100, 100, width=200, height=200)
    c.showPage()
    c.save()
    return buf.getvalue()


def encrypted_pdf(user_password: str = "s3cret") -> bytes:
    reader = PdfReader(io.BytesIO(one_column_resume_pdf()))
    writer = PdfWriter()
    for p in reader.pages:
        writer.add_page(p)
    writer.encrypt(user_password=user_password, owner_password="owner-pw", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def job_pdf() -> bytes:
    lines = [
        ("Data Platform Engineer", True),
        ("Northstar Health — Chicago, IL (Hybrid)", False),
        ("", False),
        ("Responsibilities", True),
        ("- Build batch and streaming pipelines on AWS", False),
        ("- Own data quality monitoring", False),
        ("", False),
        ("Requirements", True),
        ("- 3+ years with Python and SQL", False),
        ("- Experience with Spark or Flink", False),
        ("", False),
        ("Nice to have", True),
        ("- Healthcare data (HL7, FHIR)", False),
    ]
    items = [Text(50, 60 + 15 * i, t, bold=b) for i, (t, b) in enumerate(lines) if t]
    return pdf_from_pages([items])


def hostile_slow_pdf(operations: int = 400_000) -> bytes:
    """A small, valid PDF whose one page holds a huge compressed content stream.

    Each operation is a positioned text draw, so layout extraction has to do real work
    per operation: many seconds of CPU from a file of a few hundred KB.
    """
    ops = b"".join(
        b"BT /F1 9 Tf %d %d Td (x%d) Tj ET\n" % (i % 500, (i * 7) % 800, i % 97)
        for i in range(operations)
    )
    stream = zlib.compress(ops, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


# --- DOCX ------------------------------------------------------------------------------


def _save(document: Any) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def docx_heading_styles() -> bytes:
    d = docx.Document()
    d.add_paragraph("Casey Nguyen", style="Title")
    d.add_paragraph("casey.nguyen@example.com | 503-555-0110 | Portland, OR")
    d.add_paragraph("Work Experience", style="Heading 1")
    d.add_paragraph("Registered Nurse — Providence Health, Portland, OR", style="Heading 2")
    d.add_paragraph("June 2017 – Present")
    d.add_paragraph("Cared for 5–6 telemetry patients per shift", style="List Bullet")
    d.add_paragraph("Precepted 12 new graduate nurses", style="List Bullet")
    d.add_paragraph("Nursing Assistant — Valley Clinic", style="Heading 2")
    d.add_paragraph("2014–2016")
    d.add_paragraph("Recorded vitals and intake for 40 patients a day", style="List Bullet")
    d.add_paragraph("Education", style="Heading 1")
    d.add_paragraph("BSN, Oregon Health & Science University, 2017")
    d.add_paragraph("Licenses & Certifications", style="Heading 1")
    d.add_paragraph("RN, Oregon State Board of Nursing", style="List Bullet")
    return _save(d)


def docx_bold_headings_and_skills_table() -> bytes:
    d = docx.Document()
    d.add_paragraph().add_run("Jamie Ortiz").bold = True
    d.add_paragraph("jamie.ortiz@example.com · +1 713 555 0190 · Houston, TX")
    d.add_paragraph().add_run("SUMMARY").bold = True
    d.add_paragraph("Operations leader focused on warehouse throughput and safety.")
    d.add_paragraph().add_run("EXPERIENCE").bold = True
    d.add_paragraph().add_run("Brightline Logistics — Operations Manager").bold = True
    d.add_paragraph("Mar 2018 – Present")
    d.add_paragraph("Raised pick rate 22% with slotting changes", style="List Number")
    d.add_paragraph("Cut recordable incidents from 9 to 2 per year", style="List Number")
    d.add_paragraph().add_run("SKILLS").bold = True
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Software"
    table.cell(0, 1).text = "SAP, Excel, Tableau"
    table.cell(1, 0).text = "Methods"
    table.cell(1, 1).text = "Lean, Six Sigma, 5S"
    d.add_paragraph().add_run("EDUCATION").bold = True
    d.add_paragraph("B.S. Industrial Engineering | Texas A&M University | 2012")
    return _save(d)


def docx_contact_in_header() -> bytes:
    d = docx.Document()
    section = d.sections[0]
    header_text = "Riley Chen • riley.chen@example.com • +1 (206) 555-0142 • Seattle, WA"
    section.header.paragraphs[0].text = header_text
    section.footer.paragraphs[0].text = "github.com/rileychen"
    d.add_paragraph("Experience", style="Heading 1")
    d.add_paragraph("Frontend Developer | Larkspur Apps | 2020 - Present")
    d.add_paragraph("Rebuilt the checkout in React and TypeScript", style="List Bullet")
    d.add_paragraph("Skills", style="Heading 1")
    d.add_paragraph("React, TypeScript, GraphQL, Jest")
    return _save(d)


def docx_layout_table() -> bytes:
    """A two-column resume built from a one-row table (sidebar left, main right)."""
    d = docx.Document()
    table = d.add_table(rows=1, cols=2)
    left, right = table.cell(0, 0), table.cell(0, 1)
    left.paragraphs[0].text = "Contact"
    left.paragraphs[0].style = d.styles["Heading 2"]
    for text in ("morgan.diaz@example.com", "(305) 555-0177", "Miami, FL"):
        left.add_paragraph(text)
    left.add_paragraph("Skills", style="Heading 2")
    for text in ("Adobe Illustrator", "Copywriting", "Brand strategy"):
        left.add_paragraph(text)
    right.paragraphs[0].text = "Morgan Diaz"
    right.paragraphs[0].style = d.styles["Title"]
    right.add_paragraph("Experience", style="Heading 2")
    right.add_paragraph("Brand Designer, Coral Creative")
    right.add_paragraph("2018 – 2023")
    right.add_paragraph("Led rebrands for 14 hospitality clients", style="List Bullet")
    right.add_paragraph("Education", style="Heading 2")
    right.add_paragraph("BFA Graphic Design, University of Miami, 2018")
    return _save(d)


def docx_job() -> bytes:
    d = docx.Document()
    d.add_paragraph("Customer Success Manager", style="Title")
    d.add_paragraph("Tidewater Software — Remote (US)")
    d.add_paragraph("What you'll do", style="Heading 2")
    d.add_paragraph("Own renewals for 60 mid-market accounts", style="List Bullet")
    d.add_paragraph("Requirements", style="Heading 2")
    d.add_paragraph("3+ years in SaaS customer success", style="List Bullet")
    d.add_paragraph("Salesforce and Gainsight", style="List Bullet")
    d.add_paragraph("Bonus", style="Heading 2")
    d.add_paragraph("Spanish", style="List Bullet")
    return _save(d)


def docx_with_custom_heading_style() -> bytes:
    """A heading style with a custom name based on Heading 1 (common in templates)."""
    d = docx.Document()
    style = d.styles.add_style("Resume Section", WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = d.styles["Heading 1"]
    d.add_paragraph("Avery Brooks", style="Title")
    d.add_paragraph("avery@example.com")
    d.add_paragraph("Projects", style="Resume Section")
    d.add_paragraph("Open-source contributor to a CSV linting tool")
    return _save(d)


# --- zips ------------------------------------------------------------------------------


def _minimal_docx_entries() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx_contact_in_header())) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def zip_bomb_docx(huge_mb: int = 60) -> bytes:
    """A real DOCX plus one entry of zeros that inflates to `huge_mb` MB."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in _minimal_docx_entries().items():
            zf.writestr(name, data)
        with zf.open("word/media/padding.bin", "w", force_zip64=True) as handle:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(huge_mb):
                handle.write(chunk)
    return buf.getvalue()


def high_ratio_docx() -> bytes:
    """Under the total-size cap but one entry compresses > 1000:1."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in _minimal_docx_entries().items():
            zf.writestr(name, data)
        zf.writestr("word/media/padding.bin", b"\0" * (8 * 1024 * 1024))
    return buf.getvalue()


def many_entries_docx(n: int = 1500) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as zf:
        for name, data in _minimal_docx_entries().items():
            zf.writestr(name, data)
        for i in range(n):
            zf.writestr(f"customXml/extra{i}.xml", b"<a/>")
    return buf.getvalue()


def xlsx_like_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
    return buf.getvalue()


PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7"
    b"\x35\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


# --- sandbox targets (imported by the worker process by module name) -------------------


def slow_parse(payload: bytes, **_: Any) -> dict[str, Any]:
    time.sleep(60)
    return {"never": True}


def hog_memory(payload: bytes, **_: Any) -> dict[str, Any]:
    blocks = [bytearray(64 * 1024 * 1024) for _ in range(64)]  # 4 GB if nothing stops it
    return {"allocated": len(blocks)}


def crash_hard(payload: bytes, **_: Any) -> dict[str, Any]:
    os.kill(os.getpid(), signal.SIGSEGV)
    return {}


def echo_length(payload: bytes, **params: Any) -> dict[str, Any]:
    return {"length": len(payload), "params": params}
