"""Every export format's metadata in one place: content type, file extension, and the name
a downloaded or attached file gets.

Services (downloads, e-mail attachments, the share page) read from here rather than keeping
their own tables, so a format is added or changed once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, get_args

ExportFormat = Literal["PDF", "DOCX", "MARKDOWN", "TEXT"]
EXPORT_FORMATS: tuple[str, ...] = get_args(ExportFormat)


@dataclass(frozen=True)
class FormatInfo:
    content_type: str  # with charset for text formats
    extension: str  # without the dot

    @property
    def mime(self) -> tuple[str, str]:
        """(maintype, subtype) for an e-mail attachment."""
        main, _, sub = self.content_type.split(";")[0].partition("/")
        return main, sub


FORMATS: dict[str, FormatInfo] = {
    "PDF": FormatInfo("application/pdf", "pdf"),
    "DOCX": FormatInfo(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"
    ),
    "MARKDOWN": FormatInfo("text/markdown; charset=utf-8", "md"),
    "TEXT": FormatInfo("text/plain; charset=utf-8", "txt"),
}

# (content type, extension) per format, as the export API has always offered them.
CONTENT_TYPES: dict[str, tuple[str, str]] = {
    name: (info.content_type, info.extension) for name, info in FORMATS.items()
}

_UNSAFE = re.compile(r"[^A-Za-z0-9 ._-]+")


def download_name(title: str | None, what: str, fmt: str, *, version: int | None = None) -> str:
    """ "Senior Platform Engineer - resume v3.pdf": safe in every file system and header."""
    base = _UNSAFE.sub("", title or "").strip() or "resume"
    suffix = f" v{version}" if version is not None else ""
    return f"{base} - {what}{suffix}.{FORMATS[fmt].extension}"
