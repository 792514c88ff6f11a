"""Tailoring strategies: how far the local engine goes in rewriting a resume.

* conservative — reorder only: sections by relevance to the posting, bullets inside each
  entry by relevance. Entries themselves keep their order (work history is chronological
  and a reader expects it that way), and no text changes.
* default — also a summary built only from facts in the resume (title, stated years or
  start year, matched skills in the resume's own words, its strongest quantified bullet),
  and a skills section that leads with the skills the posting asks for.
* aggressive_keywords — also writes skills the resume states under an alias the way the
  posting does: "k8s" -> "Kubernetes (k8s)", "Postgres" -> "PostgreSQL (Postgres)".

Every output line keeps the ids of the original lines it came from; the engine runs the
truth guard on the result before returning it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.documents.models import ResumeDocument, SectionKind
from app.tailoring.layout import Block, SectionLayout, layout_document
from app.tailoring.matcher import get_matcher
from app.tailoring.resume_analysis import DocLine, experience_months
from app.tailoring.taxonomy import DOMAIN, LANGUAGE, SOFT, load_taxonomy
from app.tailoring.text import join_words, norm_key, tokenize
from app.tailoring.types import (
    AtsReport,
    Importance,
    JobAnalysis,
    LineRole,
    ResumeAnalysis,
    Strategy,
    TailoredLine,
    TailoredResume,
)

_HAS_NUMBER = re.compile(r"\d")
_NOT_LISTED = frozenset({SOFT, DOMAIN, LANGUAGE})  # belong in bullets, not a skills list
MAX_SUMMARY_SKILLS = 6


@dataclass
class _Context:
    resume: ResumeDocument
    job: JobAnalysis
    analysis: ResumeAnalysis
    report: AtsReport
    lines: list[DocLine]
    phrases: list[tuple[str, ...]]
    memo: dict[tuple[str, bool], float] = field(default_factory=dict)


def _relevance(text: str, ctx: _Context, *, numbers: bool = True) -> float:
    key = (text, numbers)
    if key not in ctx.memo:
        ctx.memo[key] = _score_line(text, ctx, numbers=numbers)
    return ctx.memo[key]


def _score_line(text: str, ctx: _Context, *, numbers: bool) -> float:
    """How much a line speaks to the posting.

    Per requirement (required 3, preferred 1.5): full weight when the line names one of its
    skills, 0.6 when it names a qualifier or a skill that directly implies one in the same
    field (LightGBM -> gradient boosting; not Airflow -> Python, which says little).
    Keywords add 0.75, salient phrases 0.5, and a number 0.5 — quantified bullets make the
    stronger first impression.
    """
    taxonomy = load_taxonomy()
    named = {m.skill for m in get_matcher().find(text)}
    implied = {
        target
        for skill in named
        for target in taxonomy.skills[skill].implies
        if taxonomy.category(target) == taxonomy.category(skill)
    }
    score = 0.0
    for req in ctx.job.requirements:
        weight = 3.0 if req.importance is Importance.REQUIRED else 1.5
        if named & set(req.skills):
            score += weight
        elif implied & set(req.skills) or named & set(req.related):
            score += 0.6 * weight
    for term in ctx.job.keywords:
        options = {term, *ctx.job.keyword_alternatives.get(term, ())}
        if named & options:
            score += 0.75
    tokens = tuple(t.norm for t in tokenize(text))
    for phrase in ctx.phrases:
        size = len(phrase)
        if any(tokens[i : i + size] == phrase for i in range(len(tokens) - size + 1)):
            score += 0.5
    if numbers and _HAS_NUMBER.search(text):
        score += 0.5
    return score


def _reorder_bullets(block: Block, ctx: _Context) -> None:
    positions = [i for i, ln in enumerate(block.lines) if ln.role is LineRole.BULLET]
    if len(positions) < 2:
        return
    bullets = [block.lines[i] for i in positions]
    ranked = sorted(enumerate(bullets), key=lambda pair: (-_relevance(pair[1].text, ctx), pair[0]))
    for position, (_, bullet) in zip(positions, ranked, strict=True):
        block.lines[position] = bullet


# Ties (e.g. nothing in either section matches the posting) fall back to the order readers
# expect, which also repairs two-column PDFs whose sidebar was read first.
_CONVENTIONAL = [
    SectionKind.EXPERIENCE,
    SectionKind.SKILLS,
    SectionKind.PROJECTS,
    SectionKind.CERTIFICATIONS,
    SectionKind.EDUCATION,
    SectionKind.VOLUNTEER,
    SectionKind.LANGUAGES,
    SectionKind.OTHER,
]


def _order_sections(layouts: list[SectionLayout], ctx: _Context) -> list[SectionLayout]:
    pinned = {SectionKind.CONTACT: 0, SectionKind.SUMMARY: 1}

    def key(layout: SectionLayout) -> tuple[int, float, int, int]:
        if layout.kind in pinned:
            return (pinned[layout.kind], 0.0, 0, layout.position)
        # Numbers make a bullet stronger, not a section more relevant (years in education).
        score = sum(_relevance(ln.text, ctx, numbers=False) for ln in layout.lines())
        return (2, -score, _CONVENTIONAL.index(layout.kind), layout.position)

    return sorted(layouts, key=key)


# -- skills --------------------------------------------------------------------------------


@dataclass
class _Item:
    text: str
    line_id: str
    skills: list[str]


def _split_items(text: str) -> tuple[str, list[str], str]:
    """(label, items, separator) of a skills line: "Languages: Python, R" -> ("Languages",
    ["Python", "R"], ", "). Commas inside parentheses do not split ("AWS (ECS, RDS)")."""
    label, sep, body = text.partition(":")
    if not sep or len(label) > 40 or not body.strip():
        label, body = "", text
    separator = ", "
    for candidate in (" | ", " · ", " • ", "; "):
        if candidate.strip() in body and "," not in body.replace("(", "").split(")")[0]:
            separator = candidate
            break
    items, depth, begin = [], 0, 0
    for i, ch in enumerate(body):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch in ",;|•·" and depth == 0:
            items.append(body[begin:i])
            begin = i + 1
    items.append(body[begin:])
    return label.strip(), [i.strip() for i in items if i.strip()], separator


def _skill_items(layout: SectionLayout) -> list[tuple[TailoredLine, str, list[_Item], str]]:
    matcher = get_matcher()
    out = []
    for line in layout.lines():
        label, items, separator = _split_items(line.text)
        line_id = line.source_line_ids[0] if line.source_line_ids else ""
        parsed = [_Item(i, line_id, matcher.skills_in(i, list_context=True)) for i in items]
        out.append((line, label, parsed, separator))
    return out


@dataclass
class _KeySkill:
    skill: str
    item: str  # text for the skills section ("AWS (ECS, RDS, S3)")
    short: str  # text for the summary ("AWS")
    line_id: str
    requirement: bool  # asked for as a requirement (not just a keyword)


def _display(skill: str, surface: str) -> str:
    """The resume's wording, tidied: "Helm charts" -> "Helm", "k8s" stays "k8s"."""
    name_key = norm_key(skill)
    surface_key = norm_key(surface)
    size = len(name_key)
    if any(surface_key[i : i + size] == name_key for i in range(len(surface_key) - size + 1)):
        return skill
    return surface


def _key_skills(
    ctx: _Context, parsed: list[tuple[TailoredLine, str, list[_Item], str]]
) -> list[_KeySkill]:
    """Skills the posting asks for that the resume names in its skills or bullets, most
    important first. Skills only in the summary or a title are not listed: they describe a
    field ("Backend engineer"), not a tool the person can be screened on."""
    taxonomy = load_taxonomy()
    by_id = {d.id: d for d in ctx.lines}
    wanted: list[tuple[str, bool]] = []
    requirements = sorted(
        ctx.job.requirements, key=lambda r: r.importance is not Importance.REQUIRED
    )
    for req in requirements:
        wanted.extend((s, True) for s in req.skills)
    for term in ctx.job.keywords:
        wanted.extend((o, False) for o in (term, *ctx.job.keyword_alternatives.get(term, ())))
    items = [item for _line, _label, its, _sep in parsed for item in its]
    out: list[_KeySkill] = []
    seen: set[str] = set()
    for skill, is_requirement in wanted:
        if skill in seen or skill not in taxonomy.skills:
            continue
        if taxonomy.category(skill) in _NOT_LISTED:
            continue
        ev = ctx.analysis.skill(skill)
        if ev is None or not ev.mentioned:
            continue
        seen.add(skill)
        item = next((it for it in items if skill in it.skills), None)
        if item is not None:
            short = re.sub(r"\s*\(.*?\)", "", item.text).strip() or item.text
            out.append(_KeySkill(skill, item.text, short, item.line_id, is_requirement))
            continue
        for e in ev.evidence:
            line = by_id.get(e.line_id)
            if line is None or line.role not in (LineRole.BULLET, LineRole.SKILLS):
                continue
            surface = next((x for x in ev.surfaces if x.casefold() in e.text.casefold()), None)
            if surface is not None:
                shown = _display(skill, surface)
                out.append(_KeySkill(skill, shown, shown, e.line_id, is_requirement))
                break
    return out


def _rebuild_skills(layouts: list[SectionLayout], ctx: _Context) -> list[SectionLayout]:
    skills_layout = next((s for s in layouts if s.kind is SectionKind.SKILLS), None)
    parsed = _skill_items(skills_layout) if skills_layout else []
    keys = _key_skills(ctx, parsed)
    if not keys:
        return layouts
    key_items = list(dict.fromkeys(k.item for k in keys))
    key_line = TailoredLine(
        "Key skills: " + ", ".join(key_items),
        list(dict.fromkeys(k.line_id for k in keys)),
        LineRole.SKILLS,
    )
    if skills_layout is None:
        heading = _styled("Skills", layouts)
        new = SectionLayout(SectionKind.SKILLS, heading, None, [Block([key_line])], len(layouts))
        top = sum(1 for s in layouts if s.kind in (SectionKind.CONTACT, SectionKind.SUMMARY))
        return [*layouts[:top], new, *layouts[top:]]
    used = set(key_items)
    blocks = [Block([key_line])]
    for line, label, items, separator in parsed:
        rest = [i.text for i in items if i.text not in used]
        if len(rest) == len(items):
            blocks.append(Block([line]))
        elif rest:
            text = (f"{label}: " if label else "") + separator.join(rest)
            blocks.append(Block([TailoredLine(text, list(line.source_line_ids), LineRole.SKILLS)]))
    skills_layout.blocks = blocks
    return layouts


# -- summary -------------------------------------------------------------------------------


def _styled(heading: str, layouts: list[SectionLayout]) -> str:
    """A new heading in the resume's own style ("SUMMARY" next to "EDUCATION")."""
    existing = [s.heading for s in layouts if s.heading.strip()]
    if existing and all(h.isupper() for h in existing):
        return heading.upper()
    return heading


def _start_year(ctx: _Context) -> tuple[int, str] | None:
    spans = experience_months(ctx.resume, (9999, 12))
    dated = [(start, i) for i, (start, _end) in enumerate(spans) if start >= 0]
    if not dated:
        return None
    start, index = min(dated)
    entry = ctx.resume.experience[index]
    year = start // 12
    for line_id in entry.header_line_ids:
        text = next((d.text for d in ctx.lines if d.id == line_id), "")
        if str(year) in text:
            return year, line_id
    return None


def _highlight(ctx: _Context) -> DocLine | None:
    bullets = [
        d for d in ctx.lines if d.role is LineRole.BULLET and d.section is SectionKind.EXPERIENCE
    ]
    if not bullets:
        bullets = [d for d in ctx.lines if d.role is LineRole.BULLET]
    if not bullets:
        return None
    ranked = sorted(
        enumerate(bullets),
        key=lambda p: (not _HAS_NUMBER.search(p[1].text), -_relevance(p[1].text, ctx), p[0]),
    )
    return ranked[0][1]


def _summary_line(
    layouts: list[SectionLayout], ctx: _Context, rename: dict[str, str], keys: list[_KeySkill]
) -> TailoredLine | None:
    sentences: list[str] = []
    sources: list[str] = []
    summary = next((s for s in layouts if s.kind is SectionKind.SUMMARY), None)
    existing = summary.lines()[0] if summary and summary.lines() else None
    if existing is not None:
        sentences.append(existing.text.strip())
        sources.extend(existing.source_line_ids)
    else:
        current = _current_header(ctx)
        start = _start_year(ctx)
        if current is not None:
            title, line_id = current
            sources.append(line_id)
            if start is not None:
                sentences.append(f"{title} with experience since {start[0]}.")
                sources.append(start[1])
            else:
                sentences.append(f"{title}.")
    skills: list[str] = []
    for key in keys[:MAX_SUMMARY_SKILLS]:
        shown = rename.get(key.short, key.short)
        if shown not in skills:
            skills.append(shown)
            sources.append(key.line_id)
    if skills:
        sentences.append(f"Relevant skills: {join_words(skills)}.")
    highlight = _highlight(ctx)
    if highlight is not None:
        text = highlight.text.strip().rstrip(".;")
        sentences.append(f"Highlight: {text}.")
        sources.append(highlight.id)
    if not sentences:
        return None
    return TailoredLine(" ".join(sentences), list(dict.fromkeys(sources)), LineRole.TEXT)


def _current_header(ctx: _Context) -> tuple[str, str] | None:
    title = ctx.analysis.current_title
    if not title:
        return None
    for entry in ctx.resume.experience:
        if entry.title == title and entry.header_line_ids:
            return title, entry.header_line_ids[0]
    return None


def _apply_summary(
    layouts: list[SectionLayout], ctx: _Context, rename: dict[str, str], keys: list[_KeySkill]
) -> list[SectionLayout]:
    line = _summary_line(layouts, ctx, rename, keys)
    if line is None:
        return layouts
    summary = next((s for s in layouts if s.kind is SectionKind.SUMMARY), None)
    if summary is None:
        summary = SectionLayout(SectionKind.SUMMARY, _styled("Summary", layouts), None, [], -1)
        contact_count = sum(1 for s in layouts if s.kind is SectionKind.CONTACT)
        layouts = [*layouts[:contact_count], summary, *layouts[contact_count:]]
        summary.blocks = [Block([line])]
        return layouts
    rest = summary.lines()[1:]
    summary.blocks = [Block([line])] + [Block([ln]) for ln in rest]
    return layouts


# -- aliases -------------------------------------------------------------------------------


def _alias_renames(keys: list[_KeySkill], ctx: _Context) -> dict[str, tuple[str, str]]:
    """skill -> (posting wording, resume alias) for required/preferred skills the resume
    writes under an alias ("k8s" where the posting says "Kubernetes")."""
    out: dict[str, tuple[str, str]] = {}
    for key in keys:
        if not key.requirement:
            continue
        ev = ctx.analysis.skill(key.skill)
        if ev is None or not ev.surfaces:
            continue
        posting = ctx.job.wording.get(key.skill, key.skill)
        wanted = norm_key(posting)
        size = len(wanted)
        literal = any(
            any(norm_key(s)[i : i + size] == wanted for i in range(len(norm_key(s)) - size + 1))
            for s in ev.surfaces
        )
        if not literal:
            alias = next((s for s in ev.surfaces if s.casefold() in key.short.casefold()), None)
            out[key.skill] = (posting, alias or ev.surfaces[0])
    return out


def _rename_in(text: str, renames: dict[str, tuple[str, str]], list_context: bool) -> str:
    matches = [
        m
        for m in get_matcher().find(text, list_context=list_context)
        if m.skill in renames and m.alias
    ]
    for m in sorted(matches, key=lambda m: m.start, reverse=True):
        posting = renames[m.skill][0]
        if posting.casefold() in text.casefold():
            continue
        text = f"{text[: m.start]}{posting} ({m.surface}){text[m.end :]}"
    return text


def _apply_aliases(layouts: list[SectionLayout], renames: dict[str, tuple[str, str]]) -> None:
    if not renames:
        return
    first_bullet_done: set[str] = set()
    for layout in layouts:
        for block in layout.blocks:
            for i, line in enumerate(block.lines):
                if layout.kind in (SectionKind.SKILLS, SectionKind.SUMMARY):
                    new = _rename_in(line.text, renames, layout.kind is SectionKind.SKILLS)
                elif line.role is LineRole.BULLET:
                    pending = {k: v for k, v in renames.items() if k not in first_bullet_done}
                    new = _rename_in(line.text, pending, False)
                    if new != line.text:
                        for skill in pending:
                            if f"{pending[skill][0]} (" in new:
                                first_bullet_done.add(skill)
                else:
                    continue
                if new != line.text:
                    block.lines[i] = TailoredLine(new, list(line.source_line_ids), line.role)


# -- entry point ---------------------------------------------------------------------------


def draft_resume(
    resume: ResumeDocument,
    job: JobAnalysis,
    analysis: ResumeAnalysis,
    report: AtsReport,
    lines: list[DocLine],
    strategy: Strategy,
) -> TailoredResume:
    """The tailored resume for `strategy` (not yet guarded)."""
    taxonomy = load_taxonomy()
    phrases = [norm_key(k) for k in job.keywords if k not in taxonomy.skills and norm_key(k)]
    ctx = _Context(resume, job, analysis, report, lines, phrases)
    layouts = layout_document(resume, lines)
    for layout in layouts:
        for block in layout.blocks:
            if block.entry is not None:
                _reorder_bullets(block, ctx)
    if strategy is not Strategy.CONSERVATIVE:
        skills_layout = next((s for s in layouts if s.kind is SectionKind.SKILLS), None)
        keys = _key_skills(ctx, _skill_items(skills_layout) if skills_layout else [])
        renames = _alias_renames(keys, ctx) if strategy is Strategy.AGGRESSIVE_KEYWORDS else {}
        summary_names = {alias: f"{posting} ({alias})" for posting, alias in renames.values()}
        layouts = _rebuild_skills(layouts, ctx)
        layouts = _apply_summary(layouts, ctx, summary_names, keys)
        if renames:
            _apply_aliases([s for s in layouts if s.kind is not SectionKind.SUMMARY], renames)
    layouts = _order_sections(layouts, ctx)
    return TailoredResume(
        strategy=strategy,
        sections=[layout.to_section() for layout in layouts],
        job_title=job.title,
        company=job.company,
    )
