"""redact_for_audit: personal data out, substance (dates, numbers, skills) in."""

from __future__ import annotations

import pytest

from app.ai import redact_for_audit

RESUME = """Alex J. Rivera-Lopez
alex.rivera@example.com | +1 (555) 014-2231 | linkedin.com/in/alexrivera
Senior Data Engineer, Lumen Freight, 2019 - 2023
Led a team of 6; cut costs by 35% across 1200 pipelines. Started 2019-03-01.
Rivera's team shipped 14 releases. Contact ALEX at 206.555.0188 or +44 20 7946 0321."""


def test_contact_details_and_names_are_replaced() -> None:
    redacted = redact_for_audit(RESUME, ["Alex J. Rivera-Lopez"])

    for leak in (
        "alex.rivera@example.com",
        "014-2231",
        "555-0188",
        "7946 0321",
        "alexrivera",
        "Alex",
        "ALEX",
        "Rivera",
        "Lopez",
    ):
        assert leak not in redacted, leak
    assert "[EMAIL]" in redacted and "[PHONE]" in redacted and "[PROFILE_URL]" in redacted
    assert redacted.startswith("[NAME]")
    assert "[NAME]'s team" in redacted


def test_dates_numbers_and_facts_survive() -> None:
    redacted = redact_for_audit(RESUME, ["Alex J. Rivera-Lopez"])

    for kept in (
        "2019 - 2023",
        "2019-03-01",
        "35%",
        "1200 pipelines",
        "team of 6",
        "Lumen Freight",
    ):
        assert kept in redacted, kept


def test_name_parts_match_whole_words_only() -> None:
    text = "Mark Jones marked the Jonesboro office; MARK JONES approved."
    assert redact_for_audit(text, ["Mark Jones"]) == (
        "[NAME] marked the Jonesboro office; [NAME] approved."
    )


def test_initials_and_particles_are_not_redacted_alone() -> None:
    text = "Maria de la Cruz worked in la Paz with J. Smith; de facto lead."
    redacted = redact_for_audit(text, ["Maria de la Cruz", "J. Smith"])
    assert redacted == "[NAME] worked in la Paz with [NAME]; de facto lead."


@pytest.mark.parametrize(
    "text",
    ["key sk-proj-abcdefghijklmnop used", "Authorization: Bearer abc.def.ghi"],
)
def test_secrets_are_removed(text: str) -> None:
    assert "abcdefghijklmnop" not in redact_for_audit(text, [])
    assert "abc.def.ghi" not in redact_for_audit(text, [])


def test_no_names_and_empty_names_are_fine() -> None:
    assert redact_for_audit("Plain text 2024.", []) == "Plain text 2024."
    assert redact_for_audit("Plain text.", ["", "  "]) == "Plain text."


def test_a_lone_initial_is_kept() -> None:
    assert redact_for_audit("Reviewed by J. Doe and Smith.", ["J. Smith"]) == (
        "Reviewed by J. Doe and [NAME]."
    )
