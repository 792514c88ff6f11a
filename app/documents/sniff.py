"""Decide what an upload is from its bytes; the filename is only a tie-break hint.

Uploads lie about their type (a PDF renamed .docx, a PNG renamed .pdf), so the content
decides. The only place the name matters is markdown-vs-text, where content can be
ambiguous and both parse almost identically anyway.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Literal

from app.documents.errors import DocumentError

SourceFormat = Literal["pdf", "docx", "markdown", "text", "html"]

_ACCEPTED = "Upload a PDF with selectable text, a Word .docx, or a plain-text/Markdown file."

_IMAGE_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
)
_OTHER_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Word .doc (or password-protected Office) file"),
    (b"{\\rtf", "an RTF file"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "an executable"),
)

_MD_HEADING = re.compile(r"^ {0,3}#{1,6}\s+\S", re.MULTILINE)
_MD_SETEXT = re.compile(r"^\S.*\n(?:=+|-{3,})[ \t]*$", re.MULTILINE)
_MD_EMPHASIS = re.compile(r"\*\*[^*\n]+\*\*|__[^_\n]+__|\[[^\]\n]+\]\([^)\s]+\)")
_MD_BULLET = re.compile(r"^ {0,3}[-*+]\s+\S", re.MULTILINE)
_HTML_TAG = re.compile(
    r"<(?:html|body|div|p|br|ul|ol|li|h[1-6]|span|table|strong|b|em)\b[^>]*>", re.IGNORECASE
)


def sniff_format(data: bytes, filename: str | None = None) -> SourceFormat:
    """Classify `data`; raise UNSUPPORTED_FORMAT for anything we cannot read as text."""
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        _check_docx_zip(data)
        return "docx"
    for magic, what in _IMAGE_MAGIC:
        if data.startswith(magic):
            raise DocumentError(
                "UNSUPPORTED_FORMAT",
                f"This file is {what}. Images are not read (no OCR). {_ACCEPTED}",
            )
    if (data[:4] == b"RIFF" and data[8:12] == b"WEBP") or data[4:12] in (b"ftypheic", b"ftypavif"):
        raise DocumentError(
            "UNSUPPORTED_FORMAT",
            f"This file is an image. Images are not read (no OCR). {_ACCEPTED}",
        )
    for magic, what in _OTHER_MAGIC:
        if data.startswith(magic):
            raise DocumentError("UNSUPPORTED_FORMAT", f"This file is {what}. {_ACCEPTED}")
    text = decode_text(data)
    return classify_text(text, filename)


def classify_text(text: str, filename: str | None = None) -> SourceFormat:
    sample = text[:200_000]
    if _HTML_TAG.search(sample) and len(_HTML_TAG.findall(sample)) >= 3:
        return "html"
    if _MD_HEADING.search(sample) or _MD_SETEXT.search(sample) or _MD_EMPHASIS.search(sample):
        return "markdown"
    suffix = (filename or "").lower().rsplit(".", 1)[-1] if filename and "." in filename else ""
    if suffix in ("md", "markdown") and _MD_BULLET.search(sample):
        return "markdown"
    return "text"


def decode_text(data: bytes) -> str:
    """Decode text of unknown encoding: BOMs, then UTF-8, then cp1252, then latin-1."""
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8"),
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                raise DocumentError(
                    "UNSUPPORTED_FORMAT", f"The text file is not valid {codec}. {_ACCEPTED}"
                ) from exc
            _reject_binary(text)
            return text
    if b"\x00" in data[:4096]:
        utf16 = _maybe_utf16_without_bom(data)
        if utf16 is None:
            raise DocumentError(
                "UNSUPPORTED_FORMAT", f"This looks like a binary file, not a document. {_ACCEPTED}"
            )
        _reject_binary(utf16)
        return utf16
    for codec in ("utf-8", "cp1252"):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        _reject_binary(text)
        return text
    text = data.decode("latin-1")
    _reject_binary(text)
    return text


def _maybe_utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2 or 1
    codec = None
    if odd_nuls > 0.4 * half and even_nuls < 0.05 * half:
        codec = "utf-16-le"
    elif even_nuls > 0.4 * half and odd_nuls < 0.05 * half:
        codec = "utf-16-be"
    if codec is None:
        return None
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        return None


def _reject_binary(text: str) -> None:
    sample = text[:20_000]
    if not sample:
        return
    bad = sum(
        1
        for ch in sample
        if (ord(ch) < 32 and ch not in "\t\n\r\f\v") or 0x7F <= ord(ch) < 0xA0 or ch == "\ufffd"
    )
    if bad / len(sample) > 0.02:
        raise DocumentError(
            "UNSUPPORTED_FORMAT", f"This looks like a binary file, not a document. {_ACCEPTED}"
        )


def _check_docx_zip(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise DocumentError(
            "PARSE_FAILED",
            "The file looks like a damaged Word/zip file and could not be opened. "
            "Re-save it as .docx or export a PDF.",
        ) from exc
    if "word/document.xml" not in names:
        kind = "a zip archive"
        if "xl/workbook.xml" in names:
            kind = "an Excel workbook"
        elif "ppt/presentation.xml" in names:
            kind = "a PowerPoint presentation"
        elif "content.xml" in names:
            kind = "an OpenDocument file"
        raise DocumentError(
            "UNSUPPORTED_FORMAT", f"This file is {kind}, not a Word document. {_ACCEPTED}"
        )
