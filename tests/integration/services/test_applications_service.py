"""Applications and apply-by-e-mail as services in the caller's transaction: a change and
its history are one unit, announced on the user's channel only after the commit; an
e-mail send is queued only once its row is committed."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select

from app import queue
from app.db.models import AnalyticsEvent, Application, ApplicationEvent, EmailSend, Export
from app.db.models.enums import ApplicationStatus, ExportDocument, ExportFormat, ExportStatus
from app.db.unit_of_work import reading, transaction
from app.errors import AppError
from app.runtime import Runtime
from app.services import applications, apply_email, deletion, email_delivery, exports, versions
from app.services.applications import NewApplication
from app.storage.protocol import ObjectNotFound
from tests.integration.services.conftest import CompletedJob
from tests.integration.services.observe import next_published

QUEUE = "arq:queue"


class Boom(Exception):
    pass


async def _application(
    runtime: Runtime, done: CompletedJob, formats: list[ExportFormat] | None = None
) -> uuid.UUID:
    request = versions.AcceptRequest(
        apply_all=True, sections=[], notes=None, export_formats=formats or [], template="classic"
    )
    async with transaction(runtime.db) as session:
        version = await versions.accept(session, runtime, done.inputs.user_id, done.job_id, request)
    new = NewApplication(version_id=version.id, contact_email="jobs@example.com")
    async with transaction(runtime.db) as session:
        row = await applications.create_application(session, runtime, done.inputs.user_id, new)
    return row.id


async def _history(runtime: Runtime, app_id: uuid.UUID) -> list[tuple[str, str]]:
    async with reading(runtime.db) as session:
        grouped = await applications.histories(session, [app_id])
    return [(e.kind, e.to_status.value) for e in grouped[app_id]]


async def test_an_application_starts_pending_with_its_form_data_file_and_history(
    runtime: Runtime, completed_job: CompletedJob
) -> None:
    app_id = await _application(runtime, completed_job)
    async with reading(runtime.db) as session:
        row = await applications.get_application(session, completed_job.inputs.user_id, app_id)
        with pytest.raises(AppError) as refused:  # nobody else's
            await applications.get_application(session, uuid.uuid4(), app_id)
    assert refused.value.code == "NOT_FOUND"
    assert row.status is ApplicationStatus.PENDING and row.form_data_key
    assert await runtime.store.get(row.form_data_key)
    assert await _history(runtime, app_id) == [("created", "PENDING")]


async def test_a_status_change_is_announced_only_when_it_commits(
    runtime: Runtime, completed_job: CompletedJob
) -> None:
    user_id = completed_job.inputs.user_id
    app_id = await _application(runtime, completed_job)
    pubsub = runtime.redis.pubsub()
    await pubsub.subscribe(applications.channel(user_id))
    try:
        with pytest.raises(Boom):
            async with transaction(runtime.db) as session:
                await applications.change_status(
                    session, runtime, user_id, app_id, ApplicationStatus.APPLIED
                )
                raise Boom
        assert await _history(runtime, app_id) == [("created", "PENDING")]
        async with transaction(runtime.db) as session:
            changed = await applications.change_status(
                session, runtime, user_id, app_id, ApplicationStatus.APPLIED, "sent it"
            )
        announced = await next_published(pubsub)  # the first message is the committed change
    finally:
        await pubsub.aclose()  # type: ignore[no-untyped-call]
    assert changed.status is ApplicationStatus.APPLIED and changed.applied_at is not None
    async with reading(runtime.db) as session:
        last = (
            (
                await session.execute(
                    select(ApplicationEvent)
                    .where(ApplicationEvent.application_id == app_id)
                    .order_by(ApplicationEvent.id.desc())
                )
            )
            .scalars()
            .first()
        )
        kinds = (await session.execute(select(AnalyticsEvent.kind))).scalars().all()
    assert last is not None and announced == str(last.id) and last.note == "sent it"
    assert kinds == ["status_changed"]  # recorded with the change, once


async def test_an_e_mail_send_is_queued_only_when_its_row_is_committed(
    runtime: Runtime, completed_job: CompletedJob
) -> None:
    user_id = completed_job.inputs.user_id
    app_id = await _application(runtime, completed_job)
    with pytest.raises(Boom):
        async with transaction(runtime.db) as session:
            await apply_email.request_send(session, runtime, user_id, app_id)
            raise Boom
    assert await runtime.queue.zcard(QUEUE) == 0
    async with transaction(runtime.db) as session:
        send = await apply_email.request_send(session, runtime, user_id, app_id)
        assert not await queue.entry_exists(runtime.queue, queue.email_id(send.id))
    assert await queue.entry_exists(runtime.queue, queue.email_id(send.id))
    async with reading(runtime.db) as session:
        sends = (await session.execute(select(EmailSend))).scalars().all()
        grouped = await apply_email.sends_for(session, [app_id])
    assert [s.id for s in sends] == [send.id] == [s.id for s in grouped[app_id]]
    assert send.to_address == "jobs@example.com" and send.status == apply_email.QUEUED


async def test_the_e_mail_attaches_the_stored_exports_when_they_are_ready(
    runtime: Runtime, completed_job: CompletedJob
) -> None:
    user_id = completed_job.inputs.user_id
    app_id = await _application(runtime, completed_job, [ExportFormat.PDF])
    async with reading(runtime.db) as session:
        application = await session.get(Application, app_id)
        assert application is not None and application.version_id is not None
        rows = (
            (
                await session.execute(
                    select(Export).where(Export.version_id == application.version_id)
                )
            )
            .scalars()
            .all()
        )
    for row in rows:  # the worker's job, in-process
        assert await exports.run_export(runtime, row.id) is ExportStatus.READY
    async with transaction(runtime.db) as session:
        send = await apply_email.request_send(session, runtime, user_id, app_id)
    async with transaction(runtime.db) as session:
        claimed = await email_delivery.claim(session, send.id)
    assert claimed is not None and claimed.send.attempts == 0  # counted once SENDING
    async with reading(runtime.db) as session:
        stored = {
            r.document: r.storage_key
            for r in (
                await session.execute(select(Export).where(Export.id.in_([r.id for r in rows])))
            ).scalars()
        }
    assert ExportDocument.RESUME in claimed.ready_keys
    assert claimed.ready_keys == {d: k for d, k in stored.items() if k}
    files = await email_delivery.attachments_for(runtime, claimed)
    resume_file = await runtime.store.get(claimed.ready_keys[ExportDocument.RESUME])
    assert files[0].filename.endswith("Resume.pdf") and files[0].data == resume_file


async def test_deleting_an_application_drops_its_form_data_file_only_once_committed(
    runtime: Runtime, completed_job: CompletedJob
) -> None:
    user_id = completed_job.inputs.user_id
    app_id = await _application(runtime, completed_job)
    async with reading(runtime.db) as session:
        key = (await applications.get_application(session, user_id, app_id)).form_data_key
    assert key is not None
    with pytest.raises(Boom):
        async with transaction(runtime.db) as session:
            await deletion.delete_application(session, runtime, user_id, app_id)
            raise Boom
    assert await runtime.store.get(key)
    assert await _history(runtime, app_id) == [("created", "PENDING")]
    async with transaction(runtime.db) as session:
        await deletion.delete_application(session, runtime, user_id, app_id)
    with pytest.raises(ObjectNotFound):
        await runtime.store.get(key)
    assert await _history(runtime, app_id) == []  # its history went with it
