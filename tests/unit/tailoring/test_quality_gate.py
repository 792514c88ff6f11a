"""The structural quality gate, the entry header and the letter's building blocks."""

from __future__ import annotations

from app.documents import parse_job_posting
from app.documents.models import SectionKind
from app.tailoring.attribution import attribution_errors
from app.tailoring.entries import entry_facts
from app.tailoring.letter_voice import article, first_person, person_name, role_name
from app.tailoring.posting_company import about_company, company_name
from app.tailoring.quality_gate import apply_quality_gate, structure_problems
from app.tailoring.render import render_html, render_markdown, render_text
from app.tailoring.types import LineRole, Strategy, TailoredLine, TailoredResume, TailoredSection

from .guard_cases import resume_named


def _resume(*lines: tuple[str, LineRole]) -> TailoredResume:
    body = [TailoredLine(text, ["L1"], role) for text, role in lines]
    contact = TailoredSection(
        SectionKind.CONTACT, "", [TailoredLine("Ada Byron", ["L0"], LineRole.NAME)]
    )
    return TailoredResume(
        Strategy.DEFAULT, [contact, TailoredSection(SectionKind.EXPERIENCE, "Experience", body)]
    )


def test_gate_repairs_damaged_structure_and_says_so() -> None:
    damaged = _resume(
        ("Engineer | Acme Corp", LineRole.HEADER),
        ("Austin, TX · Mar 2021 – Present", LineRole.HEADER),
        ("Built the billing manage- ment service in Go for 3 teams", LineRole.BULLET),
        ("and the reporting API", LineRole.BULLET),
        ("Page 1 of 2", LineRole.TEXT),
        ("Built the billing manage- ment service in Go for 3 teams", LineRole.BULLET),
        ("Analyst | Beta Labs", LineRole.HEADER),
        ("Jan 2019 - Feb 2021", LineRole.BULLET),
        ("Ada Byron", LineRole.TEXT),
    )
    assert {p.code for p in structure_problems(damaged)} >= {
        "split_header", "hyphenation", "fragment", "running_header", "duplicate",
        "header_as_bullet",
    }  # fmt: skip
    fixed = apply_quality_gate(damaged)
    experience = fixed.section(SectionKind.EXPERIENCE)
    assert experience is not None
    texts = [(ln.text, ln.role) for ln in experience.lines]
    assert texts == [
        ("Engineer | Acme Corp", LineRole.HEADER),
        ("Austin, TX · Mar 2021 – Present", LineRole.META),
        ("Built the billing management service in Go for 3 teams and the reporting API", LineRole.BULLET),
        ("Analyst | Beta Labs", LineRole.HEADER),
        ("Jan 2019 - Feb 2021", LineRole.META),
    ]  # fmt: skip
    assert structure_problems(fixed) == []
    assert {w.code for w in fixed.warnings} == {"STRUCTURE_REPAIRED"}


def test_suspended_hyphen_is_not_a_break_and_unreadable_history_is_flagged() -> None:
    resume = _resume(("Hired full- and part-time staff for 3 clinics", LineRole.BULLET))
    fixed = apply_quality_gate(resume)
    assert fixed.all_lines()[-1].text == "Hired full- and part-time staff for 3 clinics"
    assert [w.code for w in fixed.warnings] == ["STRUCTURE_UNREADABLE"]


def test_one_entry_renders_as_one_header_in_every_format() -> None:
    resume = apply_quality_gate(
        _resume(
            ("Engineer | Acme Corp", LineRole.HEADER),
            ("Austin, TX · Mar 2021 – Present", LineRole.HEADER),
            ("Built billing in Go", LineRole.BULLET),
        )
    )
    markdown = render_markdown(resume)
    assert markdown.count("### ") == 1
    assert "### Engineer | Acme Corp\nAustin, TX · Mar 2021 – Present" in markdown
    html = render_html(resume)
    assert html.count("<h3>") == 1
    assert '<div class="entry"><h3>Engineer | Acme Corp</h3><p class="meta">Austin, TX' in html
    text = render_text(resume)
    assert "Engineer | Acme Corp\nAustin, TX · Mar 2021 – Present\n\n- Built" in text


def test_entries_read_employer_from_a_column_gap_header() -> None:
    facts = entry_facts(resume_named("staff-accountant.txt"))
    assert [(f.title, f.employer) for f in facts[:2]] == [
        ("Senior Staff Accountant", "Alpine Outdoor Co."),
        ("Staff Accountant", "Front Range Dental Group"),
    ]


def test_company_is_read_from_the_posting_not_a_heading() -> None:
    shouted = parse_job_posting(
        "ACCOUNT EXECUTIVE - MID-MARKET\nBrightwave Analytics\nEast Region\n\n"
        "Brightwave Analytics helps operations teams forecast demand. We are hiring.\n"
        "Requirements\n- Salesforce\n"
    )
    assert company_name(shouted) == "Brightwave Analytics"
    assert about_company(shouted, "Brightwave Analytics") == (
        "which helps operations teams forecast demand"
    )
    nameless = parse_job_posting("High School Math Teacher\n\nRequirements\n- Algebra\n")
    assert company_name(nameless) is None


def test_letter_language_rules() -> None:
    assert article("Account Executive") == "an" and article("UX Designer") == "a"
    assert article("RN") == "an" and article("University Liaison") == "a"
    assert first_person("Coordinate care for 28 patients", current=False) == (
        "coordinated care for 28 patients"
    )
    assert first_person("Lead a team of 9", current=True) == "lead a team of 9"
    assert first_person("Tableau dashboards for sales", current=True) is None
    assert role_name("ACCOUNT EXECUTIVE - MID-MARKET") == "Account Executive"
    assert person_name("Grace Whitfield, RN") == "Grace Whitfield"


def test_attribution_errors_name_the_wrong_employer() -> None:
    resume = resume_named("backend-engineer.md")
    wrong = "At Brightline Payments, I cut Postgres query latency by 60% with better indexes."
    right = "At Lumen Freight, I cut Postgres query latency by 60% with better indexes."
    assert [e.actual for e in attribution_errors(resume, wrong)] == ["Lumen Freight"]
    assert attribution_errors(resume, right) == []
