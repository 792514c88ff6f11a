"""Source data of the corpus job postings: one spec renders the posting AND writes its truth.

A section is (heading, kind, items); an item is (text, requirements) where each
requirement is (name, "required" | "preferred"). Items of "duty" sections may name skills
the analysis is allowed (not required) to report; benefits/about/other items name none.
`company_style` says where the company is written (header line, "About X", "X is
hiring", a "Company:" field, or "Title at Company").

The specs themselves are data: `specs/postings.json` (three postings carry a line
addressed to automated tools, `inject: true`, to check it is flagged and left out).
"""

from __future__ import annotations

from tests.corpus.spec_files import Spec, posting_specs

POSTINGS: list[Spec] = posting_specs("postings.json")
