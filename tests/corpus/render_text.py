"""Resume Markdown and pasted plain text, as people type them."""

from __future__ import annotations

from typing import Any

from tests.corpus.text_forms import date_range, display_name, education_line, entry_lines


def md_headings(spec: dict[str, Any]) -> bytes:
    style = spec["style"]
    out = [
        f"# {display_name(spec)}",
        "",
        f"{spec['headline']}  ",
        f"{spec['email']} · {spec['phone']} · {spec['location']}",
        "",
        "## Summary",
        "",
        spec["summary"],
        "",
        "## Experience",
        "",
    ]
    for job in spec["jobs"]:
        lines = entry_lines(job, style["entry"], with_location=False)
        out.append(f"### {lines[0]}")
        out.extend(f"**{t}**  " for t in lines[1:])
        where = f" · {job['location']}" if job.get("location") else ""
        out += [f"*{date_range(job, style['dates'])}{where}*", ""]
        out += [f"- {b}" for b in job["bullets"]] + [""]
    out += ["## Education", ""]
    out += [f"- {education_line(e, i)}" for i, e in enumerate(spec["education"])] + [""]
    out += ["## Skills", ""]
    out += [f"- **{g['name']}:** {', '.join(g['items'])}" for g in spec["skills"]]
    return ("\n".join(out) + "\n").encode()


def md_plain(spec: dict[str, Any]) -> bytes:
    """Markdown without a single '#': bold lines as headings, '*' bullets."""
    style = spec["style"]
    out = [
        f"**{display_name(spec)}**",
        f"{spec['email']} | {spec['phone']} | {spec['location']}",
        "",
        "**SUMMARY**",
        spec["summary"],
        "",
        "**EXPERIENCE**",
        "",
    ]
    for job in spec["jobs"]:
        lines = entry_lines(job, style["entry"])
        out.append(f"**{lines[0]}** — {date_range(job, style['dates'])}")
        out.extend(f"_{t}_" for t in lines[1:])
        out += [f"* {b}" for b in job["bullets"]] + [""]
    out += ["**EDUCATION**"]
    out += [education_line(e, i) for i, e in enumerate(spec["education"])] + [""]
    out += ["**SKILLS**"]
    out += [f"{g['name']}: {', '.join(g['items'])}" for g in spec["skills"]]
    return ("\n".join(out) + "\n").encode()


def txt_odd_bullets(spec: dict[str, Any]) -> bytes:
    """Text pasted from a word processor: odd bullet glyphs, dates after a wide gap,
    headings in capitals with a colon, the education line school-first."""
    style = spec["style"]
    glyph = style.get("bullet", "•")
    out = [
        display_name(spec),
        spec["headline"],
        f"{spec['phone']}  |  {spec['email']}  |  {spec['location']}",
        "",
        "PROFILE:",
        spec["summary"],
        "",
        "EMPLOYMENT HISTORY:",
    ]
    for job in spec["jobs"]:
        lines = entry_lines(job, style["entry"])
        out.append("")
        out.append(f"{lines[0]}      {date_range(job, style['dates'])}")
        out.extend(lines[1:])
        out += [f"  {glyph} {b}" for b in job["bullets"]]
    out += ["", "EDUCATION:"]
    out += [f"{e['school']}  {e['degree']}  {e['year']}" for e in spec["education"]]
    out += ["", "SKILLS:"]
    out += [f"{g['name']}: {', '.join(g['items'])}" for g in spec["skills"]]
    return ("\n".join(out) + "\n").encode()
