"""Regenerate the corpus files and truth from the specs.

Run: .venv/bin/python -m tests.corpus.build
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from tests.corpus import CORPUS_DIR
from tests.corpus.posting_specs import POSTINGS
from tests.corpus.posting_specs_more import MORE_POSTINGS
from tests.corpus.render_docx import bold_headings_docx, header_contact_docx, textbox_docx
from tests.corpus.render_more import (
    docx_layout_table,
    docx_template,
    md_oneline,
    pdf_drawn,
    pdf_flex,
    txt_dates_first,
)
from tests.corpus.render_pdf import footer_pdf, left_dates_pdf, sidebar_pdf
from tests.corpus.render_posting import render_posting
from tests.corpus.render_text import md_headings, md_plain, txt_odd_bullets
from tests.corpus.resume_specs import RESUMES
from tests.corpus.resume_specs_more import MORE_RESUMES
from tests.corpus.truth import posting_truth, resume_truth

Renderer = Callable[[dict[str, Any]], bytes]
RESUME_RENDERERS: dict[str, tuple[Renderer, str]] = {
    "pdf_sidebar": (sidebar_pdf, "pdf"),
    "pdf_footer": (footer_pdf, "pdf"),
    "pdf_left_dates": (left_dates_pdf, "pdf"),
    "docx_bold": (bold_headings_docx, "docx"),
    "docx_header": (header_contact_docx, "docx"),
    "docx_textbox": (textbox_docx, "docx"),
    "md_headings": (md_headings, "md"),
    "md_plain": (md_plain, "md"),
    "txt_odd_bullets": (txt_odd_bullets, "txt"),
    "docx_template": (docx_template, "docx"),
    "docx_layout_table": (docx_layout_table, "docx"),
    "pdf_flex": (pdf_flex, "pdf"),
    "pdf_drawn": (pdf_drawn, "pdf"),
    "md_oneline": (md_oneline, "md"),
    "txt_dates_first": (txt_dates_first, "txt"),
}
ALL_RESUMES = RESUMES + MORE_RESUMES
ALL_POSTINGS = POSTINGS + MORE_POSTINGS


def render_resume(spec: dict[str, Any]) -> tuple[bytes, str]:
    renderer, ext = RESUME_RENDERERS[spec["layout"]]
    return renderer(spec), f"{spec['id']}-{spec['layout']}.{ext}"


def truth_entries() -> list[tuple[str, dict[str, Any]]]:
    """(truth file name, content) for every spec; the content names its document file."""
    out: list[tuple[str, dict[str, Any]]] = []
    for spec in ALL_RESUMES:
        ext = RESUME_RENDERERS[spec["layout"]][1]
        filename = f"{spec['id']}-{spec['layout']}.{ext}"
        entry = {"kind": "resume", "layout": spec["layout"], "filename": filename,
                 "truth": resume_truth(spec)}  # fmt: skip
        out.append((f"{spec['id']}.json", entry))
    for spec in ALL_POSTINGS:
        filename = f"{spec['id']}.{spec['format']}"
        entry = {"kind": "posting", "layout": spec["format"], "filename": filename,
                 "truth": posting_truth(spec)}  # fmt: skip
        out.append((f"{spec['id']}.json", entry))
    return out


def main() -> None:
    (CORPUS_DIR / "files").mkdir(exist_ok=True)
    (CORPUS_DIR / "truth").mkdir(exist_ok=True)
    for spec in ALL_RESUMES:
        data, filename = render_resume(spec)
        (CORPUS_DIR / "files" / filename).write_bytes(data)
    for spec in ALL_POSTINGS:
        data, filename = render_posting(spec)
        (CORPUS_DIR / "files" / filename).write_bytes(data)
    for name, entry in truth_entries():
        text = json.dumps(entry, indent=1, ensure_ascii=False) + "\n"
        (CORPUS_DIR / "truth" / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(ALL_RESUMES)} resumes and {len(ALL_POSTINGS)} postings to {CORPUS_DIR}")


if __name__ == "__main__":
    main()
