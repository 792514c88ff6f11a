"""Application-form auto-fill: the facts job sites ask for, as a JSON-ready dict."""

from __future__ import annotations

import re
from typing import Any

from app.documents.models import ResumeDocument, SectionKind
from app.tailoring.taxonomy import CERTIFICATION, LANGUAGE, load_taxonomy
from app.tailoring.types import ResumeAnalysis

_EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_RE = re.compile(r"\+?\d[\d\s().-]{7,}\d")
_LINK_RE = re.compile(r"(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)+(?:/[\w./-]*)?", re.I)


def _classify_links(links: list[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"linkedin": None, "github": None, "website": None, "other": []}
    for link in links:
        lower = link.lower()
        if "linkedin." in lower and out["linkedin"] is None:
            out["linkedin"] = link
        elif ("github." in lower or "gitlab." in lower) and out["github"] is None:
            out["github"] = link
        elif out["website"] is None:
            out["website"] = link
        else:
            out["other"].append(link)
    return out


def build_form_data(resume: ResumeDocument, analysis: ResumeAnalysis) -> dict[str, Any]:
    contact = resume.contact
    contact_text = " ".join(
        ln.text for s in resume.sections if s.kind is SectionKind.CONTACT for ln in s.lines
    )
    email = contact.email or _first(_EMAIL_RE, contact_text)
    phone = contact.phone or _first(_PHONE_RE, contact_text)
    links = list(contact.links)
    if not links:
        without_email = _EMAIL_RE.sub(" ", contact_text)
        links = [m.group(0) for m in _LINK_RE.finditer(without_email) if "." in m.group(0)]
    name = (analysis.name or contact.name or "").strip()
    parts = name.title().split() if name.isupper() else name.split()
    taxonomy = load_taxonomy()
    skills = [s.skill for s in analysis.skills if s.explicit and s.mentioned]
    certs = [
        s.skill
        for s in analysis.skills
        if s.mentioned and taxonomy.category(s.skill) == CERTIFICATION
    ]
    languages = [
        s.skill for s in analysis.skills if s.mentioned and taxonomy.category(s.skill) == LANGUAGE
    ]
    return {
        "name": (" ".join(parts) if parts else None),
        "first_name": parts[0] if parts else None,
        "last_name": parts[-1] if len(parts) > 1 else None,
        "email": email,
        "phone": phone,
        "location": contact.location,
        "links": _classify_links(links),
        "current_title": analysis.current_title,
        "current_employer": analysis.current_employer,
        "years_experience": analysis.total_years,
        "work_history": [
            {
                "employer": e.employer,
                "title": e.title,
                "location": e.location,
                "start": e.start,
                "end": e.end,
            }
            for e in resume.experience
        ],
        "education": [
            {
                "school": e.school,
                "degree": e.degree,
                "field_of_study": e.field_of_study,
                "year": e.year,
            }
            for e in resume.education
        ],
        "skills": [s for s in skills if s not in certs and s not in languages],
        "certifications": certs,
        "languages": languages,
    }


def _first(pattern: re.Pattern[str], text: str) -> str | None:
    m = pattern.search(text)
    return m.group(0).strip() if m else None
