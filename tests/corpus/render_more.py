"""Renderers of the second-wave layouts (see resume_specs_more.py)."""

from __future__ import annotations

import html
import io
from itertools import groupby
from typing import Any

import docx
from docx.document import Document as DocxDocument
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.shared import Inches, Pt
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from tests.corpus.render_pdf import _write
from tests.corpus.text_forms import date_range, display_name, education_line, entry_lines


def _save(document: DocxDocument) -> bytes:
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def _tab_line(document: DocxDocument, left: str, right: str, *, bold: bool, italic: bool) -> None:
    para = document.add_paragraph()
    para.paragraph_format.tab_stops.add_tab_stop(Inches(6.5), WD_TAB_ALIGNMENT.RIGHT)
    run = para.add_run(left)
    run.bold, run.italic = bold, italic
    para.add_run("\t" + right).italic = italic


def _by_employer(jobs: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """Consecutive roles at one employer are written under one employer line."""
    return [(k, list(g)) for k, g in groupby(jobs, key=lambda j: str(j["employer"]))]


def docx_template(spec: dict[str, Any]) -> bytes:
    """Word's resume template: Title-style name, Heading 1 sections, "Employer<tab>City"
    then "Title<tab>Dates" per role, roles at one employer stacked under it."""
    document = docx.Document()
    document.add_heading(display_name(spec), level=0)
    document.add_paragraph(f"{spec['email']} | {spec['phone']} | {spec['location']}")
    document.add_heading("Summary", level=1)
    document.add_paragraph(spec["summary"])
    document.add_heading("Experience", level=1)
    for employer, roles in _by_employer(spec["jobs"]):
        _tab_line(document, employer, roles[0].get("location") or "", bold=True, italic=False)
        for role in roles:
            _tab_line(document, role["title"], date_range(role, spec["style"]["dates"]),
                      bold=False, italic=True)  # fmt: skip
            for b in role["bullets"]:
                document.add_paragraph(b, style="List Bullet")
    document.add_heading("Education", level=1)
    for entry in spec["education"]:
        _tab_line(document, entry["school"], entry["year"], bold=True, italic=False)
        document.add_paragraph(entry["degree"])
    document.add_heading("Skills", level=1)
    for group in spec["skills"]:
        document.add_paragraph(f"{group['name']}: {', '.join(group['items'])}")
    return _save(document)


def docx_layout_table(spec: dict[str, Any]) -> bytes:
    """Name on top, then a borderless two-column table: sidebar cell and main cell."""
    document = docx.Document()
    run = document.add_paragraph().add_run(display_name(spec))
    run.bold, run.font.size = True, Pt(20)
    document.add_paragraph(spec["headline"])
    table = document.add_table(rows=1, cols=2)
    side, main = table.rows[0].cells

    def heading(cell: Any, text: str) -> None:
        cell.add_paragraph().add_run(text.upper()).bold = True

    side.paragraphs[0].add_run("CONTACT").bold = True
    for item in (spec["email"], spec["phone"], spec["location"]):
        side.add_paragraph(item)
    heading(side, "Skills")
    for group in spec["skills"]:
        for item in group["items"]:
            side.add_paragraph(item)
    heading(side, "Education")
    for i, entry in enumerate(spec["education"]):
        side.add_paragraph(education_line(entry, i))
    main.paragraphs[0].add_run("PROFILE").bold = True
    main.add_paragraph(spec["summary"])
    heading(main, "Experience")
    for job in spec["jobs"]:
        line = entry_lines(job, spec["style"]["entry"])[0]
        main.add_paragraph().add_run(
            f"{line} ({date_range(job, spec['style']['dates'])})"
        ).bold = True
        for b in job["bullets"]:
            main.add_paragraph(b, style="List Bullet")
    return _save(document)


def pdf_flex(spec: dict[str, Any]) -> bytes:
    """Flexbox with the sidebar on the right, letter-spaced headings, employer line then
    "Title | dates" lines, roles at one employer stacked."""
    e = html.escape
    style = spec["style"]
    jobs = []
    for employer, roles in _by_employer(spec["jobs"]):
        where = roles[0].get("location")
        jobs.append(f"<div class='emp'>{e(employer)}{', ' + e(where) if where else ''}</div>")
        for role in roles:
            jobs.append(
                f"<div class='role'>{e(role['title'])} | {e(date_range(role, style['dates']))}</div>"
                "<ul>" + "".join(f"<li>{e(b)}</li>" for b in role["bullets"]) + "</ul>"
            )
    skills = "".join(
        f"<div class='grp'>{e(g['name'])}</div>" + "".join(f"<div>{e(i)}</div>" for i in g["items"])
        for g in spec["skills"]
    )
    edu = "".join(
        f"<p>{e(x['degree'])}<br>{e(x['school'])}, {e(x['year'])}</p>" for x in spec["education"]
    )
    css = (
        ".wrap { display: flex; gap: 18pt; } main { flex: 2.2; } aside { flex: 1; }"
        "h2 { letter-spacing: 3pt; text-transform: uppercase; font-size: 10pt; }"
        ".emp { font-weight: bold; margin-top: 8pt; } .role { font-style: italic; }"
        ".grp { font-weight: bold; margin-top: 4pt; }"
    )
    body = (
        f"<h1>{e(display_name(spec))}</h1><p>{e(spec['headline'])}</p><div class='wrap'><main>"
        f"<h2>Summary</h2><p>{e(spec['summary'])}</p><h2>Experience</h2>{''.join(jobs)}</main>"
        f"<aside><h2>Contact</h2><div>{e(spec['email'])}</div><div>{e(spec['phone'])}</div>"
        f"<div>{e(spec['location'])}</div><h2>Skills</h2>{skills}<h2>Education</h2>{edu}"
        "</aside></div>"
    )
    return _write(body, css)


def pdf_drawn(spec: dict[str, Any]) -> bytes:
    """A drawn PDF (reportlab) whose content stream is not in reading order: body text
    first, then every right-aligned date, then the name and contact at the top."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=letter)
    width, height = letter
    late: list[tuple[float, float, str, str, float, bool]] = []  # drawn at the end
    y = height - 110

    def text(x: float, text_: str, font: str = "Helvetica", size: float = 10) -> None:
        c.setFont(font, size)
        c.drawString(x, y, text_)

    for heading, lines in _drawn_sections(spec):
        text(50, heading, "Helvetica-Bold", 12)
        y -= 18
        for kind, value, right in lines:
            if kind == "bullet":
                text(60, "•")
                text(70, value)
            else:
                text(50, value, "Helvetica-Bold" if kind == "title" else "Helvetica")
            if right:
                late.append((width - 50, y, right, "Helvetica", 10, True))
            y -= 14
        y -= 8
    late.append((50, height - 60, display_name(spec), "Helvetica-Bold", 20, False))
    contact = f"{spec['email']}  |  {spec['phone']}  |  {spec['location']}"
    late.append((50, height - 80, contact, "Helvetica", 10, False))
    for x, yy, value, font, size, align_right in late:
        c.setFont(font, size)
        (c.drawRightString if align_right else c.drawString)(x, yy, value)
    c.showPage()
    c.save()
    return buf.getvalue()


def _drawn_sections(spec: dict[str, Any]) -> list[tuple[str, list[tuple[str, str, str]]]]:
    exp: list[tuple[str, str, str]] = []
    for job in spec["jobs"]:
        exp.append(("title", job["title"], date_range(job, spec["style"]["dates"])))
        where = f", {job['location']}" if job.get("location") else ""
        exp.append(("plain", f"{job['employer']}{where}", ""))
        exp += [("bullet", b, "") for b in job["bullets"]]
    edu = [("plain", f"{x['degree']}, {x['school']}", x["year"]) for x in spec["education"]]
    skills = [("plain", f"{g['name']}: {', '.join(g['items'])}", "") for g in spec["skills"]]
    return [
        ("PROFILE", [("plain", spec["summary"], "")]),
        ("EXPERIENCE", exp),
        ("EDUCATION", edu),
        ("SKILLS", skills),
    ]


def md_oneline(spec: dict[str, Any]) -> bytes:
    out = [f"# {display_name(spec)}", f"{spec['headline']} · {spec['email']} · {spec['phone']}"
           f" · {spec['location']}", "", "## About", spec["summary"], "", "## Work history", ""]  # fmt: skip
    for job in spec["jobs"]:
        where = f" | {job['location']}" if job.get("location") else ""
        out.append(
            f"**{job['title']}** | {job['employer']}{where} | "
            f"{date_range(job, spec['style']['dates'])}"
        )
        out += [f"- {b}" for b in job["bullets"]] + [""]
    out += ["## Education", ""]
    out += [f"**{x['school']}** — {x['degree']}, {x['year']}" for x in spec["education"]]
    out += ["", "## Skills", ""]
    out += [f"- {g['name']}: {', '.join(g['items'])}" for g in spec["skills"]]
    return ("\n".join(out) + "\n").encode()


def txt_dates_first(spec: dict[str, Any]) -> bytes:
    """Dates first, then the entry line; bullets as '*'; headings underlined."""
    out = [display_name(spec), f"{spec['location']} / {spec['phone']} / {spec['email']}", "",
           "Summary", "=======", spec["summary"], "", "Experience", "=========="]  # fmt: skip
    for job in spec["jobs"]:
        line = entry_lines(job, spec["style"]["entry"])[0]
        out += ["", f"{date_range(job, spec['style']['dates'])}    {line}"]
        out += [f"    * {b}" for b in job["bullets"]]
    out += ["", "Education", "========="]
    out += [f"{x['year']}    {x['degree']}, {x['school']}" for x in spec["education"]]
    out += ["", "Skills", "======"]
    out += [f"{g['name']}: {', '.join(g['items'])}" for g in spec["skills"]]
    return ("\n".join(out) + "\n").encode()
