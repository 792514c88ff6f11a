"""from_markdown (token stream -> model) and the Markdown/text writers."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.exports import (
    BulletList,
    EntryHeader,
    ExportSection,
    Paragraph,
    RenderDocument,
    from_markdown,
    normalised,
    render_markdown,
    render_text,
)
from tests.unit.exports.conftest import HOSTILE_MD, assert_in_order


def test_sample_resume_structure(resume: RenderDocument) -> None:
    assert resume.title == "Jonah Brandt"
    assert resume.contact_line == [
        "jonah.brandt@example.com",
        "+1 (555) 019-4470",
        "Minneapolis, MN",
        "github.com/jbrandt-dev",
    ]
    assert [s.heading for s in resume.sections] == [
        "Summary",
        "Experience",
        "Education",
        "Skills",
        "Certifications",
    ]
    experience = resume.sections[1].blocks
    assert experience[0] == EntryHeader(
        "Staff Software Engineer — Quarry Logistics, Minneapolis, MN", "Jan 2022 – Present"
    )
    assert isinstance(experience[1], BulletList) and len(experience[1].items) == 4
    assert experience[1].items[0].startswith("Rebuilt the carrier-rating service in Go")
    assert [type(b).__name__ for b in experience] == ["EntryHeader", "BulletList"] * 3


def test_raw_html_and_unsafe_links_stay_literal_text() -> None:
    doc = from_markdown(HOSTILE_MD)
    assert doc.title == "Eve <script>alert(1)</script>"
    summary = doc.sections[0]
    assert summary.blocks[0] == Paragraph(
        "Hi <script>alert(1)</script> there ![a](file:///etc/passwd) and [x](javascript:alert(1))."
    )
    # markdown-it refuses javascript:/file: targets, so nothing became a link or image.
    assert Paragraph("<link rel=attachment href=file:///etc/passwd>") in summary.blocks


def test_links_images_and_emphasis() -> None:
    doc = from_markdown(
        "# A\n\n## Projects\n\n"
        "Built [Tailor](https://tailor.dev/x) and <https://a.example.com>, **bold** `code` "
        "![photo](https://img.example/p.png) [mail](mailto:a@b.co) [t](tel:123) _em_\n"
    )
    assert doc.sections[0].blocks == [
        Paragraph(
            "Built Tailor (https://tailor.dev/x) and https://a.example.com, bold code "
            "mail (a@b.co) t em"
        )
    ]


def test_nested_and_ordered_lists_flatten_in_order() -> None:
    doc = from_markdown("## S\n\n1. one\n   - nested\n\n   after\n2. two\n\n- three\n")
    assert doc.sections[0].blocks == [BulletList(["one", "nested", "after", "two", "three"])]


def test_dates_line_needs_to_sit_directly_under_the_entry() -> None:
    doc = from_markdown("## Experience\n\n### Eng — A\n2019 – 2021\nfirst\n\n### Eng — B\n\n2018\n")
    assert doc.sections[0].blocks == [
        EntryHeader("Eng — A", "2019 – 2021"),
        Paragraph("first"),
        EntryHeader("Eng — B"),
        Paragraph("2018"),
    ]


def test_contact_line_detection() -> None:
    assert from_markdown("# A\nAustin, TX\n\n## S\nx").contact_line == ["Austin, TX"]
    # Not directly under the name and not contact-like: prose in an untitled section.
    doc = from_markdown("# A\n\nI build things.\n\n## S\nx")
    assert doc.contact_line == []
    assert doc.sections[0] == ExportSection("", [Paragraph("I build things.")])
    assert from_markdown("# A\n\nme@x.io · 555 123 4567\n").contact_line == [
        "me@x.io",
        "555 123 4567",
    ]


def test_cover_letter_body() -> None:
    doc = from_markdown("Dear Sam,\n\nI apply.\n\nBest,\nAlex\n", kind="cover_letter")
    assert doc.title == "Cover letter" and doc.kind == "cover_letter"
    assert doc.contact_line == []
    assert doc.sections == [
        ExportSection("", [Paragraph("Dear Sam,"), Paragraph("I apply."), Paragraph("Best, Alex")])
    ]


def test_normalised_cleans_text_and_drops_empties() -> None:
    doc = RenderDocument(
        " A\x00 \t B ",
        ["", " x\x07 "],
        [
            ExportSection("", [Paragraph("  ")]),
            ExportSection("H", [BulletList(["a"]), BulletList(["", "b"]), EntryHeader("", "2020")]),
            ExportSection(" ", [Paragraph("tail")]),
        ],
    )
    assert normalised(doc) == RenderDocument(
        "A B",
        ["x"],
        [ExportSection("H", [BulletList(["a", "b"]), EntryHeader("2020"), Paragraph("tail")])],
    )


def test_markdown_writer_round_trips_the_sample(resume: RenderDocument, sample_md: str) -> None:
    md = render_markdown(resume)
    assert from_markdown(md) == resume
    assert md.startswith("# Jonah Brandt\njonah.brandt@example.com | +1 (555) 019-4470")
    assert (
        "### Staff Software Engineer — Quarry Logistics, Minneapolis, MN\nJan 2022 – Present" in md
    )


def test_markdown_writer_escapes_hostile_text() -> None:
    doc = from_markdown(HOSTILE_MD)
    md = render_markdown(doc)
    assert "<" not in md.replace("\\<", "")  # every angle bracket is escaped
    assert from_markdown(md) == doc


def test_text_writer(resume: RenderDocument) -> None:
    text = render_text(resume)
    assert text.startswith("Jonah Brandt\n============\njonah.brandt@example.com | ")
    assert "\nExperience\n----------\n" in text
    assert (
        "\n- Ran the on-call rotation for the platform group and wrote the incident review template\n"
        in text
    )
    assert_in_order(text, [t for _, t in _items(resume)])


def _items(doc: RenderDocument) -> list[tuple[str, str]]:
    from app.exports.model import text_items

    return list(text_items(doc))


# Characters that mean something to Markdown, plus typographic ones extraction changes.
_ALPHABET = string.ascii_letters + string.digits + " #*_[]()<>&;!\\`-+=~.:/@'\"—–é\t"
_text = st.text(alphabet=_ALPHABET, max_size=25)
_contact = st.text(alphabet=_ALPHABET.replace("\\", ""), min_size=1, max_size=15)
_block = st.one_of(
    _text.map(Paragraph),
    st.lists(_text, min_size=1, max_size=3).map(BulletList),
    st.builds(EntryHeader, _text, _text),
)


@st.composite
def _documents(draw: st.DrawFn) -> RenderDocument:
    sections = draw(
        st.lists(st.builds(ExportSection, _text, st.lists(_block, max_size=4)), max_size=4)
    )
    title = draw(_text.filter(lambda t: t.strip() != ""))
    contact = draw(st.lists(_contact.filter(lambda t: t.strip() != ""), min_size=1, max_size=3))
    return RenderDocument(title, contact, sections)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_documents())
def test_markdown_round_trip_property(doc: RenderDocument) -> None:
    expected = normalised(doc)
    assert from_markdown(render_markdown(doc)) == expected
