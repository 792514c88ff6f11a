from __future__ import annotations

from app.tailoring import LocalEngine
from app.tailoring.contact_override import ContactOverride, apply_contact
from app.tailoring.render import render_markdown
from app.tailoring.types import Strategy

from .builders import alex_rivera, platform_job

GIVEN = ContactOverride(
    name="Alexandra Rivera",
    email="a.rivera@mailbox.example",
    location="Lisbon, Portugal",
    links=("alexrivera.dev",),
)


def test_override_heads_the_letter_and_the_tailored_resume(engine: LocalEngine) -> None:
    resume, job = apply_contact(alex_rivera(), GIVEN), platform_job()
    plan = engine.plan(resume, job)
    letter = engine.cover_letter(resume, job, plan)
    header = letter.text.split("\n\n")[0]
    assert header.startswith("Alexandra Rivera\na.rivera@mailbox.example")
    # Fields left out keep the resume's own value (the phone number).
    assert "+1 (555) 014-2231" in header and "Lisbon, Portugal" in header
    assert "alexrivera.dev" in header and "alex.rivera@example.com" not in letter.text
    assert letter.text.rstrip().endswith("Alexandra Rivera")
    for strategy in Strategy:
        tailored = engine.draft(resume, job, plan, strategy)
        head = render_markdown(tailored).split("\n\n")[0]
        assert "Alexandra Rivera" in head and "a.rivera@mailbox.example" in head
        assert "alex.rivera@example.com" not in render_markdown(tailored)
        # The user's own contact block is truth: the guard neither flags nor reverts it.
        assert not [w for w in tailored.warnings if w.code == "NEW_CONTACT"]


def test_no_override_leaves_the_resume_as_it_is() -> None:
    resume = alex_rivera()
    assert apply_contact(resume, None) is resume
    assert apply_contact(resume, ContactOverride()) is resume
    roundtrip = ContactOverride.from_dict(GIVEN.to_dict())
    assert roundtrip == GIVEN
