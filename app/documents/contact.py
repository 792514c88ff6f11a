"""Contact details: name, e-mail, phone, location and profile links.

Looked for first in the CONTACT region (page header, lines above the first heading, a
"Contact" sidebar section), then in the whole document for e-mail and phone only, since
some resumes put them in a footer or at the end.
"""

from __future__ import annotations

import re

from app.documents.headings import section_kind
from app.documents.lexicon import COMPANY_WORDS, TITLE_WORDS, as_location, find_location, words
from app.documents.models import Contact
from app.documents.text_lines import LogicalLine
from app.documents.wordlists import wordset

_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_PHONE = re.compile(r"(?<![\w+])(?:\+\d{1,3}[\s.-]*)?\(?\d[\d\s().-]{5,}\d(?![\w])")
_URL = re.compile(
    r"(?<![\w@.])(?:https?://)?(?:www\.)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\."
    r"(?:com|org|net|io|dev|design|me|co|ai|app|page|site|xyz|info|tech|uk|de|fr|ca|in|eu|us)"
    r"(?:/[^\s|,;)]*)?(?![\w@])",
    re.IGNORECASE,
)
_SEPARATORS = re.compile(r"\s*[|•·◦▪●∙♦✉☎📞📧]\s*|\s+[–—/]\s+|\s{2,}|\t")
_DATE_RANGE_LIKE = re.compile(r"^\(?\d{1,2}[/.]\d{2,4}\)?$|^\d{4}\s*[-–]\s*\d{4}$|^\d{4}$")
_LABEL = re.compile(
    r"^(?:e-?mail|phone|tel|mobile|cell|location|address|linkedin|github|web(?:site)?|"
    r"portfolio|name)\s*[:\-]\s*",
    re.IGNORECASE,
)


def split_parts(text: str) -> list[str]:
    """A contact line's items: "a@b.c | +1 555 | Austin, TX" -> three parts."""
    return [p.strip() for p in _SEPARATORS.split(text) if p and p.strip()]


def find_email(text: str) -> str | None:
    m = _EMAIL.search(text)
    return m.group(0) if m else None


def find_phone(text: str) -> str | None:
    for m in _PHONE.finditer(text):
        candidate = m.group(0).strip(" .-")
        digits = sum(ch.isdigit() for ch in candidate)
        if not 7 <= digits <= 15 or _DATE_RANGE_LIKE.match(candidate):
            continue
        if re.fullmatch(r"(?:19|20)\d\d\s*[-–]\s*(?:19|20)\d\d", candidate):
            continue
        if candidate.count("(") != candidate.count(")"):
            candidate = candidate.strip("()")
        return candidate
    return None


def find_links(text: str) -> list[str]:
    links = []
    for m in _URL.finditer(text):
        link = m.group(0).rstrip(".")
        if "@" in text[max(0, m.start() - 1) : m.start()]:
            continue
        links.append(link)
    return links


# Post-nominal credentials after a name: "Jane Roe, CPA", "Ana Muñoz, P.Eng.",
# "Priya Raman, RN, BSN", "Ben Carter, SHRM-CP", "Elena Petrova PhD".
_CREDENTIAL = (
    r"(?:[A-Z][A-Za-z]?\.?(?:[A-Z][a-z]{0,3}\.?)+|[A-Z]{2,6}(?:-[A-Z]{2,4})?|Ph\.?D\.?"
    r"|M\.?D\.?|Jr\.?|Sr\.?|Esq\.?|I{2,3}|IV)"
)
_CREDENTIAL_TAIL = re.compile(
    rf"(?:,\s*|\s+)(?={_CREDENTIAL}(?:\s*,\s*{_CREDENTIAL})*\s*$)"
    rf"{_CREDENTIAL}(?:\s*,\s*{_CREDENTIAL})*\s*$"
)


_PRONOUNS = re.compile(r"\s*\([^()]*/[^()]*\)")  # "(they/them)"
_HONORIFIC = re.compile(r"^(?:Dr|Mr|Mrs|Ms|Mx|Prof)\.?\s+(?=[A-Z])")


def _bare_name(text: str) -> str:
    """The name without pronouns in parentheses or an honorific in front."""
    return _HONORIFIC.sub("", _PRONOUNS.sub("", " ".join(text.split())))


def split_credentials(text: str) -> tuple[str, str | None]:
    """("Ana Muñoz", "P.Eng.") from "Ana Muñoz, P.Eng."; credentials need a comma unless
    they are unmistakable (two or more capitals: "PhD", "CPA")."""
    t = _bare_name(text)
    m = _CREDENTIAL_TAIL.search(t)
    if m is not None and t.isupper() and not m.group(0).startswith(","):
        # Shouted, every word looks like a credential: "DANA REYES, PMP" has its
        # credentials only after the comma.
        comma = t.find(",", m.start())
        m = _CREDENTIAL_TAIL.search(t, comma) if comma >= 0 else None
    if m is None or m.start() == 0:
        return t, None
    creds = m.group(0).strip(" ,")
    if "," not in m.group(0) and (sum(ch.isupper() for ch in creds) < 2 or t.isupper()):
        return t, None
    if not any(ch.isupper() for ch in creds[1:]) and "." not in creds:
        return t, None  # "Smith Jones": a surname, not a credential
    if "," not in m.group(0) and len(creds) > 5 and creds.isalpha():
        return t, None  # "Ross McDONALD", "Ana DeVRIES": a surname, not a credential
    return t[: m.start()].rstrip(" ,"), creds


def looks_like_name(text: str) -> bool:
    t = split_credentials(text.strip())[0]
    ws = t.split()
    if not 2 <= len(ws) <= 5 or len(t) > 40:
        return False
    # "María de la Cruz", "Ludwig van Beethoven": lower-case particles inside a name.
    # "(Bob)" is a nickname; "Jr." / "III" close a name.
    inner = [w.strip("()") for w in ws[1:-1] if w not in _PARTICLES]
    last = ws[-2] if ws[-1] in _SUFFIXES and len(ws) > 2 else ws[-1]
    if not all(_is_name_word(w) for w in (ws[0], *inner, last) if w):
        return False
    if len(ws) - len(ws[1:-1]) + len(inner) > 4:
        return False
    if section_kind(t) is not None or any(w in TITLE_WORDS for w in words(t)):
        return False
    if words(t)[-1] in COMPANY_WORDS:
        return False  # "Acme Corp", "Blue Bay Labs"
    return as_location(t) is None


_SUFFIXES = wordset("Jr. Jr Sr. Sr II III IV")
_PARTICLES = wordset(
    "de la del della der den van von da di do dos das du le bin ibn al el y zu ter ten"
)


def _is_name_word(word: str) -> bool:
    """ "Renée", "O'Neil", "Smith-Jones", "J.", "McDonald", "NAIR"."""
    if not word[0].isupper():
        return False
    if len(word) == 2 and word[1] == ".":
        return True
    return len(word) >= 2 and all(ch.isalpha() or ch in "'’-" for ch in word)


def tidy_name(text: str) -> str:
    t = split_credentials(text)[0]
    if t.isupper():
        return " ".join(_name_case(w) for w in t.split())
    return t


_NAME_PART = re.compile(r"[^-'’]+|[-'’]")


def _name_case(word: str) -> str:
    """A shouted name word in name case: each part after a hyphen or apostrophe starts
    upper case ("FERREIRA-HOLT" -> "Ferreira-Holt", "O'NEIL" -> "O'Neil"), and so does the
    stem after "Mc" ("MCDONALD" -> "McDonald"); initials ("J.") stay as written."""
    if len(word) <= 2 and "." in word:
        return word
    return "".join(_part_case(p) for p in _NAME_PART.findall(word))


def _part_case(part: str) -> str:
    if len(part) > 3 and part[:2].upper() == "MC" and part[2].lower() not in "aeiouy":
        return "Mc" + part[2:].capitalize()
    return part.capitalize()


def extract_contact(contact_lines: list[LogicalLine], all_lines: list[LogicalLine]) -> Contact:
    contact = Contact()
    used: list[str] = []
    # Styled name lines (DOCX Title, markdown "# Name") beat the first name-shaped text.
    for ll in contact_lines:
        if ll.heading_level is not None and ll.heading_level <= 1 and looks_like_name(ll.text):
            contact.name = tidy_name(ll.text)
            used.append(ll.id)
            break
    for ll in contact_lines:
        touched = False
        for part in split_parts(ll.text):
            part = _LABEL.sub("", part).strip()
            if not part:
                continue
            email = find_email(part)
            if email:
                contact.email = contact.email or email
                touched = True
                continue
            links = find_links(part)
            for link in links:
                if link not in contact.links:
                    contact.links.append(link)
            if links:
                touched = True
                # "LinkedIn (https://...)" is a link item; "Austin, TX" next to it is not.
                remainder = part
                for link in links:
                    remainder = remainder.replace(link, " ")
                if len(remainder.strip(" ()[]:|")) <= 12:
                    continue
            phone = find_phone(part)
            if phone and sum(ch.isalpha() for ch in part) <= 3:
                contact.phone = contact.phone or phone
                touched = True
                continue
            location = as_location(part) or (find_location(part) if len(part) < 60 else None)
            if location and contact.location is None:
                contact.location = location
                touched = True
                continue
            if contact.name is None and looks_like_name(part):
                contact.name = tidy_name(part)
                touched = True
        if touched and ll.id not in used:
            used.append(ll.id)
    if contact.email is None or contact.phone is None:
        _fallback_scan(contact, all_lines, used)
    contact.line_ids = [ll.id for ll in all_lines if ll.id in set(used)]
    return contact


def _fallback_scan(contact: Contact, lines: list[LogicalLine], used: list[str]) -> None:
    for ll in lines:
        if ll.is_bullet:
            continue
        if contact.email is None:
            email = find_email(ll.text)
            if email:
                contact.email = email
                used.append(ll.id)
        if contact.phone is None and re.search(r"(?i)\b(?:phone|tel|mobile|cell)\b", ll.text):
            phone = find_phone(ll.text)
            if phone:
                contact.phone = phone
                used.append(ll.id)
