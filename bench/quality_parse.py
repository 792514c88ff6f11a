"""Parse quality on the fixture corpus: precision/recall/F1 per field and layout.

Run: .venv/bin/python bench/quality_parse.py [--corpus DIR] [--verbose]

Resumes: name, email, phone, location, sections, employer, title, start, end, bullets,
bullets in the right entry, school, degree, skills; per layout and overall. Parsed
experience entries are aligned to the truth entries first (greedy, by similarity), so an
extra or split entry costs precision and a missing one costs recall.
Postings: title, company, location, remote and years accuracy per format; requirement
precision/recall (a requirement counts when one of its skills or its label names a truth
requirement; skills the posting names only in its duties are neither right nor wrong);
injection detection. Everything runs in-process (no sandbox) so figures are deterministic.
A held-back corpus in the same layout (truth/*.json + files/) is read with --corpus.
"""

from __future__ import annotations

import argparse
import difflib
import re
import sys
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from app.documents import (  # noqa: E402
    DocumentError,
    JobPosting,
    ResumeDocument,
    parse_job_posting,
    parse_job_posting_bytes,
    parse_resume,
)
from app.tailoring.job_analysis import analyse_job  # noqa: E402
from app.tailoring.taxonomy import load_taxonomy  # noqa: E402
from tests.corpus import CorpusDoc, load_corpus  # noqa: E402

RESUME_FIELDS = (
    "name", "email", "phone", "location", "sections", "employer", "title", "start", "end",
    "bullets", "bullets_in_entry", "school", "degree", "skills",
)  # fmt: skip
# "importance": every found requirement has the truth's required/preferred (per posting)
POSTING_FIELDS = ("title", "company", "location", "remote", "years", "injection", "importance")
_CREDENTIAL_TAIL = re.compile(r",\s*[A-Z][A-Za-z.\-]*(?:[ ,]+[A-Z][A-Za-z.\-]*)*\.?$")


@dataclass
class Count:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Count) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    def prf(self) -> tuple[float, float, float]:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def norm(text: str | None) -> str:
    if text is None:
        return ""
    t = unicodedata.normalize("NFC", text).casefold()
    t = re.sub(r"[‐-―−]", "-", t).replace("’", "'").replace("->", "→")
    return re.sub(r"\s+", " ", t).strip(" .,;:")


def norm_name(text: str | None) -> str:
    return norm(_CREDENTIAL_TAIL.sub("", text or ""))


def norm_phone(text: str | None) -> str:
    return re.sub(r"\D", "", text or "")


def _single(pred: str, truth: str) -> Count:
    if pred and pred == truth:
        return Count(tp=1)
    return Count(fp=int(bool(pred)), fn=int(bool(truth)))


def _bag(pred: Sequence[str], truth: Sequence[str]) -> Count:
    left = list(truth)
    tp = 0
    for item in pred:
        if item in left:
            left.remove(item)
            tp += 1
    return Count(tp=tp, fp=len(pred) - tp, fn=len(left))


def _similar(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b).ratio() if a and b else 0.0


def _align(
    pred: list[dict[str, Any]], truth: list[dict[str, Any]], keys: tuple[str, ...]
) -> list[tuple[int, int]]:
    """Greedy one-to-one alignment of parsed entries to truth entries by field similarity."""
    scored = []
    for i, p in enumerate(pred):
        for j, t in enumerate(truth):
            score = sum(_similar(p[k], t[k]) for k in keys)
            if score > 0.6:
                scored.append((score, i, j))
    pairs: list[tuple[int, int]] = []
    used_p: set[int] = set()
    used_t: set[int] = set()
    for _score, i, j in sorted(scored, reverse=True):
        if i not in used_p and j not in used_t:
            pairs.append((i, j))
            used_p.add(i)
            used_t.add(j)
    return pairs


def _entry_fields(
    pred: list[dict[str, Any]],
    truth: list[dict[str, Any]],
    fields: tuple[str, ...],
    pairs: list[tuple[int, int]],
) -> dict[str, Count]:
    out: dict[str, Count] = {}
    paired = dict(pairs)
    for f in fields:
        c = Count()
        for i, p in enumerate(pred):
            j = paired.get(i)
            if j is not None and p[f] and p[f] == truth[j][f]:
                c.tp += 1
            elif p[f]:
                c.fp += 1
        c.fn = sum(1 for t in truth if t[f]) - c.tp
        out[f] = c
    return out


def resume_counts(doc: ResumeDocument, truth: dict[str, Any]) -> dict[str, Count]:
    counts: dict[str, Count] = {
        "name": _single(norm_name(doc.contact.name), norm_name(truth["name"])),
        "email": _single(norm(doc.contact.email), norm(truth["email"])),
        "phone": _single(norm_phone(doc.contact.phone), norm_phone(truth["phone"])),
        "location": _single(norm(doc.contact.location), norm(truth["location"])),
    }
    kinds = {s.kind.value for s in doc.sections} - {"contact"}
    counts["sections"] = _bag(sorted(kinds), sorted(set(truth["sections"]) - {"contact"}))
    pred_jobs = [
        {"employer": norm(e.employer), "title": norm(e.title), "start": norm(e.start),
         "end": norm(e.end), "bullets": [norm(b.text) for b in e.bullets]}
        for e in doc.experience
    ]  # fmt: skip
    true_jobs = [
        {"employer": norm(e["employer"]), "title": norm(e["title"]), "start": norm(e["start"]),
         "end": norm(e["end"]), "bullets": [norm(b) for b in e["bullets"]]}
        for e in truth["experience"]
    ]  # fmt: skip
    pairs = _align(pred_jobs, true_jobs, ("employer", "title"))
    counts.update(_entry_fields(pred_jobs, true_jobs, ("employer", "title", "start", "end"), pairs))
    all_pred = [b for j in pred_jobs for b in j["bullets"]]
    all_true = [b for j in true_jobs for b in j["bullets"]]
    counts["bullets"] = _bag(all_pred, all_true)
    in_entry = Count()
    paired = dict(pairs)
    for i, p in enumerate(pred_jobs):
        j = paired.get(i)
        c = (
            _bag(p["bullets"], true_jobs[j]["bullets"])
            if j is not None
            else Count(fp=len(p["bullets"]))
        )
        in_entry.tp, in_entry.fp = in_entry.tp + c.tp, in_entry.fp + c.fp
    in_entry.fn = len(all_true) - in_entry.tp
    counts["bullets_in_entry"] = in_entry
    pred_edu = [{"school": norm(e.school), "degree": norm(e.degree)} for e in doc.education]
    true_edu = [
        {"school": norm(e["school"]), "degree": norm(e["degree"])} for e in truth["education"]
    ]
    edu_pairs = _align(pred_edu, true_edu, ("school", "degree"))
    counts.update(_entry_fields(pred_edu, true_edu, ("school", "degree"), edu_pairs))
    counts["skills"] = _bag([norm(s) for s in doc.skills], [norm(s) for s in truth["skills"]])
    return counts


# -- postings ---------------------------------------------------------------------------


def _req_key(text: str) -> set[str]:
    t = norm(text).replace("licence", "license").replace("'s", "")
    return {w for w in re.split(r"[^a-z0-9+#]+", t) if w and w not in ("a", "an", "the", "of")}


def _names_match(pred_names: list[str], truth_name: str, *, exact: bool = False) -> bool:
    taxonomy = load_taxonomy()
    canonical = taxonomy.canonical(truth_name) or truth_name
    want = {norm(truth_name), norm(canonical)}
    if any(norm(p) in want for p in pred_names):
        return True
    if exact:
        return False
    key = _req_key(truth_name)
    return bool(key) and any(
        key <= _req_key(p) or (_req_key(p) and _req_key(p) <= key) for p in pred_names
    )


def parse_posting(doc: CorpusDoc) -> JobPosting:
    if doc.pasted:
        return parse_job_posting(doc.text)
    return parse_job_posting_bytes(doc.data, doc.filename)


def posting_scores(
    posting: JobPosting, truth: dict[str, Any]
) -> tuple[dict[str, bool], Count, list[str]]:
    analysis = analyse_job(posting)
    years = analysis.years_required
    fields = {
        "title": norm(posting.title) == norm(truth["title"]),
        "company": norm(posting.company) == norm(truth["company"]),
        "location": norm(posting.location) == norm(truth["location"]),
        "remote": (posting.remote.value if posting.remote else None) == truth["remote"],
        "years": (int(years) if years is not None else None) == truth["years"],
        "injection": ("PROMPT_INJECTION_SUSPECTED" in posting.warnings) == truth["injection"],
    }
    c = Count()
    notes: list[str] = []
    preds = [[*r.skills, r.label] for r in analysis.requirements]
    importance_hits: list[bool] = []
    for t in truth["requirements"]:
        hits = [r for r, p in zip(analysis.requirements, preds, strict=True)
                if _names_match(p, t["name"])]  # fmt: skip
        if hits:
            c.tp += 1
            exact = [r for r in hits if _names_match([*r.skills, r.label], t["name"], exact=True)]
            importance_hits.append((exact or hits)[0].importance.value == t["importance"])
            if not importance_hits[-1]:
                notes.append(f"importance of {t['name']!r}")
        else:
            c.fn += 1
            notes.append(f"missed {t['name']!r}")
    wanted = [t["name"] for t in truth["requirements"]]
    for p in preds:
        if any(_names_match(p, w) for w in wanted):
            continue
        if any(_names_match(p, a) for a in truth["allowed"]):
            continue
        c.fp += 1
        notes.append(f"extra {p[-1]!r}")
    fields["importance"] = all(importance_hits)
    return fields, c, notes


def _fmt(c: Count) -> str:
    p, r, f = c.prf()
    return f"{p:.2f}/{r:.2f}/{f:.2f}"


def report_resumes(docs: list[CorpusDoc], verbose: bool) -> dict[str, dict[str, Count]]:
    by_layout: dict[str, dict[str, Count]] = defaultdict(
        lambda: {f: Count() for f in RESUME_FIELDS}
    )
    for doc in docs:
        try:
            parsed = parse_resume(doc.data, doc.filename)
        except DocumentError as exc:
            print(f"  {doc.id}: {exc.code}")
            continue
        counts = resume_counts(parsed, doc.truth)
        for f, c in counts.items():
            by_layout[doc.layout][f].add(c)
            by_layout["ALL"][f].add(c)
        if verbose:
            bad = [f for f, c in counts.items() if c.fp or c.fn]
            print(f"  {doc.id} {doc.layout}: {'ok' if not bad else 'off: ' + ', '.join(bad)}")
    by_layout["ALL"] = by_layout.pop("ALL")  # overall column last
    print("\nResume fields, precision/recall/F1 per layout")
    width = max(len(k) for k in by_layout) + 2
    print(f"{'field':<18}" + "".join(f"{k:>{max(width, 16)}}" for k in by_layout))
    for f in RESUME_FIELDS:
        print(f"{f:<18}" + "".join(f"{_fmt(v[f]):>{max(width, 16)}}" for v in by_layout.values()))
    return dict(by_layout)


def report_postings(docs: list[CorpusDoc], verbose: bool) -> dict[str, Any]:
    hits: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    reqs: dict[str, Count] = defaultdict(Count)
    for doc in docs:
        try:
            posting = parse_posting(doc)
        except DocumentError as exc:
            print(f"  {doc.id}: {exc.code}")
            for f in POSTING_FIELDS:
                hits[doc.layout][f].append(False)
                hits["ALL"][f].append(False)
            reqs[doc.layout].add(Count(fn=len(doc.truth["requirements"])))
            reqs["ALL"].add(Count(fn=len(doc.truth["requirements"])))
            continue
        fields, c, notes = posting_scores(posting, doc.truth)
        for f, ok in fields.items():
            hits[doc.layout][f].append(ok)
            hits["ALL"][f].append(ok)
        reqs[doc.layout].add(c)
        reqs["ALL"].add(c)
        if verbose:
            wrong = [f for f, ok in fields.items() if not ok]
            print(f"  {doc.id} {doc.layout}: fields off {wrong}; {'; '.join(notes)}")
    hits["ALL"] = hits.pop("ALL")
    print("\nPosting field accuracy and requirement precision/recall per format")
    keys = list(hits)
    print(f"{'field':<18}" + "".join(f"{k:>16}" for k in keys))
    for f in POSTING_FIELDS:
        print(f"{f:<18}" + "".join(f"{sum(hits[k][f]) / len(hits[k][f]):>16.2f}" for k in keys))
    print(f"{'requirements P/R/F':<18}" + "".join(f"{_fmt(reqs[k]):>16}" for k in keys))
    return {"fields": hits, "requirements": reqs}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=None)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)
    corpus = load_corpus(args.corpus)
    print(f"corpus: {len(corpus.resumes)} resumes, {len(corpus.postings)} postings")
    report_resumes(corpus.resumes, args.verbose)
    report_postings(corpus.postings, args.verbose)


if __name__ == "__main__":
    main()
