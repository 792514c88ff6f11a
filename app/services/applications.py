"""Applications a person tracks: create from a version or a job, validated status changes
with a history of every change, notes and follow-up dates, delete.

Every change writes an `application_events` row in the caller's transaction and is
published on `user:{id}:applications` (which the subscription follows) once it commits.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import Application, ApplicationEvent, JobDescription, TailoringJob, Version
from app.db.models.enums import ApplicationStatus, ArtifactKind, JobStatus
from app.db.unit_of_work import after_commit
from app.errors import AppError, InvalidInput, NotFound
from app.runtime import Runtime
from app.services import analytics
from app.services.jobs import artifacts_of
from app.services.lookups import grouped_by_parent
from app.services.ownership import owned
from app.services.paging import Listing
from app.services.stored_objects import store_for_rows
from app.storage.keys import user_key

S = ApplicationStatus
# Where each status may go next. REJECTED and WITHDRAWN are final; an OFFER may still be
# declined (WITHDRAWN).
TRANSITIONS: dict[ApplicationStatus, frozenset[ApplicationStatus]] = {
    S.PENDING: frozenset({S.APPLIED, S.WITHDRAWN}),
    S.APPLIED: frozenset({S.INTERVIEW, S.OFFER, S.REJECTED, S.WITHDRAWN}),
    S.INTERVIEW: frozenset({S.OFFER, S.REJECTED, S.WITHDRAWN}),
    S.OFFER: frozenset({S.WITHDRAWN}),
    S.REJECTED: frozenset(),
    S.WITHDRAWN: frozenset(),
}
MAX_NOTES = 10_000
MAX_NOTE = 2_000
_URL_RE = re.compile(r"https?://[^\s<>\"')\]]{3,2000}", re.I)


def channel(user_id: uuid.UUID) -> str:
    return f"user:{user_id}:applications"


@dataclass(frozen=True)
class NewApplication:
    version_id: uuid.UUID | None = None
    job_id: uuid.UUID | None = None
    company: str | None = None
    role_title: str | None = None
    posting_url: str | None = None
    contact_email: str | None = None
    notes: str | None = None
    follow_up_at: dt.datetime | None = None


@dataclass(frozen=True)
class ApplicationEdit:
    notes: str | None = None
    follow_up_at: dt.datetime | None = None
    clear_follow_up: bool = False
    posting_url: str | None = None
    contact_email: str | None = None
    company: str | None = None
    role_title: str | None = None


def _text(value: str | None, limit: int, field: str) -> str | None:
    if value is None:
        return None
    value = value.strip()
    if len(value) > limit:
        raise InvalidInput(f"{field} is limited to {limit} characters", field=field)
    return value or None


def _url(value: str | None) -> str | None:
    value = _text(value, 2000, "postingUrl")
    if value is not None and not re.fullmatch(r"https?://\S+", value, re.I):
        raise InvalidInput("postingUrl must be an http(s) URL", field="postingUrl")
    return value


def _email(value: str | None) -> str | None:
    from app.services.users import normalise_email

    value = _text(value, 320, "contactEmail")
    if value is None:
        return None
    try:
        return normalise_email(value)
    except InvalidInput as exc:
        raise InvalidInput(
            "contactEmail is not a valid e-mail address", field="contactEmail"
        ) from exc


async def _source(
    session: AsyncSession, user_id: uuid.UUID, new: NewApplication
) -> tuple[Version | None, TailoringJob]:
    if (new.version_id is None) == (new.job_id is None):
        raise InvalidInput("give either versionId or jobId", field="versionId")
    version = None
    job_id = new.job_id
    if new.version_id is not None:
        version = await owned(session, Version, new.version_id, user_id, what="version")
        job_id = version.job_id
    if job_id is None:  # a version whose job is gone
        raise NotFound("job")
    job = await owned(session, TailoringJob, job_id, user_id, what="job")
    if job.status is not JobStatus.COMPLETED:
        raise AppError(
            f"only completed jobs can be applied with (this one is {job.status.value})",
            code="JOB_NOT_COMPLETED",
        )
    if version is None:  # the newest accepted version of that job, if any
        version = (
            await session.execute(
                select(Version)
                .where(Version.job_id == job.id, Version.deleted_at.is_(None))
                .order_by(Version.created_at.desc())
                .limit(1)
            )
        ).scalar_one_or_none()
    return version, job


async def create_application(
    session: AsyncSession, runtime: Runtime, user_id: uuid.UUID, new: NewApplication
) -> Application:
    version, job = await _source(session, user_id, new)
    posting = await session.get(JobDescription, job.job_description_id)
    artifacts = await artifacts_of(session, job.id)
    form = artifacts.get(ArtifactKind.FORM_DATA)
    prep = artifacts.get(ArtifactKind.INTERVIEW_PREP)
    text = posting.text if posting is not None else ""
    found_url = _URL_RE.search(text)
    row = Application(
        id=uuid.uuid4(),
        user_id=user_id,
        version_id=version.id if version else None,
        job_id=job.id,
        job_description_id=job.job_description_id,
        company=_text(new.company, 300, "company") or (posting.company if posting else None),
        role_title=_text(new.role_title, 300, "roleTitle") or (posting.title if posting else None),
        posting_url=_url(new.posting_url) or (found_url.group(0) if found_url else None),
        contact_email=_email(new.contact_email),
        status=ApplicationStatus.PENDING,
        notes=_text(new.notes, MAX_NOTES, "notes"),
        follow_up_at=new.follow_up_at,
        form_data=dict(form.content) if form else {},
        interview_prep=dict(prep.content) if prep else {},
    )
    row.form_data_key = user_key(user_id, "applications", str(row.id), "form_data.json")
    payload = json.dumps(row.form_data, indent=2, ensure_ascii=False).encode()
    in_use = select(Application.id).where(Application.id == row.id)
    await store_for_rows(
        session, runtime, row.form_data_key, payload, "application/json", in_use=in_use
    )
    session.add(row)
    event = record_change(session, row, None, "created", "user", None)
    await session.flush()  # a refused row surfaces here (its file goes with the rollback)
    after_commit(session, lambda: publish_change(runtime, event))
    return row


def record_change(
    session: AsyncSession,
    row: Application,
    from_status: ApplicationStatus | None,
    kind: str,
    actor: str,
    note: str | None,
) -> ApplicationEvent:
    event = ApplicationEvent(
        application_id=row.id,
        user_id=row.user_id,
        actor=actor,
        kind=kind,
        from_status=from_status,
        to_status=row.status,
        note=note,
    )
    session.add(event)
    return event


async def publish_change(runtime: Runtime, event: ApplicationEvent) -> None:
    # Best effort: subscribers re-read Postgres after a quiet spell, so a lost publish
    # only delays a change.
    try:
        await runtime.redis.publish(channel(event.user_id), str(event.id))
    except Exception:  # Redis down must not undo a committed change
        return


async def _locked(session: AsyncSession, user_id: uuid.UUID, app_id: uuid.UUID) -> Application:
    return await owned(session, Application, app_id, user_id, what="application", for_update=True)


def check_transition(current: ApplicationStatus, target: ApplicationStatus) -> None:
    if target not in TRANSITIONS[current]:
        allowed = ", ".join(sorted(s.value for s in TRANSITIONS[current])) or "none (final)"
        raise AppError(
            f"an application cannot go from {current.value} to {target.value}; "
            f"allowed next: {allowed}",
            code="INVALID_TRANSITION",
            allowed=sorted(s.value for s in TRANSITIONS[current]),
        )


async def change_status(
    session: AsyncSession,
    runtime: Runtime,
    user_id: uuid.UUID,
    app_id: uuid.UUID,
    target: ApplicationStatus,
    note: str | None = None,
    *,
    actor: str = "user",
) -> Application:
    note = _text(note, MAX_NOTE, "note")
    row = await _locked(session, user_id, app_id)
    event = apply_status(session, row, target, note, actor=actor)
    after_commit(session, lambda: publish_change(runtime, event))
    return row


def apply_status(
    session: AsyncSession,
    row: Application,
    target: ApplicationStatus,
    note: str | None,
    *,
    actor: str,
) -> ApplicationEvent:
    """The status change itself, on a locked row, inside the caller's transaction; its
    history event (published once the caller has committed)."""
    check_transition(row.status, target)
    before = row.status
    row.status = target
    row.updated_at = dt.datetime.now(dt.UTC)  # set here, so the row stays readable after commit
    if target is ApplicationStatus.APPLIED and row.applied_at is None:
        row.applied_at = dt.datetime.now(dt.UTC)
    event = record_change(session, row, before, "status_changed", actor, note)
    analytics.record_server_event(
        session, row, "status_changed", {"from": before.value, "to": target.value}
    )
    return event


async def edit(
    session: AsyncSession,
    runtime: Runtime,
    user_id: uuid.UUID,
    app_id: uuid.UUID,
    changes: ApplicationEdit,
) -> Application:
    updates: dict[str, Any] = {}
    if changes.notes is not None:
        updates["notes"] = _text(changes.notes, MAX_NOTES, "notes")
    if changes.clear_follow_up:
        updates["follow_up_at"] = None
    elif changes.follow_up_at is not None:
        updates["follow_up_at"] = changes.follow_up_at
    if changes.posting_url is not None:
        updates["posting_url"] = _url(changes.posting_url)
    if changes.contact_email is not None:
        updates["contact_email"] = _email(changes.contact_email)
    if changes.company is not None:
        updates["company"] = _text(changes.company, 300, "company")
    if changes.role_title is not None:
        updates["role_title"] = _text(changes.role_title, 300, "roleTitle")
    if not updates:
        raise InvalidInput("nothing to change", field="input")
    row = await _locked(session, user_id, app_id)
    for name, value in updates.items():
        setattr(row, name, value)
    row.updated_at = dt.datetime.now(dt.UTC)
    event = record_change(session, row, row.status, "updated", "user", ", ".join(sorted(updates)))
    after_commit(session, lambda: publish_change(runtime, event))
    return row


async def get_application(
    session: AsyncSession, user_id: uuid.UUID, app_id: uuid.UUID
) -> Application:
    return await owned(session, Application, app_id, user_id, what="application")


def list_applications(
    runtime: Runtime, user_id: uuid.UUID, *, status: ApplicationStatus | None = None
) -> Listing[Application]:
    query = select(Application).where(Application.user_id == user_id)
    if status is not None:
        query = query.where(Application.status == status)
    return Listing(runtime.db, query, Application)


async def histories(
    session: AsyncSession, app_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[ApplicationEvent]]:
    """Every change of each application, oldest first, in one query (for a DataLoader)."""
    return await grouped_by_parent(
        session, ApplicationEvent, ApplicationEvent.application_id, app_ids, ApplicationEvent.id
    )


async def attached_versions(
    session: AsyncSession, version_ids: list[uuid.UUID]
) -> dict[uuid.UUID, Version]:
    """The live versions applications carry, by id, in one query (for a DataLoader);
    a deleted one is left out."""
    result = await session.execute(
        select(Version).where(Version.id.in_(version_ids), Version.deleted_at.is_(None))
    )
    return {version.id: version for version in result.scalars()}
