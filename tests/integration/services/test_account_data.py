"""Credits, share links and deletion as services in the caller's transaction: a credit is
closed once per job, a share link opens exactly its version until revoked, and a deletion
takes rows, jobs and held credits together while files go only after the commit."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import func, select, text

from app.auth.passwords import hash_password
from app.db.models import CreditLedgerEntry, Resume, TailoringJob, User, Version
from app.db.unit_of_work import reading, transaction
from app.errors import AppError, InvalidInput, NotFound
from app.runtime import Runtime
from app.services import credits, deletion, jobs, share_links
from app.services.jobs import TailorRequest
from app.storage.protocol import ObjectNotFound
from tests.integration.services.conftest import MakeInputs, PaidInputs
from tests.integration.services.observe import balance


class Boom(Exception):
    pass


async def _queued_job(runtime: Runtime, inputs: PaidInputs) -> uuid.UUID:
    request = TailorRequest(inputs.resume_id, inputs.job_description_id)
    async with transaction(runtime.db) as session:
        outcome = await jobs.request_tailoring(session, runtime, inputs.user_id, request)
    return outcome.job.id


async def test_a_held_credit_is_released_or_settled_once(
    service_runtime: Runtime, make_inputs: MakeInputs
) -> None:
    runtime = service_runtime
    inputs = await make_inputs(credits_granted=1)
    job_id = await _queued_job(runtime, inputs)
    for completed in (False, False, True):  # a second release, then a settle: no effect
        async with transaction(runtime.db) as session:
            job = await session.get(TailoringJob, job_id, with_for_update=True)
            assert job is not None
            await credits.settle_or_release(session, job, completed=completed)
    assert await balance(runtime, inputs.user_id) == 1
    async with reading(runtime.db) as session:
        reasons = (
            await session.execute(
                select(CreditLedgerEntry.reason).where(CreditLedgerEntry.job_id == job_id)
            )
        ).scalars()
        assert sorted(reasons) == ["release", "reserve"]


async def test_grants_are_bounded_and_only_for_live_accounts(
    service_runtime: Runtime, make_inputs: MakeInputs
) -> None:
    runtime = service_runtime
    inputs = await make_inputs()
    for amount in (0, credits.MAX_GRANT + 1):
        with pytest.raises(InvalidInput):
            async with transaction(runtime.db) as session:
                await credits.grant(session, inputs.user_id, amount)
    with pytest.raises(NotFound):
        async with transaction(runtime.db) as session:
            await credits.grant(session, uuid.uuid4(), 5)
    async with transaction(runtime.db) as session:
        granted = await credits.grant(session, inputs.user_id, 5, "  welcome  ")
    assert granted.balance == 5 and granted.entry.note == "welcome"
    async with transaction(runtime.db) as session:
        user = await session.get(User, inputs.user_id)
        assert user is not None
        assert await credits.user_id_by_email(session, user.email.upper()) == inputs.user_id


async def _version(runtime: Runtime, inputs: PaidInputs, job_id: uuid.UUID) -> uuid.UUID:
    version = Version(
        user_id=inputs.user_id,
        resume_id=inputs.resume_id,
        job_id=job_id,
        number=1,
        accept_key="k" * 64,
        content={"resume": {"name": "Marta"}},
        markdown="# Marta Kowalczyk\n",
        diff=[],
    )
    async with transaction(runtime.db) as session:
        session.add(version)
    return version.id


async def test_a_share_link_opens_its_version_counts_views_and_dies_when_revoked(
    service_runtime: Runtime, make_inputs: MakeInputs
) -> None:
    runtime = service_runtime
    inputs, stranger = await make_inputs(credits_granted=1), await make_inputs()
    version_id = await _version(runtime, inputs, await _queued_job(runtime, inputs))
    with pytest.raises(NotFound):  # only the owner shares a version
        async with transaction(runtime.db) as session:
            await share_links.create(session, runtime, stranger.user_id, version_id, None)
    async with transaction(runtime.db) as session:
        created = await share_links.create(session, runtime, inputs.user_id, version_id, 3600)
    token = created.url.rsplit("/", 1)[-1]
    assert created.link.token_hash == share_links.hash_token(token) != token
    for _ in range(2):
        async with transaction(runtime.db) as session:
            opened = await share_links.open_link(session, token, count_view=True)
        assert opened.id == version_id
    async with reading(runtime.db) as session:  # a PDF download reads without counting
        await share_links.open_link(session, token, count_view=False)
        (listed,) = await share_links.links_of(session, inputs.user_id, version_id)
    assert listed.view_count == 2
    with pytest.raises(NotFound):
        async with transaction(runtime.db) as session:
            await share_links.revoke(session, stranger.user_id, created.link.id)
    async with transaction(runtime.db) as session:
        revoked = await share_links.revoke(session, inputs.user_id, created.link.id)
    assert revoked.revoked_at is not None
    with pytest.raises(NotFound):
        async with reading(runtime.db) as session:
            await share_links.open_link(session, token, count_view=False)


async def test_a_rolled_back_resume_deletion_keeps_its_rows_jobs_credit_and_file(
    service_runtime: Runtime, make_inputs: MakeInputs
) -> None:
    runtime = service_runtime
    inputs = await make_inputs(credits_granted=1)
    job_id = await _queued_job(runtime, inputs)
    with pytest.raises(Boom):
        async with transaction(runtime.db) as session:
            await deletion.delete_resume(session, runtime, inputs.user_id, inputs.resume_id)
            raise Boom
    async with reading(runtime.db) as session:
        assert await session.get(Resume, inputs.resume_id) is not None
        assert (await jobs.get_job(session, inputs.user_id, job_id)).status.value == "QUEUED"
    assert await balance(runtime, inputs.user_id) == 0
    assert await runtime.store.get(inputs.resume_key)  # the file was not touched


async def test_deleting_a_resume_takes_its_jobs_returns_held_credits_then_drops_its_file(
    service_runtime: Runtime, make_inputs: MakeInputs
) -> None:
    runtime = service_runtime
    inputs = await make_inputs(credits_granted=1)
    await _queued_job(runtime, inputs)
    async with transaction(runtime.db) as session:
        await deletion.delete_resume(session, runtime, inputs.user_id, inputs.resume_id)
        assert await runtime.store.get(inputs.resume_key)  # still there until the commit
    with pytest.raises(ObjectNotFound):
        await runtime.store.get(inputs.resume_key)
    async with reading(runtime.db) as session:
        assert await session.get(Resume, inputs.resume_id) is None
        jobs_left = await session.execute(select(func.count()).select_from(TailoringJob))
        assert jobs_left.scalar_one() == 0
    assert await balance(runtime, inputs.user_id) == 1


async def _delete_account(runtime: Runtime, user_id: uuid.UUID, password: str) -> None:
    """What deleteAccount runs: read, check with no session, then the deleting transaction."""
    async with reading(runtime.db) as session:
        candidate = await deletion.find_account_to_delete(session, user_id)
    verified = await deletion.check_account_password(candidate, password)
    async with transaction(runtime.db) as session:
        await deletion.delete_account(session, runtime, verified)


async def _set_password(runtime: Runtime, user_id: uuid.UUID, password: str) -> None:
    async with transaction(runtime.db) as session:
        user = await session.get(User, user_id)
        assert user is not None
        user.password_hash = hash_password(password)


@pytest.mark.parametrize(
    "change",
    [
        "UPDATE users SET password_hash = :new WHERE id = :id",
        "UPDATE users SET deleted_at = now() WHERE id = :id",
    ],
    ids=["new password", "soft deleted"],
)
async def test_an_account_changed_after_its_password_was_checked_is_not_deleted(
    service_runtime: Runtime, make_inputs: MakeInputs, change: str
) -> None:
    """Between the check and the deleting transaction nothing is locked: a new password
    (or a soft deletion) meanwhile refuses the deletion, as a wrong password would."""
    runtime = service_runtime
    inputs = await make_inputs(credits_granted=1)
    await _set_password(runtime, inputs.user_id, "correct horse battery")
    async with reading(runtime.db) as session:
        candidate = await deletion.find_account_to_delete(session, inputs.user_id)
    verified = await deletion.check_account_password(candidate, "correct horse battery")
    new_hash = hash_password("another horse battery")
    async with transaction(runtime.db) as session:
        await session.execute(text(change), {"new": new_hash, "id": inputs.user_id})

    with pytest.raises(AppError) as refused:
        async with transaction(runtime.db) as session:
            await deletion.delete_account(session, runtime, verified)
    assert (refused.value.code, refused.value.message) == (
        "UNAUTHENTICATED",
        deletion.WRONG_PASSWORD,
    )
    async with reading(runtime.db) as session:
        assert await session.get(User, inputs.user_id) is not None
        assert await session.get(Resume, inputs.resume_id) is not None
    assert await runtime.store.get(inputs.resume_key)


async def test_an_account_that_is_gone_is_not_found(service_runtime: Runtime) -> None:
    with pytest.raises(NotFound):
        async with reading(service_runtime.db) as session:
            await deletion.find_account_to_delete(session, uuid.uuid4())


async def test_deleting_an_account_needs_its_password_and_leaves_nothing(
    service_runtime: Runtime, make_inputs: MakeInputs
) -> None:
    runtime = service_runtime
    inputs = await make_inputs(credits_granted=1)
    await _queued_job(runtime, inputs)
    await _set_password(runtime, inputs.user_id, "correct horse battery")
    with pytest.raises(AppError) as refused:
        await _delete_account(runtime, inputs.user_id, "wrong password!")
    assert refused.value.code == "UNAUTHENTICATED"
    assert refused.value.message == deletion.WRONG_PASSWORD
    assert await runtime.store.get(inputs.resume_key)
    await _delete_account(runtime, inputs.user_id, "correct horse battery")
    async with reading(runtime.db) as session:
        assert await session.get(User, inputs.user_id) is None
        for model in (Resume, TailoringJob, CreditLedgerEntry):
            left = await session.execute(select(func.count()).select_from(model))
            assert left.scalar_one() == 0, model.__name__
    assert await runtime.store.list_keys(f"users/{inputs.user_id}/") == []
