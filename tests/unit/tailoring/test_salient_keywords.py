"""The posting keywords an ATS score counts and a person is shown as "missing" are real
terms: skills, tools, credentials, methods and domain nouns, never job-ad prose."""

from __future__ import annotations

import pytest

from app.documents import parse_job_posting
from app.tailoring.job_analysis import analyse_job
from app.tailoring.salient_words import verb_lemma

from .salient_postings import CHEF, CIVIL, LOGISTICS, VET

# posting -> (terms that must be keywords, prose that must not be)
CASES = {
    "vet": (
        VET,
        ["AVImark", "Fear Free certification", "soft-tissue surgery", "preventive care", "CVT"],
        ["advanced", "comfortable", "calm", "something goes wrong", "goes wrong", "lbs",
         "surgical suite stocked", "draw blood", "credentialed veterinary", "skills"],
    ),
    "logistics": (
        LOGISTICS,
        ["hazmat regulations", "spot rates", "detention costs", "brokerage"],
        ["advanced", "degree", "bachelor", "field", "track record", "data-driven",
         "present findings", "operations leaders", "resolve exceptions", "goes wrong",
         "spend", "fast-paced", "detail-oriented", "comfortable"],
    ),
    "chef": (
        CHEF,
        ["ServSafe Manager certification", "HACCP procedures", "food cost", "prep lists",
         "plating standards", "food handler card"],
        ["line", "busy dinner services", "control food cost", "rotate stock",
         "expedite tickets", "lbs", "evenings", "weekends", "ability", "valid"],
    ),
    "civil": (
        CIVIL,
        ["HEC-RAS", "SWPPP", "land development", "drainage plans", "residential subdivisions"],
        ["california", "degree", "bachelor", "license", "certificate", "code",
         "excellent", "written communication", "prepare grading"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(CASES))
def test_keywords_are_terms_not_prose(name: str) -> None:
    text, real, prose = CASES[name]
    keywords = {k.casefold() for k in analyse_job(parse_job_posting(text)).keywords}
    missing = [t for t in real if t.casefold() not in keywords]
    assert not missing, (missing, sorted(keywords))
    noise = [w for w in prose if w.casefold() in keywords]
    assert not noise, (noise, sorted(keywords))


def test_generic_words_alone_are_never_keywords() -> None:
    """Whatever the profession, a lone qualifier, filler noun, verb or place is prose."""
    generic = {
        "advanced", "tools", "degree", "bachelor", "license", "certificate", "experience",
        "strong", "proven", "results", "software", "systems", "production", "california",
        "arizona", "prepare", "obtain", "maintaining", "managing", "hands", "expert",
        "deep", "professional", "field", "business", "management", "data",
    }  # fmt: skip
    for text in (VET, LOGISTICS, CHEF, CIVIL):
        keywords = {k.casefold() for k in analyse_job(parse_job_posting(text)).keywords}
        assert not generic & keywords, sorted(generic & keywords)


def test_names_keep_their_spelling() -> None:
    """A tool named inside a sentence is shown as the posting writes it ("AVImark")."""
    terms = [t.term for t in analyse_job(parse_job_posting(VET)).salient_terms]
    assert "AVImark" in terms
    assert "avimark" not in terms


def test_a_noun_that_is_also_a_verb_is_read_by_its_place() -> None:
    """ "Provide direct care" is a nursing term; "and document care" is a duty."""
    posting = """Staff Nurse
Harbor Pines Medical Center - Tacoma, WA

Responsibilities
- Provide direct care to post-surgical patients and document care in Epic
- Provide direct care on a 30-bed unit

Requirements
- Active RN license
- 2+ years of direct care experience
"""
    keywords = {k.casefold() for k in analyse_job(parse_job_posting(posting)).keywords}
    assert "direct care" in keywords, keywords
    assert "document care" not in keywords, keywords


@pytest.mark.parametrize(
    ("word", "lemma"),
    [("reconciling", "reconcile"), ("mapping", "map"), ("applied", "apply"),
     ("oversees", "oversee"), ("goes", "go"), ("telemetry", None), ("procore", None)],
)  # fmt: skip
def test_verb_forms_are_recognised(word: str, lemma: str | None) -> None:
    assert verb_lemma(word) == lemma
