"""DEFAULT condenses older roles within a length budget and lists what it leaves out."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.documents import parse_job_posting, parse_resume
from app.documents.models import SectionKind
from app.tailoring import LocalEngine, Strategy
from app.tailoring.types import LineRole

PAIRS = Path(__file__).resolve().parents[2] / "fixtures" / "pairs"
OLDER_ROLES = """
### Systems Administrator | Lakeview County Schools
Round Rock, TX · Jan 2007 – May 2009
- Administered 140 Linux and Windows servers and the district's Active Directory
- Wrote Bash and PowerShell scripts that automated nightly backups for 32 schools
- Replaced a failing tape backup with Veeam, cutting restore time from 2 days to 3 hours
- Rolled out Nagios monitoring and an on-call rota for a team of 5
- Documented network runbooks later adopted by the whole IT department

### IT Support Technician | Pioneer Credit Union
Austin, TX · Jun 2005 – Dec 2006
- Resolved 40+ help desk tickets a week across 12 branches
- Imaged and deployed 300 workstations during a Windows migration
- Trained branch staff on the new ticketing system
"""


def test_older_roles_are_condensed_and_nothing_is_lost_silently() -> None:
    text = (PAIRS / "resumes" / "backend-engineer.md").read_text()
    head, skills = text.split("## Skills", 1)
    resume = parse_resume((head + OLDER_ROLES + "\n## Skills" + skills).encode(), "r.md")
    job = parse_job_posting((PAIRS / "jobs" / "platform-engineer-orbital.txt").read_text())
    engine = LocalEngine(as_of=date(2025, 11, 15))
    plan = engine.plan(resume, job)
    conservative = engine.draft(resume, job, plan, Strategy.CONSERVATIVE)
    default = engine.draft(resume, job, plan, Strategy.DEFAULT)
    evaluation = engine.evaluate(resume, job, default)

    def bullets_per_entry(tailored: object) -> list[int]:
        section = tailored.section(SectionKind.EXPERIENCE)  # type: ignore[attr-defined]
        counts: list[int] = []
        for line in section.lines:
            if line.role is LineRole.HEADER:
                counts.append(0)
            elif line.role is LineRole.BULLET:
                counts[-1] += 1
        return counts

    assert bullets_per_entry(conservative) == [5, 4, 2, 5, 3]  # everything, reordered
    condensed = bullets_per_entry(default)
    assert condensed[:2] == [5, 4] and all(n <= 3 for n in condensed[2:])
    assert condensed[3] < 5  # the 2007 role gives way
    original = {b.text for e in resume.experience for b in e.bullets}
    kept = {ln.text for ln in evaluation.resume.all_lines() if ln.role is LineRole.BULLET}
    experience = next(d for d in evaluation.diff if d.kind is SectionKind.EXPERIENCE)
    assert kept | set(experience.left_out) == original  # shown or listed, never lost
    assert not kept & set(experience.left_out)
