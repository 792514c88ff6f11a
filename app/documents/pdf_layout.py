"""From positioned PDF rows to reading-order lines: columns, running heads, wrapping.

- Columns: a vertical band with (almost) no text, text on both sides of it on many rows,
  and a shared left edge on its right side, is a gutter. A narrow column made of dates
  beside the entries they date ("2019 – 2021 | Analyst, Acme") is a label column: its
  text is kept on the entry's row instead of being read as a separate column.
- Running heads: rows in the top/bottom bands of the page that repeat on other pages
  (digits ignored) or that carry a page number ("Jane Roe, CPA · Page 1 of 2").
- Wrapping: a line continues the one above when they share size, weight and left edge,
  sit one line-pitch apart (or across a page break), and the first word of the lower line
  would not have fitted at the end of the upper one. Line-end hyphens from automatic
  hyphenation (U+2010, soft hyphen) are removed; a typed "-" (compound word) is kept.
"""

from __future__ import annotations

import itertools
import re
import statistics
from dataclasses import dataclass, field

from app.documents.pdf_glyphs import Chunk, Row
from app.documents.reading_order import order_columns, quiet_runs
from app.documents.text_lines import MAX_JOINED_CHARS, RawLine, split_bullet

_BAND = 0.09  # top/bottom share of the page where running heads live
_PAGE_NO = re.compile(
    r"^(?:page\s*)?\d{1,3}(?:\s*(?:/|of)\s*\d{1,3})?$|^-\s*\d{1,3}\s*-$|\bpage\s+\d{1,3}\b", re.I
)
_DATEISH = re.compile(
    r"^(?:(?:[A-Za-z]{3,9}\.?\s+)?(?:\d{1,2}/)?(?:19|20)\d\d|present|current|now)"
    r"(?:\s*[-–—to]+\s*(?:(?:[A-Za-z]{3,9}\.?\s+)?(?:\d{1,2}/)?(?:19|20)\d\d|present|current|now))?$",
    re.I,
)
_CONTACT = re.compile(r"\S+@\S+\.\w|https?://|www\.|\(?\+?\d[\d ().-]{7,}\d")
_AUTO_HYPHENS = ("\u2010", "\u00ad")
_SENTENCE_END = (".", "!", "?", ":", ";")
_JOIN_WORDS = frozenset(
    ["and", "or", "of", "the", "to", "with", "for", "in", "a", "an", "on", "by", "at", "from"]
)


@dataclass
class PLine:
    page: int
    x0: float
    x1: float
    top: float
    size: float
    bold: bool
    text: str
    first_word: float  # width of the first word, for the wrap test
    text_x: float  # where the text starts after a bullet marker (the hanging indent)
    parts: list[tuple[float, str]] = field(default_factory=list)  # (x0, text) per chunk
    col_left: float = 0.0
    col_right: float = 0.0
    blank_before: bool = False
    para_break: bool = False  # more space above than the column's line pitch
    itemised: bool = False  # the column's lines rarely reach its right edge (a list)


def drop_running_heads(pages: list[list[Row]], heights: list[float]) -> None:
    """Remove page numbers and repeated header/footer rows, in place."""

    def in_band(row: Row, height: float) -> bool:
        return row.top < height * _BAND or row.top > height * (1 - _BAND)

    def key(row: Row) -> str:
        # A running head repeats its text (page numbers aside) at the same place.
        text = re.sub(r"\d+", "#", " ".join(c.text for c in row.chunks).lower())
        return f"{round(row.top / 6)}|{round(row.chunks[0].x0 / 6)}|{text}"

    seen: dict[str, int] = {}
    for rows, height in zip(pages, heights, strict=True):
        for k in {key(r) for r in rows if in_band(r, height)}:
            seen[k] = seen.get(k, 0) + 1
    for page_no, (rows, height) in enumerate(zip(pages, heights, strict=True)):
        keep: list[Row] = []
        for row in rows:
            text = " ".join(c.text for c in row.chunks)
            bottom = row.top > height * (1 - _BAND)
            repeated = seen.get(key(row), 0) >= 2 and (bottom or page_no > 0)
            bullet = split_bullet(text)[0] is not None
            if in_band(row, height) and not bullet and (repeated or _PAGE_NO.search(text)):
                continue
            keep.append(row)
        rows[:] = keep


def _gutter(rows: list[Row]) -> tuple[float, float] | None:
    chunks = [c for r in rows for c in r.chunks]
    if len(rows) < 6 or not chunks:
        return None
    left_edge, right_edge = min(c.x0 for c in chunks), max(c.x1 for c in chunks)
    step = 2.0
    slots = int((right_edge - left_edge) / step) + 1
    cover = [0] * slots
    for c in chunks:
        for i in range(int((c.x0 - left_edge) / step), int((c.x1 - left_edge) / step)):
            cover[i] += 1
    tolerance = max(1, len(rows) // 25)
    best: tuple[int, tuple[float, float]] | None = None
    for i, j in quiet_runs(cover, tolerance):
        a, b = left_edge + i * step, left_edge + j * step
        if b - a < 8 or a - left_edge < 40 or right_edge - b < 40:
            continue
        score = _gutter_score(rows, a, b)
        if score and (best is None or score > best[0]):
            best = (score, (a, b))
    return best[1] if best else None


def _gutter_score(rows: list[Row], a: float, b: float) -> int:
    """How clearly [a, b) separates two columns (0: not a gutter).

    Both sides need text on several rows over a shared vertical stretch (side by side,
    not one above the other), and the right side a shared left edge (hanging indents of
    a few points allowed): right-aligned dates start wherever their length puts them.
    """
    left_chunks = [c for r in rows for c in r.chunks if c.x1 <= a + 2]
    right_chunks = [c for r in rows for c in r.chunks if c.x0 >= b - 2]
    left = sum(1 for r in rows if any(c.x1 <= a + 2 for c in r.chunks))
    right = sum(1 for r in rows if any(c.x0 >= b - 2 for c in r.chunks))
    if left < 3 or right < 3:
        return 0
    lo = max(min(c.top for c in left_chunks), min(c.top for c in right_chunks))
    hi = min(max(c.top for c in left_chunks), max(c.top for c in right_chunks))
    span = min(
        max(c.top for c in left_chunks) - min(c.top for c in left_chunks),
        max(c.top for c in right_chunks) - min(c.top for c in right_chunks),
    )
    if hi - lo < 0.5 * span:
        return 0
    edge = min(c.x0 for c in right_chunks)
    aligned = sum(1 for c in right_chunks if c.x0 <= edge + 16)
    return min(left, right) if aligned >= 0.5 * len(right_chunks) else 0


def _dated_share(texts: list[str]) -> float:
    return sum(1 for t in texts if _DATEISH.match(t.strip())) / len(texts) if texts else 0.0


def _is_label_column(rows: list[Row], a: float, b: float) -> bool:
    """A narrow column holding the dates of the entries beside them (left or right)."""
    paired = [
        r
        for r in rows
        if any(c.x1 <= a + 2 for c in r.chunks) and any(c.x0 >= b - 2 for c in r.chunks)
    ]
    left = [" ".join(c.text for c in r.chunks if c.x1 <= a + 2) for r in paired]
    right = [" ".join(c.text for c in r.chunks if c.x0 >= b - 2) for r in paired]
    right_all = [c.text for r in rows for c in r.chunks if c.x0 >= b - 2]
    return bool(paired) and (_dated_share(left) >= 0.6 or _dated_share(right_all) >= 0.6
                             or _dated_share(right) >= 0.8)  # fmt: skip


def _line(page: int, parts: list[Chunk]) -> PLine:
    first = parts[0]
    span = first.word_spans[0] if first.word_spans else (first.x0, first.x1)
    text = "   ".join(c.text for c in parts)
    text_x = first.x0
    if split_bullet(text)[0] is not None and len(first.word_spans) > 1:
        text_x = first.word_spans[1][0]
    elif len(parts) > 1 and len(first.text) == 1 and split_bullet(f"{first.text} x")[0]:
        # A bullet glyph set apart by a tab stop (Word): it still opens this line.
        text = f"{first.text} " + "   ".join(c.text for c in parts[1:])
        text_x = parts[1].x0
    return PLine(
        page=page,
        x0=first.x0,
        x1=max(c.x1 for c in parts),
        top=min(c.top for c in parts),
        size=max(c.size for c in parts),
        bold=all(c.bold for c in parts),
        text=text,
        first_word=span[1] - span[0],
        text_x=text_x,
        parts=[(c.x0, c.text) for c in parts],
    )


def page_columns(page: int, rows: list[Row]) -> list[list[PLine]]:
    """The page as columns of lines (one column when there is no gutter)."""
    gutter = _gutter(rows)
    if gutter is None:
        return [[_line(page, list(r.chunks)) for r in rows]]
    a, b = gutter
    if _is_label_column(rows, a, b):
        out = []
        for r in rows:
            right = [c for c in r.chunks if c.x0 >= b - 2]
            left = [c for c in r.chunks if c.x1 <= a + 2]
            out.append(_line(page, [*right, *left] if right and left else list(r.chunks)))
        return [out]
    return _split_columns(page, rows, a, b)


def _split_columns(page: int, rows: list[Row], a: float, b: float) -> list[list[PLine]]:
    def crosses(r: Row) -> bool:
        return any(c.x0 < a - 2 and c.x1 > b + 2 for c in r.chunks)

    split = [i for i, r in enumerate(rows) if not crosses(r)]
    if not split:
        return [[_line(page, list(r.chunks)) for r in rows]]
    first, last = split[0], split[-1]
    top = [_line(page, list(r.chunks)) for r in rows[:first]]
    bottom = [_line(page, list(r.chunks)) for r in rows[last + 1 :]]
    left: list[PLine] = []
    right: list[PLine] = []
    for r in rows[first : last + 1]:
        if crosses(r):
            left.append(_line(page, list(r.chunks)))
            continue
        lchunks = [c for c in r.chunks if c.x0 < a]
        rchunks = [c for c in r.chunks if c.x0 >= a]
        if lchunks:
            left.append(_line(page, list(lchunks)))
        if rchunks:
            right.append(_line(page, list(rchunks)))
    return [col for col in (top, left, right, bottom) if col]


def _mark_columns(columns: list[list[PLine]]) -> None:
    """Column facts pooled over every page's column at the same left edge (a page with
    little text on it still wraps at the document's width and pitch)."""
    groups: dict[int, list[list[PLine]]] = {}
    for col in columns:
        if col:
            groups.setdefault(round(min(ln.x0 for ln in col) / 12), []).append(col)
    for cols in groups.values():
        lines = [ln for col in cols for ln in col]
        left = min(ln.x0 for ln in lines)
        # Rows with a wide gap (title ... right-aligned dates) do not show where text wraps.
        plain = [ln.x1 for ln in lines if "   " not in ln.text]
        right = max(plain) if plain else max(ln.x1 for ln in lines)
        ratios = sorted(
            (b.top - a.top) / a.size
            for col in cols
            for a, b in itertools.pairwise(col)
            if abs(a.size - b.size) < 0.5 and b.top > a.top and a.page == b.page
        )
        # Lines of one wrapped paragraph sit closest: the lower quartile is the line pitch.
        ratio = ratios[len(ratios) // 4] if ratios else 1.3
        full = sum(1 for ln in lines if ln.x1 >= right - 0.15 * (right - left))
        itemised = full < max(3, 0.3 * len(lines))
        for col in cols:
            _mark(col, left, right, ratio, itemised)


def _mark(col: list[PLine], left: float, right: float, ratio: float, itemised: bool) -> None:
    prev: PLine | None = None
    for ln in col:
        ln.col_left, ln.col_right, ln.itemised = left, right, itemised
        if prev is not None:
            gap, pitch = ln.top - prev.top, ratio * prev.size
            ln.blank_before = ln.blank_before or gap > max(pitch * 1.45, prev.size * 1.6)
            ln.para_break = gap > pitch + max(1.0, 0.08 * ln.size)
        prev = ln


def continues(prev: PLine, cur: PLine) -> bool:
    """Whether `cur` is the wrapped tail of `prev` (see the module docstring)."""
    if split_bullet(cur.text)[0] is not None or abs(prev.size - cur.size) > 0.6:
        return False
    if len(prev.text) + len(cur.text) > MAX_JOINED_CHARS:
        return False  # no paragraph is this long; also keeps joining linear
    if prev.bold != cur.bold or _DATEISH.match(cur.text.strip()):
        return False
    if cur.page == prev.page and (cur.blank_before or cur.para_break or cur.top <= prev.top):
        return False
    if _CONTACT.search(prev.text[-120:]) or _CONTACT.search(cur.text):
        return False  # stacked e-mail / phone / link lines are separate items
    width = prev.col_right - prev.col_left
    if cur.text[:1].isupper() and prev.x1 - prev.col_left < 0.75 * width:
        return False
    if abs(cur.x0 - prev.text_x) > 3.5 and abs(cur.x0 - prev.x0) > 3.5:
        return False
    if "   " in prev.text or "   " in cur.text:
        return False  # rows with a wide gap (title ... dates) are entry lines, not prose
    hanging = split_bullet(prev.text)[0] is not None and abs(cur.x0 - prev.text_x) <= 3.5
    space = prev.size * 0.3
    would_fit = prev.x1 + space + cur.first_word < prev.col_right - 1.0
    if would_fit and not (hanging and cur.x0 > prev.x0 + 2):
        return False
    if prev.itemised and not (hanging or _joins(prev.text, cur.text)):
        return False  # in a list of short items only an open end proves a wrap
    return not (prev.text.endswith(_SENTENCE_END) and cur.text[:1].isupper())


def _joins(prev: str, cur: str) -> bool:
    last = prev.rsplit(" ", 1)[-1].lower()
    return cur[:1].islower() or prev.endswith((",", "&", "-", "\u2010", "/")) or last in _JOIN_WORDS


def _wrapped_row(prev: PLine, cur: PLine) -> bool:
    """ "Senior Product Manager — Northwind | Jan 2020 – Dec" over "Traders | 2022": an
    entry row whose title and date cells both wrapped in a narrow column."""
    if len(prev.parts) != 2 or len(cur.parts) != 2 or cur.page != prev.page:
        return False
    if cur.blank_before or cur.para_break or abs(prev.size - cur.size) > 0.6:
        return False
    if abs(prev.parts[0][0] - cur.parts[0][0]) > 3 or len(cur.parts[0][1].split()) > 4:
        return False
    date_before, date_after = prev.parts[1][1], f"{prev.parts[1][1]} {cur.parts[1][1]}"
    return bool(_DATEISH.match(date_after.strip())) and not _DATEISH.match(date_before.strip())


def join_text(prev: str, cur: str) -> str:
    if prev.endswith(_AUTO_HYPHENS) and cur[:1].isalpha():
        return prev[:-1] + cur
    if prev.endswith("-") and len(prev) > 1 and prev[-2].isalpha() and cur[:1].isalpha():
        return prev + cur  # "plain-" + "language": a compound broken at its hyphen
    return f"{prev} {cur}"


def flow(columns_by_page: list[list[list[PLine]]]) -> list[PLine]:
    """All lines in reading order with wrapped lines joined (also across pages)."""
    _mark_columns([col for columns in columns_by_page for col in columns])
    ordered: list[PLine] = []
    for columns in columns_by_page:
        page_lines = order_columns(columns)
        if ordered and page_lines:
            page_lines[0].blank_before = True
        ordered.extend(page_lines)
    out: list[PLine] = []
    for ln in ordered:
        if out and _wrapped_row(out[-1], ln):
            prev = out[-1]
            prev.parts = [
                (x, f"{a} {b}") for (x, a), (_, b) in zip(prev.parts, ln.parts, strict=True)
            ]
            prev.text = "   ".join(t for _, t in prev.parts)
            prev.top = ln.top
            continue
        if out and continues(out[-1], ln):
            prev = out[-1]
            prev.text = join_text(prev.text, ln.text)
            prev.x1, prev.top, prev.page = ln.x1, ln.top, ln.page
            continue
        out.append(ln)
    return out


def to_raw_lines(lines: list[PLine]) -> list[RawLine]:
    sizes = [ln.size for ln in lines for _ in range(len(ln.text))]
    body = statistics.median(sizes) if sizes else 10.0
    out: list[RawLine] = []
    name_done = False
    for ln in lines:
        big = ln.size >= body * 1.15
        level = None
        if not name_done and ln.page == 0 and ln.size >= body * 1.5:
            level, name_done = 0, True  # the largest line at the top: the name
        indent = max(0, round((ln.x0 - ln.col_left) / max(body * 0.5, 1.0)))
        out.append(RawLine(text=ln.text, indent=indent, blank_before=ln.blank_before,
                           heading_level=level, bold=ln.bold or big, may_wrap=False))  # fmt: skip
    return out
