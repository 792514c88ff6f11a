"""Second wave of corpus postings: job-board pastes (LinkedIn "About the job", Indeed
"Job details"), minimum/preferred qualification blocks, requirements written as prose,
EEO boilerplate and a hidden instruction addressed to AI tools.

The specs themselves are data: `specs/postings_more.json`.
"""

from __future__ import annotations

from tests.corpus.spec_files import Spec, posting_specs

MORE_POSTINGS: list[Spec] = posting_specs("postings_more.json")
