from __future__ import annotations

import pytest

from app.tailoring.matcher import get_matcher


def skills(text: str, *, list_context: bool = False) -> list[str]:
    return get_matcher().skills_in(text, list_context=list_context)


@pytest.mark.parametrize(
    "text",
    [
        "Built ingestion services in Go handling 3M messages a day",
        "Strong Python or Go",
        "Languages: Python, Go, SQL",
        "Go and Rust microservices",
        "Wrote Go code for the billing service",
    ],
)
def test_go_the_language_in_technical_context(text: str) -> None:
    assert "Go" in skills(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ready to go the extra mile and go home early",
        "Go beyond the brief on every project",
        "We go live next week",
    ],
)
def test_go_the_verb_is_not_a_skill(text: str) -> None:
    assert "Go" not in skills(text)


def test_go_to_market_is_a_marketing_skill_not_go() -> None:
    assert skills("Owned the go-to-market plan") == ["Go-to-market strategy"]


def test_c_cplusplus_and_csharp_are_distinct() -> None:
    assert skills("C, C++, C#, Java") == ["C", "C++", "C#", "Java"]
    assert "C" in skills("Wrote firmware in C for STM32 boards")


@pytest.mark.parametrize(
    "text", ["Presented to C-level executives", "Rich in vitamin C", "Grade C or better"]
)
def test_letter_c_outside_tech_context(text: str) -> None:
    assert "C" not in skills(text)


def test_r_only_in_a_skills_list_or_after_in() -> None:
    assert "R" in skills("Languages: Python, R, SQL")
    assert "R" in skills("Cleaned and analysed survey data in R for a study")
    assert "R" not in skills("Cut R&D spend by 10%")
    assert "Research and development" in skills("Cut R&D spend by 10%")
    assert "R" not in skills("Reported R-squared for every model")
    assert "R" not in skills("Section R of the report")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Go (Cobra CLI), Python", "Go"),
        ("Languages: Python, Go (Gin, Echo), SQL", "Go"),
        ("Python, R (tidyverse, Shiny), SQL", "R"),
        ("C (embedded), C++, Rust", "C"),
        ("Rust, C (bare-metal)", "C"),
    ],
)
def test_an_ambiguous_name_with_a_note_is_still_a_list_item(text: str, name: str) -> None:
    assert name in skills(text)
    assert name in skills(text, list_context=True)


@pytest.mark.parametrize(
    "text",
    [
        "Let us go (quickly), then eat",
        "We go (as a team) to every launch",
        "Plan C (backup), then leave",
    ],
)
def test_a_note_after_an_ordinary_word_gives_it_no_list_context(text: str) -> None:
    assert not {"Go", "C"} & set(skills(text))


def test_a_lone_ambiguous_name_needs_list_context() -> None:
    assert skills("Go") == []
    assert skills("Go", list_context=True) == ["Go"]


def test_aliases_are_flagged_and_canonical_names_are_not() -> None:
    matches = get_matcher().find("Ran k8s clusters backed by Postgres; later Kubernetes")
    flags = {(m.skill, m.surface): m.alias for m in matches}
    assert flags[("Kubernetes", "k8s")] is True
    assert flags[("PostgreSQL", "Postgres")] is True
    assert flags[("Kubernetes", "Kubernetes")] is False


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Maintained Helm charts", "Helm"),
        ("Designed internal APIs", "API design"),
        ("Node.js", "Node.js"),
        ("NodeJS", "Node.js"),
        ("node js", "Node.js"),
        ("CI/CD pipelines", "CI/CD"),
        ("CI-CD", "CI/CD"),
        ("A/B tests", "A/B testing"),
        ("ab testing", "A/B testing"),
        ("e-commerce", "E-commerce"),
        ("ecommerce", "E-commerce"),
        ("Power-BI", "Power BI"),
        ("PowerBI", "Power BI"),
        ("Kubernetes clusters", "Kubernetes"),
        ("Lumen's Terraform modules", "Terraform"),
    ],
)
def test_case_punctuation_and_plural_insensitive(text: str, expected: str) -> None:
    assert expected in skills(text)


def test_word_boundaries_keep_similar_names_apart() -> None:
    assert skills("JavaScript") == ["JavaScript"]
    assert skills("MySQL") == ["MySQL"]
    assert "Scala" not in skills("Scalable systems")
    assert "Rust" not in skills("Built trust with clients")
    assert skills("Spring Boot services") == ["Spring Boot"]
    assert skills("AWS Lambda functions") == ["AWS Lambda"]


def test_cased_forms_reject_ordinary_words() -> None:
    assert "Microsoft Excel" not in skills("I excel at planning")
    assert "Microsoft Excel" in skills("Automated Excel reports")
    assert "Machine learning" not in skills("Administered 5 ml of saline")
    assert "Machine learning" in skills("ML: scikit-learn, XGBoost")
    assert "Slack" not in skills("Picked up the slack")
    assert "Epic" not in skills("An epic redesign")
    assert "Epic" in skills("Charted in Epic")


def test_shouted_lines_keep_case_sensitive_names() -> None:
    assert "Go" in skills("PYTHON, GO, SQL", list_context=True)


def test_offsets_point_at_the_written_text() -> None:
    text = "Led the move to k8s with Helm charts"
    for match in get_matcher().find(text):
        assert text[match.start : match.end] == match.surface


def test_evidence_phrases_respect_line_start_anchors() -> None:
    matcher = get_matcher()
    led = {e.skill for e in matcher.find_evidence("Led the migration to six services")}
    assert "Leadership" in led
    later = {e.skill for e in matcher.find_evidence("The analysis led to a 6% lift")}
    assert "Leadership" not in later
    after_semicolon = {e.skill for e in matcher.find_evidence("Shipped v2; mentored 4 engineers")}
    assert "Mentoring" in after_semicolon
