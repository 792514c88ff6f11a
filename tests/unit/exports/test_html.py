"""HTML writer: escaped text, nh3 allowlist, ATS-safe template CSS."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from app.exports import TEMPLATES, ExportError, RenderDocument, render_html
from app.exports.html_writer import _CLEANER
from app.exports.templates import template_css
from tests.unit.exports.conftest import assert_in_order, has_event_handler

_BODY_TAGS = {"body", "header", "main", "section", "div", "h1", "h2", "h3", "p", "ul", "li"}
_ALLOWED_TAGS = _BODY_TAGS | {"html", "head", "meta", "title", "style", "a", "span"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(html: str) -> list[tuple[str, dict[str, str | None]]]:
    collector = _Collector()
    collector.feed(html)
    return collector.tags


@pytest.mark.parametrize("template", TEMPLATES)
def test_html_contains_text_in_order(resume: RenderDocument, template: str) -> None:
    html = render_html(resume, template)
    assert html.startswith("<!DOCTYPE html>")
    assert "<title>Jonah Brandt</title>" in html
    assert '<meta name="author" content="Jonah Brandt">' in html
    assert "<h2>Experience</h2>" in html
    assert '<a href="mailto:jonah.brandt@example.com" rel="noopener noreferrer">' in html
    assert '<a href="https://github.com/jbrandt-dev" rel="noopener noreferrer">' in html
    from app.exports.model import text_items

    assert_in_order(re.sub(r"<[^>]+>", " ", html), [t for _, t in text_items(resume)])


@pytest.mark.parametrize("template", TEMPLATES)
def test_hostile_input_renders_inert(hostile: RenderDocument, template: str) -> None:
    html = render_html(hostile, template)
    tags = _tags(html)
    assert {tag for tag, _ in tags} <= _ALLOWED_TAGS
    assert not has_event_handler(html)
    for tag, attrs in tags:
        assert all(not name.startswith("on") for name in attrs)
        assert "style" not in attrs and "src" not in attrs
        if tag == "a":
            assert (attrs["href"] or "").startswith(("https://", "mailto:"))
            assert attrs["rel"] == "noopener noreferrer"
    # The attack text is shown, escaped.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script" not in html and "<iframe" not in html and "<img" not in html
    assert "<link" not in html


def test_sanitizer_strips_markup_even_if_the_writer_let_it_through() -> None:
    raw = (
        "<p onclick=alert(1) style='x'>a<script>alert(1)</script></p>"
        '<img src=x onerror=alert(1)><iframe src="file:///etc/passwd"></iframe>'
        '<a href="javascript:alert(1)">j</a><a href="file:///etc/passwd">f</a>'
        '<a href="data:text/html,x">d</a><a href="http://plain.example">h</a>'
        "<link rel=attachment href=file:///etc/passwd><style>*{}</style>"
        '<object data="file:///etc/passwd"></object><base href="file:///">'
        '<p class="evil contact">c</p>'
    )
    clean = _CLEANER.clean(raw)
    assert clean == (
        '<p>a</p><a rel="noopener noreferrer">j</a><a rel="noopener noreferrer">f</a>'
        '<a rel="noopener noreferrer">d</a><a rel="noopener noreferrer">h</a>'
        '<p class="contact">c</p>'
    )


@pytest.mark.parametrize("template", TEMPLATES)
def test_template_css_is_ats_safe_and_offline(template: str) -> None:
    css = re.sub(r"/\*.*?\*/", "", template_css(template), flags=re.DOTALL)
    assert "url(" not in css and "@import" not in css and "@font-face" not in css
    for layout in ("float", "position", "display: table", "display: grid", "columns"):
        assert layout not in css
    assert "display: flex" not in css


def test_unknown_template(resume: RenderDocument) -> None:
    with pytest.raises(ExportError) as info:
        render_html(resume, "fancy")
    assert info.value.code == "INVALID_TEMPLATE"
