"""Parse-time benchmark for app.documents.

Run: .venv/bin/python bench/parse.py [--runs N]

Prints, per format, the median in-process parse time and pages/s, then the same parse
through the sandboxed entry point (warm worker pool) and its overhead as a ratio to the
in-process baseline measured in this run. Inputs are the shared samples
(<repo>/../shared/samples) plus a generated one-column and a generated 3-page PDF.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from app.documents import parse_resume, parse_resume_sandboxed  # noqa: E402
from app.documents.sandbox import WorkerPool, default_pool  # noqa: E402

SAMPLES = REPO.parent / "shared" / "samples" / "resumes"


def _one_column_pdf(pages: int = 1) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    _, height = A4
    for page in range(pages):
        y = height - 50
        if page == 0:
            c.setFont("Helvetica-Bold", 18)
            c.drawString(50, y, "Dana Whitfield")
            y -= 20
            c.setFont("Helvetica", 10)
            c.drawString(50, y, "dana@example.com | (617) 555-0148 | Boston, MA")
            y -= 30
        c.setFont("Helvetica-Bold", 12)
        c.drawString(50, y, "EXPERIENCE")
        y -= 18
        for job in range(4):
            c.setFont("Helvetica-Bold", 10)
            c.drawString(50, y, f"Senior Data Engineer, Company {page}{job}")
            c.setFont("Helvetica", 10)
            c.drawRightString(545, y, "Jan 2019 – Present")
            y -= 14
            for bullet in range(4):
                c.drawString(60, y, "•")
                c.drawString(70, y, f"Delivered project {bullet} that improved pipeline latency by")
                y -= 13
                c.drawString(70, y, "a measurable amount for the analytics and finance teams")
                y -= 13
            y -= 8
        c.showPage()
    c.save()
    return buf.getvalue()


def _inputs() -> dict[str, tuple[bytes, str]]:
    return {
        "md": ((SAMPLES / "alex-rivera-backend.md").read_bytes(), "resume.md"),
        "txt": ((SAMPLES / "priya-nair-data.txt").read_bytes(), "resume.txt"),
        "docx": ((SAMPLES / "morgan-lee-marketing.docx").read_bytes(), "resume.docx"),
        "pdf 1-col": (_one_column_pdf(1), "resume.pdf"),
        "pdf 1-col x3 pages": (_one_column_pdf(3), "resume.pdf"),
        "pdf 2-col": ((SAMPLES / "sam-okafor-design-2col.pdf").read_bytes(), "resume.pdf"),
    }


def _median_seconds(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm caches (regex compilation, lazy imports)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    inputs = _inputs()

    cold_pool = WorkerPool(1)
    start = time.perf_counter()
    cold_pool.warm_up()
    cold_start = time.perf_counter() - start
    cold_pool.shutdown()
    default_pool().warm_up()

    print(f"runs per measurement: {args.runs} (median)")
    print(f"sandbox worker cold start: {cold_start * 1000:.0f} ms (paid once per worker)\n")
    header = (
        f"{'format':<20}{'pages':>6}{'in-process':>13}{'pages/s':>10}"
        f"{'sandboxed':>12}{'overhead':>11}{'ratio':>8}"
    )
    print(header)
    print("-" * len(header))
    for name, (data, filename) in inputs.items():
        pages = parse_resume(data, filename).page_count
        local = _median_seconds(lambda d=data, f=filename: parse_resume(d, f), args.runs)
        boxed = _median_seconds(lambda d=data, f=filename: parse_resume_sandboxed(d, f), args.runs)
        print(
            f"{name:<20}{pages:>6}{local * 1000:>10.1f} ms{pages / local:>10.1f}"
            f"{boxed * 1000:>9.1f} ms{(boxed - local) * 1000:>8.1f} ms{boxed / local:>7.2f}x"
        )


if __name__ == "__main__":
    main()
