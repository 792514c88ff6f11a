"""The contact block a user gives on the tailor input, applied to the resume before tailoring.

The override is the user's own truth about themselves, so it is written into the source
resume the whole pipeline reads: the plan, the tailored resume's header, the cover letter's
contact block and the truth guard (which compares against that source) all see it as the
resume's own contact lines. Fields left out keep the resume's values.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from app.documents.models import Contact, Line, ResumeDocument, Section, SectionKind, SourceSpan

CONTACT_FIELDS = ("name", "email", "phone", "location", "links")


@dataclasses.dataclass(frozen=True)
class ContactOverride:
    """Validated contact details from the tailor input; None means 'use the resume's'."""

    name: str | None = None
    email: str | None = None
    phone: str | None = None
    location: str | None = None
    links: tuple[str, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["links"] = list(self.links) if self.links is not None else None
        return {k: v for k, v in data.items() if v is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> ContactOverride | None:
        if not data:
            return None
        links = data.get("links")
        return cls(
            name=data.get("name"),
            email=data.get("email"),
            phone=data.get("phone"),
            location=data.get("location"),
            links=tuple(links) if links is not None else None,
        )


def _merged(own: Contact, given: ContactOverride) -> Contact:
    return Contact(
        name=given.name or own.name,
        email=given.email or own.email,
        phone=given.phone or own.phone,
        location=given.location or own.location,
        links=list(given.links) if given.links is not None else list(own.links),
    )


def _contact_lines(contact: Contact, ids: list[str], next_number: int) -> list[Line]:
    details = [d for d in (contact.email, contact.phone, contact.location) if d]
    details += contact.links
    texts = [t for t in (contact.name, " · ".join(details)) if t]
    lines = []
    for index, text in enumerate(texts):
        line_id = ids[index] if index < len(ids) else f"L{next_number + index}"
        lines.append(Line(line_id, text, SourceSpan(0, 0, 0)))
    return lines


def apply_contact(resume: ResumeDocument, given: ContactOverride | None) -> ResumeDocument:
    """A copy of `resume` whose contact block is the override merged over the resume's."""
    if given is None or not given.to_dict():
        return resume
    copy = ResumeDocument.from_dict(resume.to_dict())
    merged = _merged(copy.contact, given)
    section = copy.section(SectionKind.CONTACT)
    old_ids = [ln.id for ln in section.lines] if section else list(copy.contact.line_ids)
    new_lines = _contact_lines(merged, old_ids, len(copy.lines))
    replaced = {ln.id: ln for ln in new_lines}
    dropped = set(old_ids) - set(replaced)
    kept = [replaced.pop(ln.id, ln) for ln in copy.lines if ln.id not in dropped]
    copy.lines = list(replaced.values()) + kept  # new ids (a one-line block grew) go first
    merged.line_ids = [ln.id for ln in new_lines]
    copy.contact = merged
    if section is None:
        copy.sections.insert(0, _new_section(new_lines))
    else:
        section.lines = new_lines
    return copy


def _new_section(lines: list[Line]) -> Section:
    return Section(SectionKind.CONTACT, "", lines=lines)
