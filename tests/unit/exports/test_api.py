"""export(): formats, content types, template validation, warnings."""

from __future__ import annotations

import pytest

from app.exports import (
    EXPORT_FORMATS,
    TEMPLATES,
    ExportError,
    RenderDocument,
    export,
    from_markdown,
)
from app.exports.model import text_items
from tests.unit.exports.conftest import Exporter, assert_in_order, docx_text, pdf_text

_EXPECTED = {
    "PDF": ("application/pdf", "pdf"),
    "DOCX": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "MARKDOWN": ("text/markdown; charset=utf-8", "md"),
    "TEXT": ("text/plain; charset=utf-8", "txt"),
}


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
@pytest.mark.parametrize("template", TEMPLATES)
def test_every_format_and_template(
    resume: RenderDocument, exported: Exporter, fmt: str, template: str
) -> None:
    result = exported(fmt, template)  # type: ignore[arg-type]
    assert (result.content_type, result.extension) == _EXPECTED[fmt]
    if fmt == "PDF":
        text = pdf_text(result.data)
    elif fmt == "DOCX":
        text = docx_text(result.data)
    else:
        text = result.data.decode("utf-8")
    assert_in_order(text, [t for _, t in text_items(resume)])
    assert result.warnings == []


def test_markdown_export_reads_back(resume: RenderDocument, exported: Exporter) -> None:
    assert from_markdown(exported("MARKDOWN", "classic").data.decode()) == resume


def test_invalid_template_and_format(resume: RenderDocument) -> None:
    for fmt in EXPORT_FORMATS:
        with pytest.raises(ExportError) as info:
            export(resume, fmt, "../../etc/passwd")  # type: ignore[arg-type]
        assert info.value.code == "INVALID_TEMPLATE"
    with pytest.raises(ExportError) as info:
        export(resume, "RTF", "classic")  # type: ignore[arg-type]
    assert info.value.code == "EXPORT_FAILED"


def test_oversized_document_is_refused() -> None:
    from app.exports import BulletList, ExportSection

    huge = RenderDocument("A", [], [ExportSection("S", [BulletList(["x" * 1000] * 400)])])
    with pytest.raises(ExportError) as info:
        export(huge, "DOCX", "classic")
    assert info.value.code == "EXPORT_FAILED"


def test_roundtrip_can_be_skipped(resume: RenderDocument) -> None:
    result = export(resume, "DOCX", "compact", roundtrip=False)
    assert result.warnings == [] and result.data.startswith(b"PK")


def test_export_error_is_an_app_error() -> None:
    from app.errors import AppError

    error = ExportError("EXPORT_TIMEOUT", "slow")
    assert isinstance(error, AppError) and error.code == "EXPORT_TIMEOUT"
    assert str(error) == "EXPORT_TIMEOUT: slow"
    with pytest.raises(ValueError):
        ExportError("NOPE", "x")  # type: ignore[arg-type]
