"""The contact block a user gives on the tailor input: bounded, single-line, checked."""

from __future__ import annotations

import re

from email_validator import EmailNotValidError, validate_email

from app.errors import InvalidInput
from app.tailoring.contact_override import ContactOverride

MAX_NAME = 100
MAX_EMAIL = 254
MAX_PHONE = 40
MAX_LOCATION = 100
MAX_LINK = 200
MAX_LINKS = 5
# Anything that would break the one-line contact block (or a mail header built from it).
_BREAKS = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")
_PHONE = re.compile(r"\+?[0-9 ()./-]{5,}(?: ?(?:x|ext\.?) ?[0-9]{1,6})?")
_LINK = re.compile(r"[^\s<>\"']+\.[^\s<>\"']+")


def _line(value: str | None, field: str, limit: int) -> str | None:
    if value is None:
        return None
    if _BREAKS.search(value):
        raise InvalidInput(f"{field} must be one line without control characters", field=field)
    value = value.strip()
    if len(value) > limit:
        raise InvalidInput(f"{field} is longer than {limit} characters", field=field)
    return value or None


def _email(value: str | None) -> str | None:
    value = _line(value, "contact.email", MAX_EMAIL)
    if value is None:
        return None
    try:  # no DNS lookups: the address is the user's, we only check its form
        return validate_email(value, check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise InvalidInput(
            f"contact.email is not a valid e-mail address: {exc}", field="contact.email"
        ) from exc


def _phone(value: str | None) -> str | None:
    value = _line(value, "contact.phone", MAX_PHONE)
    if value is not None and not _PHONE.fullmatch(value):
        raise InvalidInput("contact.phone is not a phone number", field="contact.phone")
    return value


def _links(values: list[str] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    if len(values) > MAX_LINKS:
        raise InvalidInput(f"contact.links holds at most {MAX_LINKS} links", field="contact.links")
    links = []
    for index, raw in enumerate(values):
        link = _line(raw, f"contact.links[{index}]", MAX_LINK)
        if link is None or not _LINK.fullmatch(link):
            raise InvalidInput(f"contact.links[{index}] is not a link", field="contact.links")
        links.append(link)
    return tuple(links)


def contact_override(
    *,
    name: str | None,
    email: str | None,
    phone: str | None,
    location: str | None,
    links: list[str] | None,
) -> ContactOverride | None:
    """The validated override, or None when every field was left out or blank."""
    given = ContactOverride(
        name=_line(name, "contact.name", MAX_NAME),
        email=_email(email),
        phone=_phone(phone),
        location=_line(location, "contact.location", MAX_LOCATION),
        links=_links(links),
    )
    return given if given.to_dict() else None
