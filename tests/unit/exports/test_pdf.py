"""PDF: text and reading order, hostile input, the data:-only fetcher, the time budget."""

from __future__ import annotations

import io
import os
import time

import pytest
from pypdf import PdfReader

from app.exports import (
    TEMPLATES,
    BulletList,
    ExportError,
    ExportSection,
    RenderDocument,
    html_to_pdf,
    render_html,
    render_pdf,
)
from app.exports.model import text_items
from app.exports.pdf import WorkerPool, default_pool
from app.exports.pdf_worker import DataOnlyFetcher, URLRefused
from app.exports.roundtrip import squash
from tests.unit.exports.conftest import Exporter, assert_in_order, pdf_text

HOSTILE_HTML = """<!DOCTYPE html><html><head><base href="file:///etc/">
<link rel="stylesheet" href="http://169.254.169.254/latest/meta-data/">
<link rel="attachment" href="file:///etc/passwd">
<style>
@import url(http://169.254.169.254/import.css);
body { background: url(http://169.254.169.254/bg.png) }
@font-face { font-family: X; src: url(file:///etc/passwd) }
p { font-family: X }
</style></head>
<body><p>Visible text</p>
<img src="passwd"><img src="file:///etc/hostname">
<a rel="attachment" href="file:///etc/passwd">attached</a>
<object data="file:///etc/passwd"></object><embed src="file:///etc/passwd">
<iframe src="file:///etc/passwd"></iframe>
<script>document.write("scripted")</script>
<img src="data:image/svg+xml;utf8,<svg xmlns='http://www.w3.org/2000/svg' width='4' height='4'>\
<image href='file:///etc/passwd' width='4' height='4'/></svg>">
</body></html>"""


@pytest.mark.parametrize("template", TEMPLATES)
def test_pdf_opens_with_text_in_order(
    resume: RenderDocument, exported: Exporter, template: str
) -> None:
    result = exported("PDF", template)
    assert result.content_type == "application/pdf" and result.data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(result.data))
    assert len(reader.pages) == 1
    assert reader.metadata is not None
    assert reader.metadata.title == "Jonah Brandt" and reader.metadata.author == "Jonah Brandt"
    assert_in_order(pdf_text(result.data), [t for _, t in text_items(resume)])
    _assert_no_attachments(result.data)
    uris = [str(a.get_object()["/A"]["/URI"]) for a in reader.pages[0].get("/Annots") or []]
    assert uris == [
        "mailto:jonah.brandt@example.com",
        "https://github.com/jbrandt-dev",
    ]


@pytest.mark.parametrize("template", TEMPLATES)
def test_pdf_reading_order_is_single_column(
    resume: RenderDocument, exported: Exporter, template: str
) -> None:
    """Every extracted line continues the current block or starts the next one: no line
    mixes two blocks and no block is interrupted, as side-by-side columns would."""
    units = [squash(text) for role, text in text_items(resume) if role != "contact"]
    units.insert(1, squash(" | ".join(resume.contact_line)))
    index, pos = 0, 0
    for raw in pdf_text(exported("PDF", template).data).splitlines():
        line = squash(raw.lstrip().removeprefix("•"))
        if not line:
            continue
        if pos < len(units[index]):
            assert units[index].startswith(line, pos), f"{raw!r} interrupts block {index}"
            pos += len(line)
        else:
            index, pos = index + 1, len(line)
            assert units[index].startswith(line), f"{raw!r} does not start block {index}"
    assert (index, pos) == (len(units) - 1, len(units[-1]))


def test_bullets_are_drawn_in_reading_order(exported: Exporter) -> None:
    lines = pdf_text(exported("PDF", "classic").data).splitlines()
    bullet_lines = [ln for ln in lines if ln.lstrip().startswith("•")]
    assert len(bullet_lines) == 9
    assert lines.index(bullet_lines[0]) == lines.index("Jan 2022 – Present") + 1


def test_worker_pdf_reads_exactly_like_bare_weasyprint(
    resume: RenderDocument, exported: Exporter
) -> None:
    """The worker's TJ compaction changes the bytes, never the text or the layout."""
    from weasyprint import HTML

    from app.documents import parse_resume

    worker_pdf = exported("PDF", "classic").data
    bare_pdf = HTML(string=render_html(resume, "classic")).write_pdf()  # unpatched here
    worker_page = PdfReader(io.BytesIO(worker_pdf)).pages[0]
    bare_page = PdfReader(io.BytesIO(bare_pdf)).pages[0]
    assert b">0<" in bare_page.get_contents().get_data()  # type: ignore[union-attr]
    assert b">0<" not in worker_page.get_contents().get_data()  # type: ignore[union-attr]
    assert worker_page.extract_text() == bare_page.extract_text()
    layout = {"extraction_mode": "layout"}
    assert worker_page.extract_text(**layout) == bare_page.extract_text(**layout)
    assert parse_resume(worker_pdf, "a.pdf").text == parse_resume(bare_pdf, "a.pdf").text


def test_hostile_markdown_pdf_fetches_nothing(hostile: RenderDocument) -> None:
    result = html_to_pdf(render_html(hostile))
    assert result.requested_urls == []  # all attack markup is text, so nothing to load
    text = pdf_text(result.data)
    assert "<script>alert(1)</script>" in text  # shown literally, never executed
    assert "root:" not in text
    _assert_no_attachments(result.data)


def test_fetcher_refuses_everything_but_data_urls() -> None:
    result = html_to_pdf(HOSTILE_HTML)
    requested = result.requested_urls
    # Every resource the page points at was asked for (so we know the fetcher saw it)...
    assert "file:///etc/passwd" in requested
    assert "file:///etc/hostname" in requested
    assert "http://169.254.169.254/latest/meta-data/" in requested
    assert "http://169.254.169.254/import.css" in requested
    assert "http://169.254.169.254/bg.png" in requested
    # ...including the one nested inside a data: SVG, which goes through the same fetcher.
    assert any(u.startswith("data:image/svg+xml") for u in requested)
    assert requested.count("file:///etc/passwd") >= 3  # attachment links, font, SVG image
    # Only data: URLs are served (test_data_only_fetcher_unit); the rest left no trace:
    text = pdf_text(result.data)
    assert "Visible text" in text and "scripted" not in text
    assert "root:" not in text and "/bin/" not in text
    assert os.uname().nodename not in text
    _assert_no_attachments(result.data)


def test_data_only_fetcher_unit() -> None:
    fetcher = DataOnlyFetcher()
    for url in (
        "file:///etc/passwd",
        "http://169.254.169.254/",
        "https://x.example/",
        "ftp://x/",
        "FILE:///etc/passwd",
        "gopher://x",
        "/etc/passwd",
        "passwd",
    ):
        with pytest.raises(URLRefused):
            fetcher.fetch(url)
    response = fetcher.fetch("data:text/plain;base64,aGVsbG8=")
    assert response.read() == b"hello" and response.content_type == "text/plain"
    assert fetcher.requested[0] == "file:///etc/passwd" and len(fetcher.requested) == 9


def test_pdf_timeout_kills_the_worker(resume: RenderDocument) -> None:
    pool = default_pool()
    pool.warm_up()
    before = set(pool.idle_pids())
    big = RenderDocument(
        "Long",
        [],
        [
            ExportSection(f"S{i}", [BulletList([f"item {j} " * 12 for j in range(60)])])
            for i in range(10)
        ],
    )
    started = time.monotonic()
    with pytest.raises(ExportError) as info:
        render_pdf(big, timeout_s=0.2)
    assert info.value.code == "EXPORT_TIMEOUT"
    assert time.monotonic() - started < 5
    killed = before - set(pool.idle_pids())
    assert killed, "the timed-out worker must not go back to the pool"
    for pid in killed:
        assert not _alive(pid)
    # The pool recovers: the next export gets a fresh (or another idle) worker.
    assert render_pdf(resume).startswith(b"%PDF-")


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split()[2] != "Z"
    except FileNotFoundError:
        return False


def _assert_no_attachments(data: bytes) -> None:
    """No embedded files, no scripts or auto-actions, links only to https:/mailto:."""
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    names = root.get("/Names")
    assert names is None or not {"/EmbeddedFiles", "/JavaScript"} & set(names.get_object())
    assert "/OpenAction" not in root and "/AA" not in root and "/AcroForm" not in root
    assert reader.attachments == {}
    for page in reader.pages:
        assert "/AA" not in page
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            assert annot.get("/Subtype") == "/Link"
            action = annot.get("/A")
            if action is not None:
                action = action.get_object()
                assert action["/S"] == "/URI"
                assert str(action["/URI"]).startswith(("https://", "mailto:"))


def test_worker_environment_is_scrubbed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://user:secret@db/tailor")
    monkeypatch.setenv("LANG", "C.UTF-8")
    pool = WorkerPool(1)
    try:
        pool.warm_up()
        (pid,) = pool.idle_pids()
        with open(f"/proc/{pid}/environ", "rb") as f:
            environ = dict(entry.split(b"=", 1) for entry in f.read().split(b"\0") if b"=" in entry)
        assert b"DATABASE_URL" not in environ and b"secret" not in b"".join(environ.values())
        assert environ[b"LANG"] == b"C.UTF-8" and b"PYTHONPATH" in environ
    finally:
        pool.shutdown()
