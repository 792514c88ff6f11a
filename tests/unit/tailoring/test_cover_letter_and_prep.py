from __future__ import annotations

import pytest

from app.tailoring import LocalEngine
from app.tailoring.guard import build_facts, skills_claimed
from app.tailoring.letter_voice import role_name
from app.tailoring.types import CoverLetter

from .builders import JOBS, RESUMES, alex_rivera, icu_job, platform_job, priya_nair, sam_okafor


def test_letter_is_composed_credited_and_has_contact_details(engine: LocalEngine) -> None:
    resume, job = alex_rivera(), platform_job()
    letter = engine.cover_letter(resume, job, engine.plan(resume, job))
    assert letter.text.startswith("Alex Rivera\nalex.rivera@example.com · +1 (555) 014-2231")
    assert "Dear Orbital Payments Hiring Team," in letter.paragraphs
    assert "Senior Platform Engineer position at Orbital Payments" in letter.paragraphs[2]
    assert "as a Senior Software Engineer at Lumen Freight" in letter.paragraphs[2]
    # Evidence in the first person, each credited to the employer whose bullet it is.
    assert "At Lumen Freight, I designed a shipment-tracking API" in letter.text
    assert "I also led the move from a monolith to 6 services on k8s" in letter.text
    assert "at Brightwell Health, I built HL7/FHIR ingestion in Go" in letter.text
    assert "“" not in letter.text and "From my resume" not in letter.text  # nothing quoted
    # Why this company, from what the posting says about itself.
    assert "Orbital Payments, which moves money for 9,000 small businesses" in letter.text
    assert letter.evidence and all(e.line_id.startswith("L") for e in letter.evidence)
    for evidence in letter.evidence:
        assert evidence.text in resume.text
    assert letter.warnings == []
    assert letter.text.rstrip().endswith("Alex Rivera")


@pytest.mark.parametrize("resume_name", sorted(RESUMES))
@pytest.mark.parametrize("job_name", sorted(JOBS))
def test_letter_never_claims_a_skill_the_resume_lacks(
    engine: LocalEngine, resume_name: str, job_name: str
) -> None:
    resume, job = RESUMES[resume_name](), JOBS[job_name]()
    letter = engine.cover_letter(resume, job, engine.plan(resume, job))
    body = letter.text
    named = [job.title or "", job.company or "", role_name(job.title) or ""]  # the role: no claim
    named += [e.employer or "" for e in resume.experience]  # "Tallgrass Analytics" is a fact
    for allowed in named:
        body = body.replace(allowed, " ") if allowed else body
    facts = build_facts(resume)
    for skill in skills_claimed(body):
        assert skill in facts.skills, (skill, resume_name, job_name)
    missing = engine.score(resume, job).missing
    for label in missing:
        assert label not in body
    assert len(letter.paragraphs) >= 4


def test_letter_for_a_poor_fit_is_honest_and_non_empty(engine: LocalEngine) -> None:
    resume, job = sam_okafor(), icu_job()
    letter = engine.cover_letter(resume, job, engine.plan(resume, job))
    assert "Senior Product Designer at Parcelly" in letter.text
    assert "ventilator" not in letter.text.lower() and "BLS" not in letter.text


def test_letter_renderings_escape_text(engine: LocalEngine) -> None:
    resume = alex_rivera()
    resume.contact.name = "Alex <b>Rivera</b>"
    job = platform_job()
    letter = engine.cover_letter(resume, job, engine.plan(resume, job))
    assert "<b>" not in letter.html and "&lt;b&gt;" in letter.html
    assert "\\<b\\>" in letter.markdown
    assert CoverLetter.from_dict(letter.to_dict()) == letter


def test_interview_prep_cites_resume_lines(engine: LocalEngine) -> None:
    resume, job = alex_rivera(), platform_job()
    prep = engine.interview_prep(resume, job, engine.plan(resume, job))
    categories = [q.category for q in prep.questions]
    assert categories.count("requirement") >= 5
    assert "role" in categories and "experience" in categories
    ids = {ln.id for ln in resume.lines}
    for question in prep.questions:
        assert all(e.line_id in ids for e in question.evidence)
        assert question.question.endswith("?")
    helm = next(q for q in prep.questions if q.requirement == "Helm")
    assert helm.evidence[0].line_id == "L9"
    assert "Led the move" in helm.tip


def test_interview_prep_covers_gaps_with_honest_tips(engine: LocalEngine) -> None:
    resume, job = priya_nair(), platform_job()
    prep = engine.interview_prep(resume, job, engine.plan(resume, job))
    gaps = [q for q in prep.questions if q.category == "gap"]
    assert {q.requirement for q in gaps} >= {"Kubernetes", "Helm"}
    assert all("honest" in q.tip for q in gaps)


def test_form_data_is_json_ready(engine: LocalEngine) -> None:
    data = engine.form_data(priya_nair())
    assert data["name"] == "Priya Nair"  # "PRIYA NAIR" as written in the header
    assert data["first_name"] == "Priya" and data["last_name"] == "Nair"
    assert data["email"] == "priya.nair@example.org"
    assert data["phone"] == "206-555-0188"
    assert data["links"]["linkedin"] == "linkedin.com/in/priyanair"
    assert data["current_title"] == "Data Scientist"
    assert data["current_employer"] == "Cascade Outdoor Co."
    assert data["years_experience"] > 8
    assert data["education"][0] == {
        "school": "University of Washington",
        "degree": "M.S.",
        "field_of_study": "Statistics",
        "year": "2017",
    }
    assert {"Python", "R", "SQL", "dbt"} <= set(data["skills"])
    alex = engine.form_data(alex_rivera())
    assert alex["certifications"] == ["AWS Certified Developer – Associate"]
    assert alex["links"]["github"] == "github.com/arivera-dev"
