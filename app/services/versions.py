"""Accepting a job's result (in part or whole) as a new version of the resume, and the
version history. Functions take the caller's session (its transaction:
app.db.unit_of_work)."""

from __future__ import annotations

import asyncio
import hashlib
import json
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Artifact, JobDescription, Resume, TailoringJob, Version
from app.db.models.enums import ArtifactKind, ExportFormat, JobStatus
from app.documents.models import JobPosting, ResumeDocument
from app.errors import AppError, InvalidInput
from app.exports.templates import TEMPLATES
from app.runtime import Runtime
from app.services.exports import create_exports
from app.services.ownership import owned
from app.services.paging import Listing
from app.tailoring.acceptance import SectionChoice
from app.tailoring.types import TailoredResume
from app.tailoring.versioning import VersionBuild, build_version


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


@dataclass(frozen=True)
class _Inputs:
    """Everything a new version is built from."""

    job: TailoringJob
    original: ResumeDocument
    posting: JobPosting
    tailored: TailoredResume
    cover_letter_markdown: str


async def accept(
    session: AsyncSession,
    runtime: Runtime,
    user_id: uuid.UUID,
    job_id: uuid.UUID,
    request: AcceptRequest,
) -> Version:
    """Load -> build (pure, off the event loop) -> persist, in the caller's transaction;
    accepting the same choices twice returns the same version. Its exports are queued
    once the transaction commits."""
    _check(request)
    key = accept_key(request)
    loaded = await _load(session, user_id, job_id, key)
    if isinstance(loaded, Version):
        version = loaded
    else:
        build = await _build(loaded, request)
        version = await _persist(session, user_id, loaded.job, key, build, request)
    await create_exports(session, runtime, version, request.export_formats)
    return version


async def _load(
    session: AsyncSession, user_id: uuid.UUID, job_id: uuid.UUID, key: str
) -> Version | _Inputs:
    """The version these choices already made, or the inputs to build it."""
    job = await owned(session, TailoringJob, job_id, user_id, what="job")
    if job.status is not JobStatus.COMPLETED:
        raise AppError(
            f"only completed jobs can be accepted (this one is {job.status.value})",
            code="JOB_NOT_COMPLETED",
        )
    existing = await _by_job_key(session, job_id, key)
    if existing is not None:
        return existing
    resume_row = await session.get(Resume, job.resume_id)
    jd_row = await session.get(JobDescription, job.job_description_id)
    artifacts = {
        a.kind: a
        for a in (
            await session.execute(select(Artifact).where(Artifact.job_id == job_id))
        ).scalars()
    }
    if resume_row is None or resume_row.parsed is None or jd_row is None:
        raise AppError("the resume or job description was deleted", code="INPUT_MISSING")
    letter = artifacts.get(ArtifactKind.COVER_LETTER)
    return _Inputs(
        job=job,
        original=ResumeDocument.from_dict(resume_row.parsed),
        posting=JobPosting.from_dict(jd_row.parsed),
        tailored=TailoredResume.from_dict(artifacts[ArtifactKind.EVALUATION].content["resume"]),
        cover_letter_markdown=letter.content.get("markdown", "") if letter else "",
    )


async def _build(inputs: _Inputs, request: AcceptRequest) -> VersionBuild:
    """The pure build (app.tailoring.versioning), in a thread: diffing and rendering a
    resume is CPU work."""
    choices = None if request.apply_all else request.sections
    try:
        return await asyncio.to_thread(
            build_version,
            inputs.original,
            inputs.posting,
            inputs.tailored,
            inputs.cover_letter_markdown,
            choices,
        )
    except KeyError as exc:
        raise InvalidInput(f"unknown section: {exc.args[0]}", field="sections") from exc


async def _persist(
    session: AsyncSession,
    user_id: uuid.UUID,
    job: TailoringJob,
    key: str,
    build: VersionBuild,
    request: AcceptRequest,
) -> Version:
    """Insert the version under the next number of its resume."""
    # Serialise version numbering per resume on the resume row.
    await session.execute(select(Resume.id).where(Resume.id == job.resume_id).with_for_update())
    number = (
        await session.execute(
            select(func.coalesce(func.max(Version.number), 0)).where(
                Version.resume_id == job.resume_id
            )
        )
    ).scalar_one() + 1
    await session.execute(
        insert(Version)
        .values(
            id=uuid.uuid4(),
            user_id=user_id,
            resume_id=job.resume_id,
            job_id=job.id,
            number=number,
            accept_key=key,
            content=build.content,
            markdown=build.markdown,
            diff=build.diff,
            ats_score=build.ats_score,
            notes=(request.notes or "").strip()[:5000] or None,
            template=request.template,
            warnings=build.warnings,
        )
        .on_conflict_do_nothing(constraint="uq_versions_job_accept_key")
    )
    # Ours, or the one a concurrent accept of the same choices committed first.
    version = await _by_job_key(session, job.id, key)
    if version is None:  # pragma: no cover - conflict, then deleted in between
        raise AppError("the version could not be saved; try again", code="CONFLICT")
    return version


async def _by_job_key(session: AsyncSession, job_id: uuid.UUID, key: str) -> Version | None:
    return (
        await session.execute(
            select(Version).where(Version.job_id == job_id, Version.accept_key == key)
        )
    ).scalar_one_or_none()


async def get_version(session: AsyncSession, user_id: uuid.UUID, version_id: uuid.UUID) -> Version:
    return await owned(session, Version, version_id, user_id, what="version")


def list_versions(
    runtime: Runtime, user_id: uuid.UUID, *, resume_id: uuid.UUID | None
) -> Listing[Version]:
    query = select(Version).where(Version.user_id == user_id, Version.deleted_at.is_(None))
    if resume_id is not None:
        query = query.where(Version.resume_id == resume_id)
    return Listing(runtime.db, query, Version)
