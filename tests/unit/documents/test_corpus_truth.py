"""The committed corpus truth is exactly what the specs say (never edited by hand), and
every committed document file exists and opens with the parser's sniffing."""

from __future__ import annotations

import json

from app.documents.sniff import sniff_format
from tests.corpus import CORPUS_DIR, load_corpus
from tests.corpus.build import truth_entries


def test_truth_files_are_generated_from_the_specs() -> None:
    entries = truth_entries()
    on_disk = sorted(p.name for p in (CORPUS_DIR / "truth").glob("*.json"))
    assert on_disk == sorted(name for name, _ in entries)
    for name, entry in entries:
        stored = json.loads((CORPUS_DIR / "truth" / name).read_text(encoding="utf-8"))
        assert stored == entry, f"{name} is stale: run .venv/bin/python -m tests.corpus.build"


def test_corpus_covers_the_layouts_and_formats_issue_10_asks_for() -> None:
    corpus = load_corpus()
    assert len(corpus.resumes) >= 24 and len(corpus.layouts()) >= 8
    assert len(corpus.postings) >= 16
    assert len({d.layout for d in corpus.postings}) >= 4
    for doc in corpus.resumes + corpus.postings:
        expected = doc.filename.rsplit(".", 1)[1]
        got = sniff_format(doc.data, None)
        assert got == {"txt": "text", "md": "markdown"}.get(expected, expected) or (
            expected in ("txt", "md", "html") and got in ("text", "markdown", "html")
        )
