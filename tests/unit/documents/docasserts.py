"""Structural checks every parsed document must pass, whatever its content."""

from __future__ import annotations

import json

from app.documents import JobPosting, ResumeDocument
from app.documents.models import Line


def assert_lines_consistent(text: str, lines: list[Line]) -> None:
    assert [ln.id for ln in lines] == [f"L{i}" for i in range(len(lines))]
    rows = text.split("\n")
    row_starts = [0]
    for row in rows:
        row_starts.append(row_starts[-1] + len(row) + 1)
    previous_end = -1
    for ln in lines:
        assert ln.text, ln
        assert ln.text == ln.text.strip()
        assert text[ln.span.start : ln.span.end] == ln.text
        assert ln.span.start > previous_end
        previous_end = ln.span.end
        prefix = "- " if ln.is_bullet else ""
        assert ln.span.start - row_starts[ln.span.line] == len(prefix)
        assert rows[ln.span.line] == prefix + ln.text


def assert_resume_invariants(doc: ResumeDocument) -> None:
    assert_lines_consistent(doc.text, doc.lines)
    all_ids = [ln.id for ln in doc.lines]
    in_sections = [ln.id for s in doc.sections for ln in s.lines]
    assert len(in_sections) == len(set(in_sections)), "a line belongs to two sections"
    headings = {s.heading_line_id for s in doc.sections if s.heading_line_id}
    assert set(in_sections) | headings == set(all_ids), "a line belongs to no section"
    for section in doc.sections:
        ids = {ln.id for ln in section.lines}
        for entry in section.experience:
            assert {b.id for b in entry.bullets} <= ids
            assert set(entry.header_line_ids) <= ids | headings
        for edu in section.education:
            assert set(edu.line_ids) <= ids
        for group in section.skill_groups:
            assert group.line_id in ids
    assert set(doc.contact.line_ids) <= set(all_ids)
    # The stored form must survive JSON and rebuild to an equal document.
    restored = ResumeDocument.from_dict(json.loads(json.dumps(doc.to_dict())))
    assert restored == doc


def assert_job_invariants(job: JobPosting) -> None:
    assert_lines_consistent(job.text, job.lines)
    ids = {ln.id for ln in job.lines}
    seen: list[str] = []
    for section in job.sections:
        seen.extend(ln.id for ln in section.lines)
    assert len(seen) == len(set(seen))
    assert set(seen) <= ids
    restored = JobPosting.from_dict(json.loads(json.dumps(job.to_dict())))
    assert restored == job
