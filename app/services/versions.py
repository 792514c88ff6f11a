"""Accepting a job's result (in part or whole) as a new version of the resume, and the
version history."""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert

from app.db.models import JobDescription, Resume, TailoringJob, Version
from app.db.models.enums import ArtifactKind, ExportFormat, JobStatus
from app.documents.models import JobPosting, ResumeDocument
from app.errors import AppError, InvalidInput
from app.exports.templates import TEMPLATES
from app.runtime import Runtime
from app.services.exports import create_exports
from app.services.jobs import artifacts_of
from app.services.ownership import owned
from app.services.paging import Listing
from app.tailoring.acceptance import SectionChoice, merge_choices
from app.tailoring.engine import LocalEngine
from app.tailoring.types import TailoredResume


@dataclass(frozen=True)
class AcceptRequest:
    apply_all: bool
    sections: list[SectionChoice]
    notes: str | None
    export_formats: list[ExportFormat]
    template: str


def accept_key(request: AcceptRequest) -> str:
    """Same choices -> same key -> the same version (accepting twice is idempotent)."""
    material = {
        "all": request.apply_all,
        "sections": sorted([c.section, c.accept, c.edited_text] for c in request.sections),
        "notes": request.notes or "",
        "template": request.template,
    }
    return hashlib.sha256(json.dumps(material, sort_keys=True).encode()).hexdigest()


def _check(request: AcceptRequest) -> None:
    if request.apply_all == bool(request.sections):
        raise InvalidInput("give either applyAll: true or a list of sections", field="sections")
    if request.template not in TEMPLATES:
        raise InvalidInput(
            f"unknown template; choose one of {', '.join(sorted(TEMPLATES))}", field="template"
        )
    keys = [c.section for c in request.sections]
    if len(set(keys)) != len(keys):
        raise InvalidInput("each section may be listed once", field="sections")
    for choice in request.sections:
        if choice.edited_text is not None and len(choice.edited_text) > 20_000:
            raise InvalidInput("edited text is limited to 20,000 characters", field="sections")


async def accept(
    runtime: Runtime, user_id: uuid.UUID, job_id: uuid.UUID, request: AcceptRequest
) -> Version:
    _check(request)
    key = accept_key(request)
    async with runtime.db() as session:
        job = await owned(session, TailoringJob, job_id, user_id, what="job")
        if job.status is not JobStatus.COMPLETED:
            raise AppError(
                f"only completed jobs can be accepted (this one is {job.status.value})",
                code="JOB_NOT_COMPLETED",
            )
        existing = (
            await session.execute(
                select(Version).where(Version.job_id == job_id, Version.accept_key == key)
            )
        ).scalar_one_or_none()
        if existing is not None:
            await create_exports(runtime, existing, request.export_formats)
            return existing
        resume_row = await session.get(Resume, job.resume_id)
        jd_row = await session.get(JobDescription, job.job_description_id)
    if resume_row is None or resume_row.parsed is None or jd_row is None:
        raise AppError("the resume or job description was deleted", code="INPUT_MISSING")
    original = ResumeDocument.from_dict(resume_row.parsed)
    posting = JobPosting.from_dict(jd_row.parsed)
    artifacts = await artifacts_of(runtime, job_id)
    evaluation = artifacts[ArtifactKind.EVALUATION].content
    tailored = TailoredResume.from_dict(evaluation["resume"])
    try:
        merged, warnings = merge_choices(
            original, tailored, None if request.apply_all else request.sections
        )
    except KeyError as exc:
        raise InvalidInput(f"unknown section: {exc.args[0]}", field="sections") from exc
    engine = LocalEngine()
    scored = engine.evaluate(original, posting, merged)
    letter = artifacts.get(ArtifactKind.COVER_LETTER)
    content = {
        "resume": merged.to_dict(),
        "cover_letter_markdown": letter.content.get("markdown", "") if letter else "",
        "ats": scored.after.to_dict(),
    }
    async with runtime.db() as session, session.begin():
        # Serialise version numbering per resume on the resume row.
        await session.execute(select(Resume.id).where(Resume.id == job.resume_id).with_for_update())
        number = (
            await session.execute(
                select(func.coalesce(func.max(Version.number), 0)).where(
                    Version.resume_id == job.resume_id
                )
            )
        ).scalar_one() + 1
        inserted = await session.execute(
            insert(Version)
            .values(
                id=uuid.uuid4(),
                user_id=user_id,
                resume_id=job.resume_id,
                job_id=job_id,
                number=number,
                accept_key=key,
                content=content,
                markdown=merged.to_markdown(),
                diff=[d.to_dict() for d in scored.diff],
                ats_score=scored.after.score,
                notes=(request.notes or "").strip()[:5000] or None,
                template=request.template,
                warnings=[w.to_dict() for w in warnings],
            )
            .on_conflict_do_nothing(constraint="uq_versions_job_accept_key")
            .returning(Version.id)
        )
        new_id = inserted.scalar_one_or_none()
    version = await _by_job_key(runtime, job_id, key)
    if new_id is None and version is None:  # pragma: no cover - conflict then deleted
        raise AppError("the version could not be saved; try again", code="CONFLICT")
    assert version is not None
    await create_exports(runtime, version, request.export_formats)
    return version


async def _by_job_key(runtime: Runtime, job_id: uuid.UUID, key: str) -> Version | None:
    async with runtime.db() as session:
        return (
            await session.execute(
                select(Version).where(Version.job_id == job_id, Version.accept_key == key)
            )
        ).scalar_one_or_none()


async def get_version(runtime: Runtime, user_id: uuid.UUID, version_id: uuid.UUID) -> Version:
    async with runtime.db() as session:
        return await owned(session, Version, version_id, user_id, what="version")


def list_versions(
    runtime: Runtime, user_id: uuid.UUID, *, resume_id: uuid.UUID | None
) -> Listing[Version]:
    query = select(Version).where(Version.user_id == user_id, Version.deleted_at.is_(None))
    if resume_id is not None:
        query = query.where(Version.resume_id == resume_id)
    return Listing(runtime.db, query, Version)
