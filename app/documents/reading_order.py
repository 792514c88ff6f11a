"""Reading order for multi-column layouts (PDF gutters, DOCX layout tables)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol, TypeVar

from app.documents.dates import find_date_range, strip_dates
from app.documents.headings import section_kind
from app.documents.text_lines import RawLine


class _Line(Protocol):
    text: str
    blank_before: bool


L = TypeVar("L", bound=_Line)


def _is_heading(line: _Line) -> bool:
    return section_kind(line.text) is not None


def order_columns(columns: list[list[L]]) -> list[L]:
    """Columns left to right, except that a name block heading one column is read first.

    A sidebar that opens with a heading ("Contact", "Skills") beside a main column that
    opens with the person's name and title should read name first, so the name lands in
    the contact block rather than at the end of the sidebar's last section.
    """
    columns = [list(col) for col in columns]
    filled = [col for col in columns if any(ln.text.strip() for ln in col)]
    if len(filled) < 2:
        return [ln for col in columns for ln in col]
    first_line = next(ln for ln in filled[0] if ln.text.strip())
    hoisted: list[L] = []
    if _is_heading(first_line):
        for col in filled[1:]:
            texts = [i for i, ln in enumerate(col) if ln.text.strip()]
            cut = next((i for i in texts if _is_heading(col[i])), None)
            if cut is None or cut == texts[0]:
                continue
            hoisted.extend(col[:cut])
            del col[:cut]
            col[0].blank_before = True
            break
    return hoisted + [ln for col in columns for ln in col]


def dates_onto_entry(columns: list[list[RawLine]]) -> list[list[RawLine]]:
    """A row of a layout table whose one cell is only a date range ("2019 – Present")
    beside the entry's cell: the dates join the entry's first line, as a tab would."""
    filled = [[ln for ln in col if ln.text.strip()] for col in columns]
    dated = [i for i, col in enumerate(filled) if len(col) == 1 and _only_dates(col[0].text)]
    others = [i for i, col in enumerate(filled) if col and i not in dated]
    if len(dated) != 1 or len(others) != 1:
        return columns
    first = filled[others[0]][0]
    first.text = f"{first.text}\t{filled[dated[0]][0].text.strip()}"
    return [col for i, col in enumerate(columns) if i != dated[0]]


def _only_dates(text: str) -> bool:
    found = find_date_range(text)
    return found is not None and not strip_dates(text, found).strip()


def quiet_runs(counts: Sequence[int], tolerance: int) -> Iterator[tuple[int, int]]:
    """[start, end) runs of indexes where `counts` stays at or under `tolerance`: with
    counts of ink per horizontal slot across a page's rows, where a gutter may run."""
    i = 0
    while i < len(counts):
        if counts[i] > tolerance:
            i += 1
            continue
        start = i
        while i < len(counts) and counts[i] <= tolerance:
            i += 1
        yield start, i
