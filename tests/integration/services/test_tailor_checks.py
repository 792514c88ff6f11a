"""What a tailor request is checked against, read in one statement without loading the
stored documents (app/services/tailor_checks.py): the refusals and their order are the
ones the request always gave, the RESUME_TOO_THIN rule read from the stored parse in SQL
agrees with the rule on the typed document, and a completed result is found by the input
key finished in SQL."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import uuid
from pathlib import Path

import pytest

from app.db.models import JobDescription, Resume, TailoringJob
from app.db.models.enums import ParseStatus
from app.db.unit_of_work import transaction
from app.documents import Contact, ResumeDocument, SectionKind, SkillGroup, parse_resume
from app.errors import AppError, ErrorCode
from app.runtime import Runtime
from app.services import jobs
from app.services.jobs import EngineName, TailorRequest
from app.services.resume_checks import check_tailorable
from app.services.tailor_checks import input_key
from app.tailoring.contact_override import ContactOverride
from app.tailoring.types import Strategy
from tests.integration.services.conftest import CompletedJob, add_inputs, count

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "files"


async def _add_resume(
    runtime: Runtime,
    user_id: uuid.UUID,
    doc: ResumeDocument | None,
    *,
    status: ParseStatus = ParseStatus.PARSED,
) -> uuid.UUID:
    row = Resume(
        user_id=user_id,
        size_bytes=1,
        sha256=hashlib.sha256(uuid.uuid4().bytes).hexdigest(),
        parse_status=status,
        parsed=doc.to_dict() if doc is not None else None,
    )
    async with transaction(runtime.db) as session:
        session.add(row)
    return row.id


async def _refusal(runtime: Runtime, user_id: uuid.UUID, request: TailorRequest) -> AppError:
    with pytest.raises(AppError) as refused:
        async with transaction(runtime.db) as session:
            await jobs.request_tailoring(session, runtime, user_id, request)
    return refused.value


def _corpus_documents() -> list[ResumeDocument]:
    files = sorted(p for p in CORPUS.glob("r*") if p.suffix in (".md", ".txt"))
    assert len(files) >= 6
    return [parse_resume(p.read_bytes(), p.name) for p in files]


def _variants(doc: ResumeDocument) -> list[ResumeDocument]:
    """The document, and copies with less and less substance around the thresholds: no
    experience, no skills (or skill groups with no skills), and the first n body lines."""
    out = [doc]
    bare = copy.deepcopy(doc)
    for section in bare.sections:
        section.experience = []
        section.skill_groups = []
    out.append(bare)
    empty_groups = copy.deepcopy(bare)
    empty_groups.sections[-1].skill_groups = [SkillGroup(name="Skills", skills=[])]
    out.append(empty_groups)
    only_skills = copy.deepcopy(bare)
    only_skills.sections[-1].skill_groups = [SkillGroup(name=None, skills=["SQL"])]
    for n in (0, 1, 2, 3, 5):
        short = copy.deepcopy(bare)
        for section in short.sections:
            if section.kind is not SectionKind.CONTACT:
                section.lines = section.lines[:n]
        out.append(short)
        with_skill = dataclasses.replace(short, sections=copy.deepcopy(short.sections))
        with_skill.sections[-1].skill_groups = [SkillGroup(name=None, skills=["SQL"])]
        out.append(with_skill)
    return [*out, only_skills]


def _python_says_tailorable(doc: ResumeDocument) -> bool:
    try:
        check_tailorable(doc)
    except AppError as refused:
        assert refused.code == ErrorCode.RESUME_TOO_THIN
        return False
    return True


async def test_the_thin_resume_rule_read_in_sql_agrees_with_the_document_rule(
    runtime: Runtime, samples_dir: Path
) -> None:
    owner = (await add_inputs(runtime, samples_dir)).user_id
    missing_posting = uuid.uuid4()  # a tailorable resume gets as far as this NOT_FOUND
    verdicts: list[bool] = []
    for doc in [v for d in _corpus_documents() for v in _variants(d)]:
        resume_id = await _add_resume(runtime, owner, doc)
        refusal = await _refusal(runtime, owner, TailorRequest(resume_id, missing_posting))
        sql_says_tailorable = refusal.code != ErrorCode.RESUME_TOO_THIN
        if sql_says_tailorable:
            assert refusal.code == ErrorCode.NOT_FOUND and "job description" in str(refusal)
        assert sql_says_tailorable == _python_says_tailorable(doc), doc.sections
        verdicts.append(sql_says_tailorable)
    assert True in verdicts and False in verdicts  # both sides of the rule were exercised
    assert await count(runtime, TailoringJob) == 0


async def test_refusals_come_in_the_order_requests_always_gave_them(
    runtime: Runtime, samples_dir: Path
) -> None:
    mine = await add_inputs(runtime, samples_dir)
    theirs = await add_inputs(runtime, samples_dir)
    nowhere = uuid.uuid4()
    thin = ResumeDocument(
        text="Ada Lovelace\n...",
        lines=[],
        contact=Contact(name="Ada"),
        sections=[],
        source_format="text",
    )
    failed = await _add_resume(runtime, mine.user_id, None, status=ParseStatus.FAILED)
    thin_id = await _add_resume(runtime, mine.user_id, thin)
    llm = {"engine": EngineName.LLM}
    cases = [
        # (resume, job description, extra, code, what the message names)
        (nowhere, nowhere, llm, ErrorCode.NOT_FOUND, "resume"),
        (theirs.resume_id, mine.job_description_id, {}, ErrorCode.NOT_FOUND, "resume"),
        (failed, nowhere, llm, "PARSE_NOT_READY", "could not be parsed"),
        (thin_id, nowhere, llm, ErrorCode.RESUME_TOO_THIN, "too little content"),
        (mine.resume_id, theirs.job_description_id, llm, ErrorCode.NOT_FOUND, "job description"),
        (mine.resume_id, mine.job_description_id, llm, "ENGINE_UNAVAILABLE", "AI provider"),
    ]
    assert not runtime.settings.llm_configured
    for resume_id, jd_id, extra, code, said in cases:
        refusal = await _refusal(runtime, mine.user_id, TailorRequest(resume_id, jd_id, **extra))  # type: ignore[arg-type]
        assert (refusal.code, said in str(refusal)) == (code, True), (resume_id, jd_id, refusal)
    async with transaction(runtime.db) as session:  # deleted rows are missing rows
        posting = await session.get(JobDescription, mine.job_description_id)
        assert posting is not None
        posting.deleted_at = posting.created_at
    refusal = await _refusal(runtime, mine.user_id, TailorRequest(mine.resume_id, posting.id))
    assert refusal.code == ErrorCode.NOT_FOUND and "job description" in str(refusal)
    async with transaction(runtime.db) as session:
        resume = await session.get(Resume, mine.resume_id)
        assert resume is not None
        resume.deleted_at = resume.created_at
    refusal = await _refusal(runtime, mine.user_id, TailorRequest(mine.resume_id, posting.id))
    assert refusal.code == ErrorCode.NOT_FOUND and "resume" in str(refusal)
    assert await count(runtime, TailoringJob) == 0


async def test_a_completed_result_is_found_by_the_key_finished_in_sql(
    runtime: Runtime, completed_job: CompletedJob
) -> None:
    inputs = completed_job.inputs
    async with transaction(runtime.db) as session:
        done = await session.get(TailoringJob, completed_job.job_id)
        resume = await session.get(Resume, inputs.resume_id)
    assert done is not None and resume is not None
    same = TailorRequest(inputs.resume_id, inputs.job_description_id)
    assert done.input_key == input_key(resume.sha256, inputs.job_description_id, same, "local")
    async with transaction(runtime.db) as session:
        again = await jobs.request_tailoring(session, runtime, inputs.user_id, same)
    assert again.cached and again.job.id == completed_job.job_id
    # Another contact block (its JSON in the key's tail), another strategy: other results;
    # regenerate never takes the cached one.
    contact = ContactOverride.from_dict({"name": 'Jo "Quoted" Brandt', "links": []})
    for request in (
        TailorRequest(inputs.resume_id, inputs.job_description_id, contact=contact),
        TailorRequest(inputs.resume_id, inputs.job_description_id, strategy=Strategy.CONSERVATIVE),
        TailorRequest(inputs.resume_id, inputs.job_description_id, regenerate=True),
    ):
        async with transaction(runtime.db) as session:
            outcome = await jobs.request_tailoring(session, runtime, inputs.user_id, request)
        assert not outcome.cached
        assert outcome.job.input_key == input_key(
            resume.sha256, inputs.job_description_id, request, "local"
        )
        async with transaction(runtime.db) as session:  # let the next one in (one active)
            await jobs.cancel(session, runtime, inputs.user_id, outcome.job.id)
