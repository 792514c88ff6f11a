"""Deleting things the way people expect: gone, with everything that hangs off them.

A resume or job description takes its jobs, versions, export files, share links and AI
audit copies with it; a version its files and share links; an application its history,
analytics and e-mail records. Rows go in the caller's transaction (foreign keys cascade),
files once it has committed. `delete_account` removes every row and every stored object of the user.
Its password is checked as sign-in's is: read (`find_account_to_delete`), verify with no
connection held (`check_account_password`), then the deleting transaction re-confirms it.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterable

import structlog
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import (
    ApiUsage,
    Application,
    Export,
    JobDescription,
    Resume,
    TailoringJob,
    User,
    Version,
)
from app.db.models.enums import ACTIVE_STATUSES
from app.db.unit_of_work import after_commit
from app.errors import AppError, NotFound, Unauthenticated
from app.runtime import Runtime
from app.services.jobs import cancel
from app.services.ownership import owned
from app.services.users import SignInCandidate, VerifiedSignIn, check_password
from app.storage.keys import NAMESPACE
from app.storage.protocol import StorageError

log = structlog.get_logger("deletion")


async def _cancel_active(
    session: AsyncSession, runtime: Runtime, user_id: uuid.UUID, job_ids: Iterable[uuid.UUID]
) -> None:
    """Stop running work first: a cancelled job gives its reserved credits back."""
    for job_id in job_ids:
        with contextlib.suppress(AppError):  # it ended meanwhile: nothing to stop
            await cancel(session, runtime, user_id, job_id)


async def _job_ids(session: AsyncSession, *where: object) -> list[tuple[uuid.UUID, bool]]:
    result = await session.execute(select(TailoringJob.id, TailoringJob.status).where(*where))  # type: ignore[arg-type]
    return [(row[0], row[1] in ACTIVE_STATUSES) for row in result.all()]


async def _keys_of_jobs(session: AsyncSession, job_ids: list[uuid.UUID]) -> list[str]:
    if not job_ids:
        return []
    exports = await session.execute(
        select(Export.storage_key)
        .join(Version, Version.id == Export.version_id)
        .where(Version.job_id.in_(job_ids), Export.storage_key.is_not(None))
    )
    audits = await session.execute(
        select(ApiUsage.audit_key).where(
            ApiUsage.job_id.in_(job_ids), ApiUsage.audit_key.is_not(None)
        )
    )
    return [str(k) for k in [*exports.scalars(), *audits.scalars()] if k]


async def _drop_objects(runtime: Runtime, keys: Iterable[str]) -> None:
    for key in dict.fromkeys(keys):
        try:
            await runtime.store.delete(key)
        except StorageError:
            # The row is gone, so nothing signs a URL for it any more; log for cleanup.
            log.warning("stored_object_not_deleted", key_owner=key.split("/")[1])


async def _delete_with_jobs(
    session: AsyncSession, runtime: Runtime, user_id: uuid.UUID, row: Resume | JobDescription
) -> None:
    """Delete a resume or job description row with every job that used it; its files go
    once the rows are gone for good (after the commit)."""
    model = type(row)
    column = TailoringJob.resume_id if isinstance(row, Resume) else TailoringJob.job_description_id
    jobs = await _job_ids(session, column == row.id)
    await _cancel_active(session, runtime, user_id, [j for j, active in jobs if active])
    keys = await _keys_of_jobs(session, [j for j, _ in jobs])
    if row.storage_key:
        keys.append(row.storage_key)
    await session.execute(delete(model).where(model.id == row.id))
    after_commit(session, lambda: _drop_objects(runtime, keys))


async def delete_resume(
    session: AsyncSession, runtime: Runtime, user_id: uuid.UUID, resume_id: uuid.UUID
) -> Resume:
    row = await owned(session, Resume, resume_id, user_id, what="resume")
    await _delete_with_jobs(session, runtime, user_id, row)
    return row


async def delete_job_description(
    session: AsyncSession, runtime: Runtime, user_id: uuid.UUID, jd_id: uuid.UUID
) -> JobDescription:
    row = await owned(session, JobDescription, jd_id, user_id, what="job description")
    await _delete_with_jobs(session, runtime, user_id, row)
    return row


async def delete_version(
    session: AsyncSession, runtime: Runtime, user_id: uuid.UUID, version_id: uuid.UUID
) -> Version:
    row = await owned(session, Version, version_id, user_id, what="version", for_update=True)
    keys = await session.execute(
        select(Export.storage_key).where(
            Export.version_id == version_id, Export.storage_key.is_not(None)
        )
    )
    files = [str(k) for k in keys.scalars() if k]
    await session.execute(delete(Version).where(Version.id == version_id))
    after_commit(session, lambda: _drop_objects(runtime, files))
    return row


async def delete_application(
    session: AsyncSession, runtime: Runtime, user_id: uuid.UUID, app_id: uuid.UUID
) -> Application:
    row = await owned(session, Application, app_id, user_id, what="application", for_update=True)
    await session.execute(delete(Application).where(Application.id == app_id))
    files = [row.form_data_key] if row.form_data_key else []
    after_commit(session, lambda: _drop_objects(runtime, files))
    return row


async def _drop_user_objects(runtime: Runtime, user_id: uuid.UUID) -> None:
    keys = await runtime.store.list_keys(f"{NAMESPACE}/{user_id}/")
    await _drop_objects(runtime, keys)


# The message deleteAccount has always given for a wrong password; the account changing
# while its password was checked gets the same one.
WRONG_PASSWORD = "wrong password"


async def find_account_to_delete(session: AsyncSession, user_id: uuid.UUID) -> SignInCandidate:
    """What the password is checked against, in one short read: call it in a `reading()`
    session, so no connection or transaction is held while argon2 runs next."""
    found = await session.execute(
        select(User.id, User.password_hash).where(User.id == user_id, User.deleted_at.is_(None))
    )
    row = found.one_or_none()
    if row is None:
        raise NotFound("user")
    return SignInCandidate(row.id, row.password_hash)


async def check_account_password(candidate: SignInCandidate, password: str) -> VerifiedSignIn:
    """Sign-in's check (argon2 on its bounded pool; takes no session): call it between the
    read and the deleting transaction."""
    try:
        return await check_password(candidate, password)
    except Unauthenticated:
        raise Unauthenticated(WRONG_PASSWORD) from None


async def _lock_confirmed_account(session: AsyncSession, verified: VerifiedSignIn) -> None:
    """The account is still live with the password that was checked (either could change
    while argon2 ran with nothing locked). FOR UPDATE, not sign-in's FOR SHARE: this
    transaction deletes the row, and two deletions both holding a share lock would deadlock
    upgrading it; a password change or sign-in waits for this one to end."""
    found = await session.execute(
        select(User.id)
        .where(
            User.id == verified.user_id,
            User.deleted_at.is_(None),
            User.password_hash == verified.password_hash,
        )
        .with_for_update()
    )
    if found.scalar_one_or_none() is None:
        raise Unauthenticated(WRONG_PASSWORD)


async def delete_account(session: AsyncSession, runtime: Runtime, verified: VerifiedSignIn) -> None:
    """Every row and every stored object of the user whose password `check_account_password`
    verified, once the account is confirmed unchanged. Tokens stop working because the
    account they name is gone; API keys are rows of the account and go with it."""
    await _lock_confirmed_account(session, verified)
    user_id = verified.user_id
    jobs = await _job_ids(session, TailoringJob.user_id == user_id)
    await _cancel_active(session, runtime, user_id, [j for j, active in jobs if active])
    # Files first (a failure rolls everything back: the person can delete again), rows
    # next, files once more after the commit for anything a finishing worker wrote.
    await _drop_user_objects(runtime, user_id)
    await session.execute(delete(User).where(User.id == user_id))
    after_commit(session, lambda: _drop_user_objects(runtime, user_id))
    after_commit(session, _log_deleted)


async def _log_deleted() -> None:
    log.info("account_deleted")
