"""The three shipped templates: CSS (package data, over a shared base.css) for HTML/PDF,
style settings for DOCX.

All are ATS-safe: one column, no tables or floats for layout, real text only, and fonts
from the system (the CSS has no url(), so rendering never needs the network).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

from app.exports.errors import ExportError

TEMPLATES: tuple[str, ...] = ("classic", "modern", "compact")


@dataclass(frozen=True)
class DocxStyle:
    body_font: str
    heading_font: str
    body_pt: float
    name_pt: float
    heading_pt: float
    margin_in: float
    accent: tuple[int, int, int]  # RGB of the name and section headings
    space_after_pt: float  # below body paragraphs and bullets


# Fonts are names resolved on the reader's machine; these ship with Word and LibreOffice
# (or have metric-compatible substitutes), so the layout survives the trip.
DOCX_STYLES: dict[str, DocxStyle] = {
    "classic": DocxStyle("Georgia", "Georgia", 11, 22, 13, 0.9, (0x22, 0x22, 0x22), 3),
    "modern": DocxStyle("Calibri", "Calibri", 11, 24, 13, 0.8, (0x1F, 0x4E, 0x79), 2),
    "compact": DocxStyle("Arial", "Arial", 9.5, 16, 11, 0.55, (0x00, 0x00, 0x00), 1),
}


def check_template(template: str) -> str:
    if template not in TEMPLATES:
        raise ExportError(
            "INVALID_TEMPLATE",
            f"Unknown template {template!r}; choose one of: {', '.join(TEMPLATES)}.",
        )
    return template


@cache
def template_css(template: str) -> str:
    """The template's stylesheet, read once from package data: the rules every template
    shares (base.css), then the template's own."""
    check_template(template)
    folder = resources.files("app.exports.css")
    return "".join((folder / f"{name}.css").read_text("utf-8") for name in ("base", template))


def docx_style(template: str) -> DocxStyle:
    return DOCX_STYLES[check_template(template)]
