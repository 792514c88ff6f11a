"""Resume PDFs laid out with HTML/CSS and printed by WeasyPrint, as web-based builders do."""

from __future__ import annotations

import html
from typing import Any

from tests.corpus.text_forms import date_range, display_name, education_line, entry_lines

_BASE_CSS = """
@page { size: Letter; margin: 16mm 14mm 18mm 14mm; }
body { font-family: 'DejaVu Sans', sans-serif; font-size: 9.5pt; line-height: 1.3; }
h1 { font-size: 20pt; margin: 0 0 2pt 0; }
h2 { font-size: 11pt; margin: 10pt 0 4pt 0; }
h3 { font-size: 10pt; margin: 6pt 0 1pt 0; }
ul { margin: 2pt 0 4pt 0; padding-left: 14pt; }
p { margin: 2pt 0; }
.muted { color: #555; }
"""


def _e(text: str) -> str:
    return html.escape(text)


def _heading(text: str, caps: bool) -> str:
    return f"<h2>{_e(text.upper() if caps else text)}</h2>"


def _bullets(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{_e(b)}</li>" for b in items) + "</ul>"


def _skills_html(spec: dict[str, Any]) -> str:
    out = []
    for group in spec["skills"]:
        out.append(f"<h4 style='margin:6pt 0 1pt 0'>{_e(group['name'])}</h4>")
        out.append("".join(f"<div>{_e(item)}</div>" for item in group["items"]))
    return "".join(out)


def _education_html(spec: dict[str, Any]) -> str:
    return "".join(f"<p>{_e(education_line(e, i))}</p>" for i, e in enumerate(spec["education"]))


def _write(body: str, extra_css: str = "") -> bytes:
    from weasyprint import HTML

    doc = f"<html lang='en'><head><style>{_BASE_CSS}{extra_css}</style></head><body>{body}</body></html>"
    pdf = HTML(string=doc).write_pdf()
    assert pdf is not None
    return bytes(pdf)


def sidebar_pdf(spec: dict[str, Any]) -> bytes:
    """CSS grid: a narrow sidebar (contact, skills, education) beside the main column."""
    style = spec["style"]
    jobs = []
    for job in spec["jobs"]:
        head = "".join(
            f"<h3>{_e(t)}</h3>" for t in entry_lines(job, style["entry"], with_location=False)
        )
        where = f" | {job['location']}" if job.get("location") else ""
        dates = f"<p class='muted'>{_e(date_range(job, style['dates']) + where)}</p>"
        jobs.append(head + dates + _bullets(job["bullets"]))
    main = (
        f"<h1>{_e(display_name(spec))}</h1><p>{_e(spec['headline'])}</p>"
        + _heading("Profile", False) + f"<p class='hy'>{_e(spec['summary'])}</p>"
        + _heading("Experience", False) + "".join(jobs)
    )  # fmt: skip
    side = (
        _heading("Contact", False)
        + f"<div>{_e(spec['email'])}</div><div>{_e(spec['phone'])}</div>"
        + f"<div>{_e(spec['location'])}</div>"
        + _heading("Skills", False) + _skills_html(spec)
        + _heading("Education", False) + _education_html(spec)
    )  # fmt: skip
    left_side = style.get("sidebar", "left") == "left"
    cols = "32% 64%" if left_side else "64% 32%"
    inner = (
        f"<aside>{side}</aside><main>{main}</main>"
        if left_side
        else f"<main>{main}</main><aside>{side}</aside>"
    )
    css = (
        f".grid {{ display: grid; grid-template-columns: {cols}; column-gap: 4%; }}"
        "aside { background: #eef; padding: 6pt; }"
        ".hy, li { hyphens: auto; }"
    )
    return _write(f"<div class='grid'>{inner}</div>", css)


def footer_pdf(spec: dict[str, Any]) -> bytes:
    """One column, ALL-CAPS headings (optional), dates flush right, a running footer
    "Name, CRED · Page 1 of 2", and blank space (a spacer standing in for a photo or a
    long summary) that pushes the experience so a bullet crosses the page break."""
    style = spec["style"]
    caps = bool(style.get("caps"))
    footer = f"{display_name(spec)} · Page "
    css = (
        "@page { @bottom-center { content: '" + footer.replace("'", "\\'")
        + "' counter(page) ' of ' counter(pages); font-size: 8pt; color: #666; } }"
        ".row { display: flex; justify-content: space-between; font-weight: bold; margin-top: 8pt; }"
        "li { margin-bottom: 3pt; orphans: 1; widows: 1; } body { font-size: 11pt; }"
    )  # fmt: skip
    jobs = []
    for job in spec["jobs"]:
        lines = entry_lines(job, style["entry"])
        dates = date_range(job, style["dates"])
        head = f"<div class='row'><span>{_e(lines[0])}</span><span>{_e(dates)}</span></div>"
        head += "".join(f"<div><i>{_e(t)}</i></div>" for t in lines[1:])
        jobs.append(head + _bullets(job["bullets"]))
    skills = "".join(
        f"<p><b>{_e(g['name'])}:</b> {_e(', '.join(g['items']))}</p>" for g in spec["skills"]
    )
    certs = spec.get("certifications") or []
    body = (
        f"<h1>{_e(display_name(spec))}</h1>"
        f"<p>{_e(spec['email'])} | {_e(spec['phone'])} | {_e(spec['location'])}</p>"
        + _heading("Summary", caps) + f"<p>{_e(spec['summary'])}</p>"
        + f"<div style='height: {spec.get('spacer_mm', 70)}mm'></div>"
        + _heading("Professional Experience", caps) + "".join(jobs)
        + _heading("Education", caps) + _education_html(spec)
        + _heading("Skills", caps) + skills
        + ((_heading("Certifications", caps) + _bullets(certs)) if certs else "")
    )  # fmt: skip
    return _write(body, css)


def left_dates_pdf(spec: dict[str, Any]) -> bytes:
    """Each entry is a grid row: dates in a narrow left column, the entry on the right."""
    style = spec["style"]
    rows = []
    for job in spec["jobs"]:
        lines = entry_lines(job, style["entry"])
        right = f"<b>{_e(lines[0])}</b>" + "".join(f"<div>{_e(t)}</div>" for t in lines[1:])
        right += _bullets(job["bullets"])
        rows.append(
            f"<div class='when'>{_e(date_range(job, style['dates']))}</div><div>{right}</div>"
        )
    edu = "".join(
        f"<div class='when'>{_e(e['year'])}</div><div>{_e(e['degree'])}, {_e(e['school'])}</div>"
        for e in spec["education"]
    )
    skills = "".join(f"<p>{_e(g['name'])}: {_e(', '.join(g['items']))}</p>" for g in spec["skills"])
    css = (
        ".grid { display: grid; grid-template-columns: 26% 74%; row-gap: 6pt; }"
        ".when { color: #444; } h2 { letter-spacing: 1pt; text-transform: uppercase; }"
    )
    body = (
        f"<h1>{_e(display_name(spec))}</h1><p>{_e(spec['headline'])}</p>"
        f"<p>{_e(spec['location'])} · {_e(spec['phone'])} · {_e(spec['email'])}</p>"
        + _heading("Summary", False) + f"<p>{_e(spec['summary'])}</p>"
        + _heading("Experience", False) + f"<div class='grid'>{''.join(rows)}</div>"
        + _heading("Education", False) + f"<div class='grid'>{edu}</div>"
        + _heading("Skills", False) + skills
    )  # fmt: skip
    return _write(body, css)
