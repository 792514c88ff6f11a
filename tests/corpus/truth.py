"""Truth files written from the same specs the renderers draw: never typed twice."""

from __future__ import annotations

from typing import Any

_SECTION_OF_LAYOUT = {
    "pdf_sidebar": ["summary", "experience", "skills", "education", "contact"],
    "pdf_footer": ["summary", "experience", "education", "skills"],
    "pdf_left_dates": ["summary", "experience", "education", "skills"],
    "docx_bold": ["summary", "experience", "skills", "education"],
    "docx_header": ["summary", "experience", "education", "skills"],
    "docx_textbox": ["summary", "experience", "education", "skills"],
    "md_headings": ["summary", "experience", "education", "skills"],
    "md_plain": ["summary", "experience", "education", "skills"],
    "txt_odd_bullets": ["summary", "experience", "education", "skills"],
    "docx_template": ["summary", "experience", "education", "skills"],
    "docx_layout_table": ["summary", "experience", "skills", "education", "contact"],
    "pdf_flex": ["summary", "experience", "skills", "education", "contact"],
    "pdf_drawn": ["summary", "experience", "education", "skills"],
    "md_oneline": ["summary", "experience", "education", "skills"],
    "txt_dates_first": ["summary", "experience", "education", "skills"],
}


def resume_truth(spec: dict[str, Any]) -> dict[str, Any]:
    sections = list(_SECTION_OF_LAYOUT[spec["layout"]])
    if spec.get("certifications") and spec["layout"] == "pdf_footer":
        sections.append("certifications")
    return {
        "id": spec["id"],
        "layout": spec["layout"],
        "name": spec["name"],
        "email": spec["email"],
        "phone": spec["phone"],
        "location": spec["location"],
        "sections": sections,
        "experience": [
            {
                "employer": j["employer"],
                "title": j["title"],
                "start": j["start"],
                "end": j["end"],
                "bullets": list(j["bullets"]),
            }
            for j in spec["jobs"]
        ],
        "education": [{"school": e["school"], "degree": e["degree"]} for e in spec["education"]],
        "skills": [item for g in spec["skills"] for item in g["items"]],
    }


def posting_truth(spec: dict[str, Any]) -> dict[str, Any]:
    required: list[dict[str, str]] = []
    allowed: list[str] = []
    for _heading, kind, items in spec["sections"]:
        for _text, reqs in items:
            for name, importance in reqs:
                if kind.split("_")[0] in ("req", "pref"):
                    required.append({"name": name, "importance": importance})
                else:
                    allowed.append(name)
    return {
        "id": spec["id"],
        "format": spec["format"],
        "title": spec["title"],
        "company": spec["company"],
        "location": spec.get("location"),
        "remote": spec["remote"],
        "years": spec.get("years"),
        "requirements": required,
        "allowed": allowed,  # skills named in duties: reporting them is not an error
        "injection": bool(spec.get("inject")),
    }
