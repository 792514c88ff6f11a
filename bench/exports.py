"""Export benchmark: median PDF and DOCX export time through `export()` next to baselines.

PDF: `export()` (warm worker process + round-trip check) and `export(roundtrip=False)`
against bare WeasyPrint `HTML(string=...).write_pdf()` on the same HTML in this process.
DOCX: `export()` against python-docx building the same paragraphs directly. Runs are
interleaved so machine noise hits both sides alike. Target: PDF export <= 1.2x bare.

Run: .venv/bin/python bench/exports.py   (BENCH_EXPORT_RUNS=15 by default)
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import docx  # noqa: E402
from weasyprint import HTML  # noqa: E402

from app.exports import (  # noqa: E402
    BulletList,
    Paragraph,
    RenderDocument,
    export,
    from_markdown,
    render_html,
)
from app.exports.pdf import default_pool  # noqa: E402
from tests.fixtures.make_samples import SOURCE  # noqa: E402

SAMPLE = SOURCE / "resumes" / "jonah-brandt-backend.md"
RUNS = int(os.environ.get("BENCH_EXPORT_RUNS", "15"))
TEMPLATE = "classic"


def bare_docx(doc: RenderDocument) -> bytes:
    """The same paragraphs with python-docx directly: no template styling, no check."""
    out = docx.Document()
    out.add_paragraph(doc.title, style="Title")
    out.add_paragraph(" | ".join(doc.contact_line))
    for section in doc.sections:
        out.add_paragraph(section.heading, style="Heading 2")
        for block in section.blocks:
            if isinstance(block, Paragraph):
                out.add_paragraph(block.text)
            elif isinstance(block, BulletList):
                for item in block.items:
                    out.add_paragraph(item, style="List Bullet")
            else:
                out.add_paragraph().add_run(block.title).bold = True
                if block.meta:
                    out.add_paragraph(block.meta)
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def interleaved(cases: dict[str, Callable[[], object]]) -> dict[str, float]:
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for fn in cases.values():
        fn()  # warm caches (fonts, templates, imports) on both sides
    for _ in range(RUNS):
        for name, fn in cases.items():
            samples[name].append(timed(fn))
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> None:
    doc = from_markdown(SAMPLE.read_text("utf-8"))
    html = render_html(doc, TEMPLATE)

    cold = timed(lambda: default_pool().warm_up())
    pdf = interleaved(
        {
            "bare": lambda: HTML(string=html).write_pdf(),
            "export": lambda: export(doc, "PDF", TEMPLATE),
            "render_only": lambda: export(doc, "PDF", TEMPLATE, roundtrip=False),
        }
    )
    docx_times = interleaved(
        {
            "bare": lambda: bare_docx(doc),
            "export": lambda: export(doc, "DOCX", TEMPLATE),
            "render_only": lambda: export(doc, "DOCX", TEMPLATE, roundtrip=False),
        }
    )
    assert export(doc, "PDF", TEMPLATE).warnings == []
    assert export(doc, "DOCX", TEMPLATE).warnings == []

    print(f"sample: {SAMPLE.name}, template {TEMPLATE}, {RUNS} interleaved runs, medians")
    print(f"PDF worker cold start (interpreter, imports, warm-up): {cold * 1000:.0f} ms")
    for label, times in (("PDF ", pdf), ("DOCX", docx_times)):
        base = times["bare"]
        bare_name = "WeasyPrint in-process" if label == "PDF " else "python-docx direct"
        print(
            f"{label} bare {bare_name}: {base * 1000:7.1f} ms | "
            f"export(): {times['export'] * 1000:7.1f} ms ({times['export'] / base:.2f}x) | "
            f"export(roundtrip=False): {times['render_only'] * 1000:7.1f} ms "
            f"({times['render_only'] / base:.2f}x)"
        )
    # The target compares rendering; the round-trip check (parsing the file back with our own
    # parser) is extra verification most exporters skip, so its cost is shown on its own.
    ratio = pdf["render_only"] / pdf["bare"]
    verdict = "OK" if ratio <= 1.2 else "ABOVE TARGET"
    print(
        f"PDF export (render, sandboxed) / bare WeasyPrint = {ratio:.2f}x "
        f"(target <= 1.2x): {verdict}"
    )
    print(
        f"round-trip check adds {(pdf['export'] - pdf['render_only']) * 1000:.1f} ms to a PDF "
        f"and {(docx_times['export'] - docx_times['render_only']) * 1000:.1f} ms to a DOCX; "
        f"PDF export with the check / bare = {pdf['export'] / pdf['bare']:.2f}x"
    )


if __name__ == "__main__":
    main()
