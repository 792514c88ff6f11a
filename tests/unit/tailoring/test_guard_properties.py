"""The truth guard's property tests: random resumes through the engine come out
supported, and random injected fabrications never survive."""

from __future__ import annotations

import os
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.documents.models import ResumeDocument, SectionKind
from app.tailoring import LocalEngine, Strategy, TailoredResume, guard
from app.tailoring.guard import Facts, _number_values, build_facts
from app.tailoring.layout import original_as_tailored
from app.tailoring.matcher import get_matcher
from app.tailoring.taxonomy import load_taxonomy
from app.tailoring.types import LineRole

from .builders import ResumeBuilder, alex_rivera, job_from_text, platform_job
from .test_guard import output_text, replace_line

EXAMPLES = int(os.environ.get("TAILOR_GUARD_EXAMPLES", "80"))

_SYLLABLES = ["zor", "quen", "bla", "vex", "mor", "tal", "dri", "pax", "wun", "kel", "thra", "yss"]
_SUFFIXES = ["Corp", "Labs", "Holdings", "Industries", "Group", "Systems", ""]
_SAFE_SKILLS = sorted(
    s.name
    for s in load_taxonomy().skills.values()
    if s.category in ("software", "devops", "cloud", "data", "design", "mechanical")
    and not s.strict
    and not s.cased
    and len(s.name) > 3
    and not any(ch in s.name for ch in "()/+#")
)[:400]

name_st = st.lists(st.sampled_from(_SYLLABLES), min_size=2, max_size=3).map(
    lambda parts: "".join(parts).capitalize()
)
employer_st = st.tuples(name_st, st.sampled_from(_SUFFIXES)).map(lambda t: f"{t[0]} {t[1]}".strip())
number_st = st.integers(min_value=2, max_value=9999)
skill_st = st.sampled_from(_SAFE_SKILLS)


@st.composite
def resumes(draw: st.DrawFn) -> ResumeDocument:
    builder = ResumeBuilder().contact(
        draw(name_st) + " " + draw(name_st), "person@example.com", email="person@example.com"
    )
    builder.section(SectionKind.SUMMARY, "Summary").text(
        f"Engineer with {draw(number_st)} projects in {draw(skill_st)}."
    )
    builder.section(SectionKind.EXPERIENCE, "Experience")
    for index in range(draw(st.integers(1, 3))):
        employer = draw(employer_st)
        bullets = tuple(
            f"Built {draw(skill_st)} tooling for {draw(number_st)} users"
            for _ in range(draw(st.integers(1, 3)))
        )
        year = 2010 + index * 3
        builder.entry(
            f"Engineer — {employer}",
            title="Engineer",
            employer=employer,
            dates=f"{year} – {year + 2}",
            start=str(year),
            end=str(year + 2),
            bullets=bullets,
        )
    builder.section(SectionKind.SKILLS, "Skills")
    chosen = draw(st.lists(skill_st, min_size=1, max_size=5, unique=True))
    builder.skills(", ".join(chosen), chosen)
    builder.section(SectionKind.EDUCATION, "Education").education(
        f"B.S. Physics, {draw(name_st)} College, 2009", school="College", year="2009"
    )
    return builder.build()


def _numbers(text: str) -> set[float]:
    return {v for v, *_ in _number_values(text)}


def _years_claims(text: str, max_years: float) -> set[float]:
    """ "8 years of experience": counts of years the resume's dates add up to."""
    found = {float(m.group(1)) for m in re.finditer(r"\b(\d+)\+? years\b", text)}
    return {n for n in found if n <= max_years + 0.5}


def _shown_by(text: str, end: int, skill: str, facts: Facts) -> bool:
    """ "Kubernetes (Argo CD)": the note names a skill of the resume that demonstrates it."""
    note = re.match(r"\s*\(([^()]+)\)", text[end:])
    if note is None:
        return False
    taxonomy = load_taxonomy()
    shown = get_matcher().skills_in(note.group(1), list_context=True)
    return any(s in facts.skills and skill in taxonomy.implied(s) for s in shown)


def _assert_supported(original: ResumeDocument, tailored: TailoredResume) -> None:
    facts = build_facts(original)
    by_id = {ln.id: ln.text for ln in original.lines}
    for line in tailored.all_lines():
        sources = " ".join(by_id[i] for i in line.source_line_ids if i in by_id)
        assert sources, line  # every surviving line comes from the original
        claimed = _numbers(line.text) - _years_claims(line.text, facts.max_years)
        assert claimed <= _numbers(sources) | set(map(float, facts.years)), line
        for match in get_matcher().find(line.text, list_context=line.role is LineRole.SKILLS):
            supported = match.skill in facts.skills or match.surface.casefold() in facts.text
            assert supported or _shown_by(line.text, match.end, match.skill, facts), line


@settings(max_examples=EXAMPLES // 2, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(resume=resumes(), strategy=st.sampled_from(list(Strategy)))
def test_engine_output_for_random_resumes_is_supported(
    resume: ResumeDocument, strategy: Strategy
) -> None:
    engine = LocalEngine()
    job = platform_job()
    tailored = engine.draft(resume, job, engine.plan(resume, job), strategy)
    # Only structural repairs of the random input (the gate), never a truth repair.
    assert [w for w in tailored.warnings if not w.code.startswith("STRUCTURE_")] == []
    _assert_supported(resume, tailored)


_INJECTIONS = ["employer", "number", "skill", "school", "title", "sentence", "degree", "date"]


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    resume=resumes(),
    strategy=st.sampled_from(list(Strategy)),
    plan=st.lists(
        st.tuples(
            st.sampled_from(_INJECTIONS), st.integers(0, 50), employer_st, number_st, skill_st
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_injected_fabrications_never_survive(
    resume: ResumeDocument,
    strategy: Strategy,
    plan: list[tuple[str, int, str, int, str]],
) -> None:
    engine = LocalEngine()
    job = job_from_text("Requirements\n- Python\n- Kubernetes\n", title="Engineer")
    tailored = engine.draft(resume, job, engine.plan(resume, job), strategy)
    original_text = resume.text.casefold()
    lines = [
        ln
        for ln in tailored.all_lines()
        if ln.role in (LineRole.BULLET, LineRole.TEXT, LineRole.SKILLS)
    ]
    facts = build_facts(resume)
    injected: list[str] = []
    for kind, position, employer, number, skill in plan:
        line = lines[position % len(lines)]
        if kind == "employer" and employer.casefold() not in original_text:
            line.text = f"{line.text} at {employer}"
            injected.append(employer)
        elif kind == "title" and employer.casefold() not in original_text:
            line.text = f"{line.text}; promoted to {employer} Director"
            injected.append(f"{employer} Director")
        elif kind == "school":
            school = f"{employer} University"
            line.text = f"{line.text}, trained at {school}"
            if school.casefold() not in original_text:
                injected.append(school)
        elif kind == "number" and float(number) not in _numbers(resume.text):
            line.text = f"{line.text}, improving throughput by {number}%"
            injected.append(f"by {number}%")
        elif kind == "skill" and skill not in facts.skills:
            line.text = f"{line.text}, using {skill}"
            injected.append(f"using {skill}")
        elif kind == "sentence" and employer.casefold() not in original_text:
            line.text = f"{line.text}. {employer} acquired the product."
            injected.append(employer)
        elif kind == "degree":
            line.text = f"{line.text}; holds an MBA"
            injected.append("MBA")
        elif kind == "date" and str(1990 + number % 15) not in resume.text:
            line.text = f"{line.text} (since {1990 + number % 15})"
            injected.append(f"since {1990 + number % 15}")
    result = guard(resume, tailored)
    out = output_text(result.resume)
    for fabrication in injected:
        assert fabrication.casefold() not in out.casefold(), (fabrication, out)
    _assert_supported(resume, result.resume)
    assert any(s.lines for s in result.resume.sections)
    if injected:
        assert result.warnings


def test_property_helpers_detect_a_fabrication() -> None:
    """The oracle used above must itself fail on unguarded fabricated output."""
    resume = alex_rivera()
    tailored = replace_line(original_as_tailored(resume), "L7", "Designed an API for 77 users")
    try:
        _assert_supported(resume, tailored)
    except AssertionError:
        return
    raise AssertionError("oracle accepted a number absent from the source")
