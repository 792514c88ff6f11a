"""Source data of the corpus resumes: one spec renders the document AND writes its truth.

Each spec is plain data. `layout` picks the renderer (tests/corpus/render_resume.py),
`style` the entry-line grammar and date writing that renderer uses. Dates are given
normalised ("2019-03", "2016", "present"); the renderer writes them as people do.

The specs themselves are data: `specs/resumes.json`.
"""

from __future__ import annotations

from tests.corpus.spec_files import Spec, resume_specs

RESUMES: list[Spec] = resume_specs("resumes.json")
