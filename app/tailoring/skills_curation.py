"""Curating the skills section (DEFAULT and AGGRESSIVE_KEYWORDS).

The resume's own groups stay ("Languages:", "Tools:"); inside each group the skills the
posting asks for come first, most important requirement first, and a skill the resume
writes under another name is written the posting's way ("k8s" -> "Kubernetes") because the
taxonomy says they are the same thing. A skill the posting asks for that the resume only
shows in a bullet is added to the group where skills of its kind already sit. Only real
skills, tools, credentials and methods from the taxonomy are ever added (never soft skills,
domains or words from headings), and nothing the person listed is removed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.documents.models import SectionKind
from app.tailoring.entries import is_role
from app.tailoring.layout import Block, SectionLayout
from app.tailoring.matcher import get_matcher
from app.tailoring.posting_terms import contains_term, core_term
from app.tailoring.relevance import Context, styled
from app.tailoring.taxonomy import DOMAIN, LANGUAGE, SOFT, load_taxonomy
from app.tailoring.text import norm_key
from app.tailoring.types import Importance, LineRole, TailoredLine

NOT_LISTED = frozenset({SOFT, DOMAIN, LANGUAGE})  # belong in sentences, not a skills list
_LAST = 9
_DEGREE_NAME = re.compile(r"(?:Bachelor|Master|Doctor|Associate)\b")


@dataclass
class Item:
    text: str
    skills: list[str]
    rank: int = _LAST
    order: int = 0
    source: str | None = None  # the evidence line of an added item


@dataclass
class Group:
    label: str
    items: list[Item]
    separator: str
    line: TailoredLine
    order: int = 0
    added_sources: list[str] = field(default_factory=list)


_LABEL = re.compile(r"^([^:|,;]{1,40}?)(\s*:\s*|\s+[|–—]\s+)(?=\S)")


def split_items(text: str) -> tuple[str, list[str], str]:
    """(prefix, items, separator) of a skills line: "Languages: Python, R" -> ("Languages: ",
    ["Python", "R"], ", "); "Sales | Salesforce, Gong" -> ("Sales | ", [...], ", "). The
    prefix is kept exactly as written. Commas inside parentheses do not split."""
    prefix, body = "", text
    m = _LABEL.match(text)
    if m is not None:
        rest = text[m.end() :]
        # "A | B | C" is a list, not a label: a label is followed by a comma list.
        if ":" in m.group(2) or ("," in rest and "|" not in rest):
            prefix, body = text[: m.end()], rest
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
    return prefix, [i.strip() for i in items if i.strip()], separator


def wanted_skills(ctx: Context) -> dict[str, int]:
    """skill -> rank (0 required, 1 preferred, 2 keyword) of what the posting asks for."""
    out: dict[str, int] = {}
    for req in ctx.job.requirements:
        rank = 0 if req.importance is Importance.REQUIRED else 1
        for skill in req.skills:
            out[skill] = min(out.get(skill, rank), rank)
    for term in ctx.job.keywords:
        for skill in (term, *ctx.job.keyword_alternatives.get(term, ())):
            out.setdefault(skill, 2)
    return out


def posting_display(skill: str, ctx: Context, resume_tokens: frozenset[str]) -> str | None:
    """The posting's word for `skill`, if writing it claims nothing new: it still names that
    skill, and every word is the resume's own, part of the skill's canonical name, or the
    whole term is one of the skill's names ("Programmable logic controllers" for the
    resume's "PLCs", "Sales and operations planning" for "S&OP")."""
    term = core_term(ctx.terms.get(skill, skill))
    if any(ch.isdigit() for ch in term):
        return None  # "OSHA 30": a number is a fact of its own, never taken from a posting
    if names_people(term):
        return None
    matches = get_matcher().find(term, list_context=True)
    if skill not in (m.skill for m in matches):
        return None
    allowed = resume_tokens | set(norm_key(skill))
    if set(norm_key(term)) <= allowed:
        return term
    whole = len(matches) == 1 and (matches[0].start, matches[0].end) == (0, len(term))
    return term if whole else None


def names_people(term: str) -> bool:
    """ "account executives", "paralegal": who someone is, not a skill to list. Longer
    names that end in a role word are things ("programmable logic controllers")."""
    return len(term.split()) <= 2 and (is_role(term) or is_role(term.removesuffix("s")))


def listable(skill: str, ctx: Context) -> bool:
    taxonomy = load_taxonomy()
    if skill not in taxonomy.skills or taxonomy.category(skill) in NOT_LISTED:
        return False
    if _DEGREE_NAME.match(skill):
        return False  # a degree is stated in Education, as written there; never a "skill"
    evidence = ctx.analysis.skill(skill)
    return evidence is not None and evidence.mentioned


def _groups(layout: SectionLayout) -> list[Group]:
    matcher = get_matcher()
    out = []
    for order, line in enumerate(layout.lines()):
        label, texts, separator = split_items(line.text)
        items = [
            Item(t, matcher.skills_in(t, list_context=True), order=i) for i, t in enumerate(texts)
        ]
        out.append(Group(label, items, separator, line, order))
    return out


def renamable(display: str) -> bool:
    """A name worth writing the posting's way: a product, an abbreviation or a proper name
    ("Kubernetes", "PostgreSQL", "CI/CD pipelines"), not a common word ("budget" for
    "budgeting", "reporting" for "report"), which would only read worse."""
    return any(ch.isupper() or ch.isdigit() or ch in "/+#." for ch in display)


def in_sentence(term: str, resume_text: str = "") -> str:
    """A posting term as it reads mid-sentence: "Email marketing" (capitalised only as the
    start of a posting bullet) -> "email marketing"; a single word too when the resume
    itself writes it in lower case ("Scheduling" -> "scheduling"); names keep capitals."""
    words = term.split()
    if not words or not words[0][1:].islower():
        return term
    lowered = words[0].lower() + term[len(words[0]) :]
    if len(words) > 1 and all(w.islower() for w in words[1:]):
        return lowered
    if len(words) == 1 and re.search(rf"(?<![\w-]){re.escape(lowered)}(?![\w-])", resume_text):
        return lowered
    return term


def same_words(a: str, b: str) -> bool:
    """ "A/B tests" and "A/B testing": the same words, inflected differently."""
    ka, kb = norm_key(a), norm_key(b)
    return len(ka) == len(kb) and all(_inflected(x, y) for x, y in zip(ka, kb, strict=True))


_ENDINGS = frozenset({"", "s", "es", "e", "ed", "ing", "er"})


def _inflected(x: str, y: str) -> bool:
    short, long = sorted((x, y), key=len)
    stem = short.removesuffix("e") if long.endswith("ing") else short
    return long.startswith(stem) and long[len(stem) :] in _ENDINGS


_SMALL_WORDS = frozenset({"and", "of", "the", "for", "&"})


def abbreviates(written: str, display: str) -> bool:
    """ "A/P" for "accounts payable", "EHR" for "electronic health records": an
    abbreviation the posting writes out, which an ATS does not read as the same words."""
    written = re.sub(r"(?<=[A-Z])s$", "", written.strip())  # "PLCs", "IEPs": plurals
    letters = re.sub(r"[^A-Za-z]", "", written)
    if not (2 <= len(letters) <= 6) or not letters.isupper() or " " in written:
        return False
    words = [w for w in re.split(r"[\s-]+", display) if w]
    initials = "".join(w[0] for w in words).upper()
    # "S&OP" for "sales and operations planning", "R&D": small words have no letter.
    content = "".join(w[0] for w in words if w.casefold() not in _SMALL_WORDS).upper()
    return letters in (initials, content)


def _rename(item: Item, skill: str, display: str, alias_note: bool) -> None:
    if contains_term(item.text, display) or len(item.skills) != 1:
        return
    if not (renamable(display) or abbreviates(item.text, display)):
        return
    if same_words(item.text, display):
        return
    name, paren, note = item.text.partition("(")
    if paren:  # the person's own note stays, one note: "PLCs (Allen-Bradley)" ->
        # "Programmable logic controllers (PLCs, Allen-Bradley)"
        item.text = f"{display} ({name.strip()}, {note.strip()}"
        return
    item.text = f"{display} ({item.text})" if alias_note else display


def _home(groups: list[Group], skill: str) -> Group:
    taxonomy = load_taxonomy()
    category = taxonomy.category(skill)

    def kin(group: Group) -> int:
        return sum(1 for it in group.items for s in it.skills if taxonomy.category(s) == category)

    best = max(groups, key=lambda g: (kin(g), -g.order))
    return best if kin(best) else groups[-1]  # no kin anywhere: the last, catch-all group


def _certified(skill: str, ctx: Context) -> bool:
    """Stated in the certifications (or licences) section already: listing it again among
    the skills would only repeat it ("OSHA" under "OSHA 10")."""
    evidence = ctx.analysis.skill(skill)
    sections = {e.section for e in evidence.evidence} if evidence else set()
    return SectionKind.CERTIFICATIONS.value in sections


def _evidence_surface(skill: str, ctx: Context) -> tuple[str, str] | None:
    evidence = ctx.analysis.skill(skill)
    if evidence is None or not evidence.surfaces or not evidence.evidence:
        return None
    return evidence.surfaces[0], evidence.evidence[0].line_id


def curate_skills(layouts: list[SectionLayout], ctx: Context, *, alias_note: bool) -> None:
    """Reorder, rename and complete the skills section in place (creating one if needed)."""
    wanted = {s: r for s, r in wanted_skills(ctx).items() if listable(s, ctx)}
    tokens = frozenset(t for d in ctx.lines for t in norm_key(d.text))
    layout = next((s for s in layouts if s.kind is SectionKind.SKILLS), None)
    groups = _groups(layout) if layout is not None else []
    placed: set[str] = set()
    for group in groups:
        for item in group.items:
            hits = [s for s in item.skills if s in wanted]
            placed.update(item.skills)
            if not hits:
                continue
            item.rank = min(wanted[s] for s in hits)
            display = posting_display(hits[0], ctx, tokens)
            if display is not None:
                _rename(item, hits[0], display, alias_note)
    # Only what a requirement names is added (keywords only reorder and rename), and never
    # the field itself ("backend" in "5 years of backend experience") as if it were a tool.
    addable = {s for s, r in wanted.items() if r < 2 and s not in ctx.job.field_skills}
    for skill in sorted(addable - placed, key=lambda s: wanted[s]):
        found = _evidence_surface(skill, ctx)
        if found is None or _certified(skill, ctx) or names_people(found[0]):
            continue
        display = posting_display(skill, ctx, tokens) or found[0]
        if not groups:
            groups.append(Group("", [], ", ", TailoredLine("", [], LineRole.SKILLS)))
        home = _home(groups, skill)
        home.items.append(Item(display, [skill], wanted[skill], len(home.items), found[1]))
        home.added_sources.append(found[1])
        placed.add(skill)
    if groups:
        _add_shown_by(ctx, groups, wanted, placed)
    if not groups or not any(g.items for g in groups):
        return
    _write(layouts, layout, groups)


def _shown_by(ctx: Context, skill: str) -> str | None:
    """The named skill that demonstrates `skill` (A/B testing for experimentation)."""
    taxonomy = load_taxonomy()
    evidence = ctx.analysis.skill(skill)
    for name in evidence.implied_by if evidence else []:
        shown = ctx.analysis.skill(name)
        if name in taxonomy.skills and shown is not None and shown.mentioned:
            return name
    return None


def _states_posting_term(item: Item, ctx: Context) -> bool:
    """The item already names a requirement as the posting does ("InDesign"): it stays an
    item of its own rather than becoming another requirement's note."""
    return any(
        contains_term(item.text, core_term(ctx.terms[s])) for s in item.skills if s in ctx.terms
    )


def _add_shown_by(
    ctx: Context, groups: list[Group], wanted: dict[str, int], placed: set[str]
) -> None:
    """A requirement the resume shows only through a skill that the taxonomy says
    demonstrates it is listed in the posting's words with that skill as its one alias
    note: "experimentation (A/B testing)", "ATS (Greenhouse)", "Python (pandas)"."""
    matcher = get_matcher()
    tokens = frozenset(t for d in ctx.lines for t in norm_key(d.text))
    for result in ctx.report.requirements:
        skill = result.matched_skill
        if result.via != "related" or skill is None or skill in placed or skill in wanted:
            continue
        shown_by = _shown_by(ctx, skill)
        term = core_term(ctx.terms.get(skill, skill))
        source = _evidence_surface(shown_by, ctx) if shown_by else None
        if shown_by is None or source is None or any(ch.isdigit() for ch in term):
            continue
        # The note names the demonstrating skill as the list now does ("Adaptive
        # Planning" once renamed), so it reads as one of the items.
        wanted_name = posting_display(shown_by, ctx, tokens) if shown_by in ctx.terms else None
        note = wanted_name or source[0]
        text = f"{in_sentence(term)} ({note})"
        if skill not in matcher.skills_in(text, list_context=True):
            # The guard reads the item as written: a term it cannot see as that skill in
            # "Go (Cobra CLI)" would be taken for a new name and removed again.
            continue
        if any(f"({note})" in it.text for g in groups for it in g.items):
            continue  # one note per alias: "(Adaptive Insights)" never explains two terms
        own = next((it for g in groups for it in g.items if it.skills == [shown_by]), None)
        if own is not None and "(" not in own.text and not _states_posting_term(own, ctx):
            # The listed item itself becomes the note ("rolling forecasts" ->
            # "forecasting (rolling forecasts)"), rather than the same words twice.
            own.text, own.skills, own.rank = f"{in_sentence(term)} ({own.text})", [skill], 1
            placed.add(skill)
            continue
        home = _home(groups, shown_by)
        home.items.append(Item(text, [skill], 1, len(home.items), source[1]))
        home.added_sources.append(source[1])
        placed.add(skill)


def _write(layouts: list[SectionLayout], layout: SectionLayout | None, groups: list[Group]) -> None:
    for group in groups:
        group.items.sort(key=lambda it: (it.rank, it.order))
    groups.sort(key=lambda g: (min((it.rank for it in g.items), default=_LAST), g.order))
    blocks = []
    for group in groups:
        if not group.items:
            continue  # an empty group is never written
        body = group.separator.join(it.text for it in group.items)
        text = f"{group.label}{body}"
        ids = list(dict.fromkeys([*group.line.source_line_ids, *group.added_sources]))
        blocks.append(Block([TailoredLine(text, ids, LineRole.SKILLS)]))
    if layout is not None:
        layout.blocks = blocks
        return
    heading = styled("Skills", layouts)
    new = SectionLayout(SectionKind.SKILLS, heading, None, blocks, len(layouts))
    top = sum(1 for s in layouts if s.kind in (SectionKind.CONTACT, SectionKind.SUMMARY))
    layouts.insert(top, new)
