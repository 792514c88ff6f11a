"""How people write the parts of a resume: dates, entry lines, education lines.

Shared by every renderer so that each layout differs only in where things go on the page.
"""

from __future__ import annotations

from typing import Any

_MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
_FULL = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def write_date(value: str, style: str) -> str:
    if value == "present":
        return "Present"
    if len(value) == 4:
        return value
    year, month = value.split("-")
    m = int(month)
    if style == "full":
        return f"{_FULL[m - 1]} {year}"
    if style == "numeric":
        return f"{m:02d}/{year}"
    return f"{_MONTHS[m - 1]} {year}"


def date_range(job: dict[str, Any], style: str) -> str:
    start = write_date(job["start"], style)
    end = write_date(job["end"], style)
    return start if start == end else f"{start} – {end}"


def entry_lines(job: dict[str, Any], style: str, *, with_location: bool = True) -> list[str]:
    """The header line(s) of a job without its dates, in the spec's grammar."""
    title, employer = job["title"], job["employer"]
    loc = job.get("location") if with_location else None
    if style == "title_dash_employer":
        return [f"{title} – {employer}" + (f", {loc}" if loc else "")]
    if style == "employer_dash_title":
        return [f"{employer} — {title}" + (f" | {loc}" if loc else "")]
    if style == "title_comma_employer":
        return [f"{title}, {employer}" + (f" · {loc}" if loc else "")]
    if style == "title_at_employer":
        return [f"{title} at {employer}" + (f" · {loc}" if loc else "")]
    if style == "employer_tab_dates":
        return [employer + (f", {loc}" if loc else ""), title]
    # employer_line_title_line
    return [employer + (f", {loc}" if loc else ""), title]


def education_line(entry: dict[str, Any], index: int) -> str:
    """Alternate the two common orders: "Degree, School, Year" / "School — Degree (Year)"."""
    if index % 2 == 0:
        return f"{entry['degree']}, {entry['school']}, {entry['year']}"
    return f"{entry['school']} — {entry['degree']} ({entry['year']})"


def display_name(spec: dict[str, Any]) -> str:
    cred = spec.get("credential")
    return f"{spec['name']}, {cred}" if cred else str(spec["name"])
