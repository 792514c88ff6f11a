"""Property tests: any input either parses into a consistent document or raises
DocumentError, never another exception."""

from __future__ import annotations

from docasserts import assert_job_invariants, assert_resume_invariants
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.documents import DocumentError, parse_job_posting, parse_resume

_LINE_PARTS = st.sampled_from(
    [
        "EXPERIENCE",
        "## Skills",
        "Education:",
        "- ",
        "• ",
        "  ",
        "1. ",
        "Senior Engineer — Acme, Austin, TX",
        "Jan 2019 – Present",
        "03/2016 - 12/2018",
        "Summer 2012",
        "Python, SQL, k8s",
        "B.S. Physics, Reed College, 2015",
        "jo@example.com | 555-123-4567",
        "**Bold**",
        "Requirements: Go, Rust. Kafka preferred.",
        "Nice to have",
        "|a|b|",
        "\t",
        "",
    ]
)
_TEXTISH = st.lists(st.one_of(_LINE_PARTS, st.text(max_size=40)), min_size=1, max_size=30).map(
    "\n".join
)
_SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(_TEXTISH)
def test_any_text_resume_is_consistent_or_a_document_error(text: str) -> None:
    try:
        doc = parse_resume(text.encode("utf-8", "surrogatepass"), "r.md")
    except DocumentError:
        return
    assert_resume_invariants(doc)


@_SETTINGS
@given(st.binary(max_size=2000))
def test_any_bytes_are_a_document_or_a_document_error(data: bytes) -> None:
    try:
        doc = parse_resume(data)
    except DocumentError as exc:
        assert exc.code in ("UNSUPPORTED_FORMAT", "PARSE_FAILED", "INVALID_INPUT")
        return
    assert_resume_invariants(doc)


@_SETTINGS
@given(_TEXTISH, st.one_of(st.none(), st.just("Engineer")))
def test_any_job_text_is_consistent_or_a_document_error(text: str, title: str | None) -> None:
    try:
        job = parse_job_posting(text, title=title)
    except DocumentError as exc:
        assert exc.code == "INVALID_INPUT"
        return
    assert job.title
    assert_job_invariants(job)
