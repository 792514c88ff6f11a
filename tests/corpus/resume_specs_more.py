"""Second wave of corpus resumes: layouts and entry grammars the first wave lacks
(Word templates with employer/title lines and tab-aligned dates, layout tables, flex
sidebars with letter-spaced headings, drawn PDFs whose content stream is out of reading
order, one-line Markdown entries, dates-first text, pasted HTML, stacked roles).

The specs themselves are data: `specs/resumes_more.json`.
"""

from __future__ import annotations

from tests.corpus.spec_files import Spec, resume_specs

MORE_RESUMES: list[Spec] = resume_specs("resumes_more.json")
