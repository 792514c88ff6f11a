"""Recognise resume section headings and map them to a canonical `SectionKind`.

Resumes name sections in many ways ("Employment History", "Core Competencies",
"EDUCATION & TRAINING:"), so matching is by keyword plus a small vocabulary of words that
may surround a keyword in a heading. That second rule is what stops an entry line such as
"Software Engineer, Experience Labs" from being read as a heading.
"""

from __future__ import annotations

import re

from app.documents.models import SectionKind
from app.documents.wordlists import wordset

# Order matters only for phrases that contain other keywords ("work history" before "work").
_KEYWORDS: tuple[tuple[str, SectionKind], ...] = (
    ("summary of qualifications", SectionKind.SUMMARY),
    ("personal statement", SectionKind.SUMMARY),
    ("about me", SectionKind.SUMMARY),
    ("work history", SectionKind.EXPERIENCE),
    ("career history", SectionKind.EXPERIENCE),
    ("employment history", SectionKind.EXPERIENCE),
    ("professional background", SectionKind.EXPERIENCE),
    ("positions held", SectionKind.EXPERIENCE),
    ("where i've worked", SectionKind.EXPERIENCE),
    ("where i have worked", SectionKind.EXPERIENCE),
    ("professional journey", SectionKind.EXPERIENCE),
    ("career path", SectionKind.EXPERIENCE),
    ("military service", SectionKind.EXPERIENCE),
    ("academic background", SectionKind.EDUCATION),
    ("academic history", SectionKind.EDUCATION),
    ("tools i use", SectionKind.SKILLS),
    ("what i bring", SectionKind.SKILLS),
    ("programming languages", SectionKind.SKILLS),
    ("computer languages", SectionKind.SKILLS),
    ("technical languages", SectionKind.SKILLS),
    ("skill set", SectionKind.SKILLS),
    ("tech stack", SectionKind.SKILLS),
    ("areas of expertise", SectionKind.SKILLS),
    ("open source", SectionKind.PROJECTS),
    ("community service", SectionKind.VOLUNTEER),
    ("community involvement", SectionKind.VOLUNTEER),
    ("contact information", SectionKind.CONTACT),
    ("contact details", SectionKind.CONTACT),
    ("personal details", SectionKind.CONTACT),
    ("personal information", SectionKind.CONTACT),
    ("additional information", SectionKind.OTHER),
    ("summary", SectionKind.SUMMARY),
    ("profile", SectionKind.SUMMARY),
    ("objective", SectionKind.SUMMARY),
    ("overview", SectionKind.SUMMARY),
    ("about", SectionKind.SUMMARY),
    ("introduction", SectionKind.SUMMARY),
    ("highlights", SectionKind.SUMMARY),
    ("experience", SectionKind.EXPERIENCE),
    ("experiences", SectionKind.EXPERIENCE),
    ("employment", SectionKind.EXPERIENCE),
    ("work", SectionKind.EXPERIENCE),
    ("internships", SectionKind.EXPERIENCE),
    ("internship", SectionKind.EXPERIENCE),
    ("education", SectionKind.EDUCATION),
    ("academics", SectionKind.EDUCATION),
    ("training", SectionKind.EDUCATION),
    ("coursework", SectionKind.EDUCATION),
    ("courses", SectionKind.EDUCATION),
    ("schooling", SectionKind.EDUCATION),
    ("skills", SectionKind.SKILLS),
    ("skillset", SectionKind.SKILLS),
    ("competencies", SectionKind.SKILLS),
    ("competences", SectionKind.SKILLS),
    ("expertise", SectionKind.SKILLS),
    ("technologies", SectionKind.SKILLS),
    ("tools", SectionKind.SKILLS),
    ("software", SectionKind.SKILLS),
    ("toolbox", SectionKind.SKILLS),
    ("toolkit", SectionKind.SKILLS),
    ("proficiencies", SectionKind.SKILLS),
    ("strengths", SectionKind.SKILLS),
    ("capabilities", SectionKind.SKILLS),
    ("abilities", SectionKind.SKILLS),
    ("qualifications", SectionKind.SKILLS),
    ("projects", SectionKind.PROJECTS),
    ("portfolio", SectionKind.PROJECTS),
    ("certifications", SectionKind.CERTIFICATIONS),
    ("certification", SectionKind.CERTIFICATIONS),
    ("certificates", SectionKind.CERTIFICATIONS),
    ("licenses", SectionKind.CERTIFICATIONS),
    ("licences", SectionKind.CERTIFICATIONS),
    ("licensure", SectionKind.CERTIFICATIONS),
    ("credentials", SectionKind.CERTIFICATIONS),
    ("accreditations", SectionKind.CERTIFICATIONS),
    ("languages", SectionKind.LANGUAGES),
    ("volunteer", SectionKind.VOLUNTEER),
    ("volunteering", SectionKind.VOLUNTEER),
    ("awards", SectionKind.OTHER),
    ("honors", SectionKind.OTHER),
    ("honours", SectionKind.OTHER),
    ("achievements", SectionKind.OTHER),
    ("accomplishments", SectionKind.OTHER),
    ("publications", SectionKind.OTHER),
    ("interests", SectionKind.OTHER),
    ("hobbies", SectionKind.OTHER),
    ("references", SectionKind.OTHER),
    ("activities", SectionKind.OTHER),
    ("affiliations", SectionKind.OTHER),
    ("memberships", SectionKind.OTHER),
    ("patents", SectionKind.OTHER),
    ("presentations", SectionKind.OTHER),
    ("talks", SectionKind.OTHER),
    ("leadership", SectionKind.OTHER),
    ("extracurricular", SectionKind.OTHER),
    ("contact", SectionKind.CONTACT),
)
_KEYWORD_MAP = dict(_KEYWORDS)
_PHRASES = sorted((k for k in _KEYWORD_MAP if " " in k), key=len, reverse=True)
_PHRASE_PATTERNS = [(p, re.compile(rf"\b{re.escape(p)}\b")) for p in _PHRASES]

# Words that may sit around a keyword in a heading without making it an ordinary line.
_MODIFIERS = wordset(
    """
    professional work relevant technical technology core key selected select additional
    employment career academic personal other related industry recent previous prior notable
    main areas area of and the my in with for a an history background information info
    details highlights research teaching leadership management digital software design
    marketing data engineering clinical military international consulting freelance project
    soft hard transferable specialized specialised summary expertise training qualifications
    tools development continuing list professional's executive languages spoken honors
    awards community licenses certifications education skills experience interests me
    """
)
_CONNECTORS = frozenset({"&", "/", "+", "and", "of", "the", "my", "in", "with", "for"})

_TOKEN = re.compile(r"[a-z][a-z']*|&|/|\+")
_LETTER_SPACED = re.compile(r"^(?:[A-Za-z] ){2,}[A-Za-z]$")
_DECOR = " \t#*_=~:|-–—•·>[](){}<.\u2022"


def clean_heading(text: str) -> str:
    """Heading text as written, minus markdown/decoration and a trailing colon."""
    t = text.strip().strip(_DECOR).strip()
    words = re.split(r"\s{2,}", t)
    if len(words) >= 1 and all(_LETTER_SPACED.match(w) for w in words):
        # "W O R K   E X P E R I E N C E" is a common PDF typographic effect.
        t = " ".join(w.replace(" ", "") for w in words)
    return t


def section_kind(text: str) -> SectionKind | None:
    """The section kind if `text` reads as a section heading, else None."""
    t = clean_heading(text)
    if not t or len(t) > 60 or any(ch.isdigit() for ch in t) or "@" in t:
        return None
    if t.endswith((".", "!", "?", ",")):
        return None
    lower = t.lower().replace("’", "'")
    words = [w for w in _TOKEN.findall(lower) if w not in _CONNECTORS]
    if not words or len(words) > 6:
        return None
    # The leftmost keyword decides: "Education & Training" is EDUCATION.
    best: tuple[int, SectionKind] | None = None
    keyword_words: set[str] = set()
    for phrase, pattern in _PHRASE_PATTERNS:
        m = pattern.search(lower)
        if m:
            keyword_words.update(phrase.split())
            if best is None or m.start() < best[0]:
                best = (m.start(), _KEYWORD_MAP[phrase])
    for m in _TOKEN.finditer(lower):
        w = m.group(0)
        if w in _KEYWORD_MAP:
            keyword_words.add(w)
            if best is None or m.start() < best[0]:
                best = (m.start(), _KEYWORD_MAP[w])
    if best is None:
        return None
    if any(w not in keyword_words and w not in _MODIFIERS for w in words):
        return None
    if best[1] is SectionKind.OTHER and words[-1] in ("experience", "history"):
        return SectionKind.EXPERIENCE  # "Leadership Experience" lists roles
    return best[1]


def is_all_caps(text: str) -> bool:
    letters = [ch for ch in text if ch.isalpha()]
    return len(letters) >= 3 and all(ch.isupper() for ch in letters)
