"""Apply by e-mail sends at most once unless the user confirms a re-send: a run that dies
after the mail server accepted the message, before recording it, leaves the send
UNCONFIRMED for the next run (or the sweeper) instead of a second copy; a confirmed
re-send goes once more with the same Message-ID. Real aiosmtpd server, real Postgres
and Redis; the worker's death is a cancellation right after the SMTP call returned."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
import pytest_asyncio
from arq import Retry
from sqlalchemy.exc import OperationalError

import workers.apply_email as task_module
from app import queue
from app.config import Settings
from app.db.models import EmailSend
from app.db.unit_of_work import reading
from app.runtime import Runtime
from app.services.email_smtp import smtp_send
from app.services.sweeper import sweep
from tests.conftest import Servers
from tests.integration.apps_support import count_rows
from tests.integration.conftest import GraphQLClient, WorkerProcesses, error_codes
from tests.integration.mail_support import (
    APP,
    APPLY,
    COUNTS,
    RESEND,
    SEND,
    Inbox,
    application_with_version,
    run_task,
    running_smtp,
    signed_in_app,
)


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with running_smtp() as server:
        yield server


@pytest_asyncio.fixture
async def mail_app(
    servers: Servers, tmp_path: Path, smtp: tuple[Inbox, int]
) -> AsyncIterator[tuple[GraphQLClient, Runtime]]:
    async with signed_in_app(servers, tmp_path, smtp_port=smtp[1], job_max_tries=3) as app:
        yield app


async def _row(runtime: Runtime, send_id: str) -> EmailSend:
    async with reading(runtime.db) as session:
        row = await session.get(EmailSend, uuid.UUID(send_id))
    assert row is not None
    return row


async def _queued_entries(runtime: Runtime) -> int:
    return int(await runtime.queue.zcard("arq:queue"))


def _die_after_acceptance(monkeypatch: pytest.MonkeyPatch) -> None:
    """The worker's SMTP call succeeds, then the run stops before it records SENT (as a
    kill -9 or a lost database connection would stop it)."""

    async def send_then_die(settings: Settings, message: EmailMessage) -> None:
        await smtp_send(settings, message)
        raise asyncio.CancelledError

    monkeypatch.setattr(task_module, "smtp_send", send_then_die)


async def _apply(gql: GraphQLClient, runtime: Runtime) -> tuple[str, str, str]:
    app_id = await application_with_version(gql, runtime)
    send = (await gql.ok(APPLY, {"id": app_id}))["applyByEmail"]
    return app_id, send["id"], send["messageId"]


async def test_sending_is_committed_before_smtp_and_sent_carries_the_message_id(
    mail_app: tuple[GraphQLClient, Runtime],
    smtp: tuple[Inbox, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gql, runtime = mail_app
    _, send_id, message_id = await _apply(gql, runtime)
    assert message_id.startswith("<") and message_id.endswith("@tailor.example>")
    seen_by_others: list[tuple[str, int]] = []

    async def observed_send(settings: Settings, message: EmailMessage) -> None:
        row = await _row(runtime, send_id)  # another session: committed state only
        seen_by_others.append((row.status, row.attempts))
        await smtp_send(settings, message)

    monkeypatch.setattr(task_module, "smtp_send", observed_send)
    assert await run_task(runtime, send_id) == "SENT"
    assert seen_by_others == [("SENDING", 1)]
    [received] = smtp[0].messages
    assert received["Message-ID"] == message_id
    state = (await gql.ok(SEND, {"id": send_id}))["emailSend"]
    assert state["status"] == "SENT" and state["messageId"] == message_id
    assert state["sentAt"] is not None and state["errorCode"] is None


async def test_a_run_that_died_after_acceptance_is_not_sent_again_until_confirmed(
    mail_app: tuple[GraphQLClient, Runtime],
    smtp: tuple[Inbox, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gql, runtime = mail_app
    inbox = smtp[0]
    app_id, send_id, message_id = await _apply(gql, runtime)
    with monkeypatch.context() as patch:
        _die_after_acceptance(patch)
        with pytest.raises(asyncio.CancelledError):
            await run_task(runtime, send_id, job_try=1)
    assert len(inbox.messages) == 1  # the server has it; nothing recorded that
    assert (await gql.ok(SEND, {"id": send_id}))["emailSend"]["status"] == "SENDING"

    assert await run_task(runtime, send_id, job_try=2) == "UNCONFIRMED"  # arq's retry
    assert len(inbox.messages) == 1
    state = (await gql.ok(SEND, {"id": send_id}))["emailSend"]
    assert state["status"] == "UNCONFIRMED" and state["errorCode"] == "DELIVERY_UNCONFIRMED"
    assert "may have been delivered" in state["errorMessage"] and state["sentAt"] is None
    assert state["attempts"] == 1
    assert await run_task(runtime, send_id, job_try=3) is None  # nor on any later run
    assert len(inbox.messages) == 1
    assert (await gql.ok(APP, {"id": app_id}))["application"]["status"] == "PENDING"

    queued = await _queued_entries(runtime)
    refused = await gql.run(RESEND, {"id": send_id, "confirm": False})
    assert error_codes(refused) == ["DELIVERY_UNCONFIRMED"]
    assert await _queued_entries(runtime) == queued
    assert (await gql.ok(SEND, {"id": send_id}))["emailSend"]["status"] == "UNCONFIRMED"

    resent = (await gql.ok(RESEND, {"id": send_id, "confirm": True}))["resendApplicationEmail"]
    assert resent["status"] == "QUEUED" and resent["errorCode"] is None
    assert resent["messageId"] == message_id
    assert await _queued_entries(runtime) == queued + 1
    again = (await gql.ok(RESEND, {"id": send_id, "confirm": True}))["resendApplicationEmail"]
    assert again["status"] == "QUEUED"  # a repeated request queues nothing more
    assert await _queued_entries(runtime) == queued + 1

    assert await run_task(runtime, send_id) == "SENT"
    assert [m["Message-ID"] for m in inbox.messages] == [message_id, message_id]
    state = (await gql.ok(SEND, {"id": send_id}))["emailSend"]
    assert state["status"] == "SENT" and state["attempts"] == 2
    application = (await gql.ok(APP, {"id": app_id}))["application"]
    assert application["status"] == "APPLIED"
    counts = {c["kind"]: c["count"] for c in (await gql.ok(COUNTS))["applicationAnalytics"]}
    assert counts["APPLY_EMAIL_SENT"] == 1
    sent_again = await gql.ok(RESEND, {"id": send_id, "confirm": True})
    assert sent_again["resendApplicationEmail"]["status"] == "SENT"
    assert await run_task(runtime, send_id) is None and len(inbox.messages) == 2


async def test_the_sweeper_settles_a_send_whose_run_died_and_will_not_run_again(
    mail_app: tuple[GraphQLClient, Runtime],
    smtp: tuple[Inbox, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gql, runtime = mail_app
    _, send_id, _ = await _apply(gql, runtime)
    with monkeypatch.context() as patch:
        _die_after_acceptance(patch)
        with pytest.raises(asyncio.CancelledError):
            await run_task(runtime, send_id)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=2)
    await sweep(runtime, now=later)  # its queue entry still exists: arq's retry settles it
    assert (await gql.ok(SEND, {"id": send_id}))["emailSend"]["status"] == "SENDING"
    await runtime.queue.flushdb()  # the entry is gone (last try used, or Redis lost it)
    report = await sweep(runtime, now=later)
    assert report.emails_requeued == []
    state = (await gql.ok(SEND, {"id": send_id}))["emailSend"]
    assert state["status"] == "UNCONFIRMED" and state["errorCode"] == "DELIVERY_UNCONFIRMED"
    assert len(smtp[0].messages) == 1


async def test_connection_lost_after_the_content_went_out_is_unconfirmed(
    mail_app: tuple[GraphQLClient, Runtime], smtp: tuple[Inbox, int]
) -> None:
    gql, runtime = mail_app
    smtp[0].drops_after_data = 1
    _, send_id, _ = await _apply(gql, runtime)
    assert await run_task(runtime, send_id) == "UNCONFIRMED"
    assert len(smtp[0].messages) == 1
    assert await run_task(runtime, send_id, job_try=2) is None
    assert len(smtp[0].messages) == 1


async def test_refusal_of_the_content_is_failed_and_deferral_is_retried(
    mail_app: tuple[GraphQLClient, Runtime], smtp: tuple[Inbox, int]
) -> None:
    gql, runtime = mail_app
    inbox = smtp[0]
    inbox.data_replies.append("554 5.7.1 message refused")
    _, refused_id, _ = await _apply(gql, runtime)
    assert await run_task(runtime, refused_id) == "FAILED"
    state = (await gql.ok(SEND, {"id": refused_id}))["emailSend"]
    assert state["status"] == "FAILED" and state["errorCode"] == "SMTP_REJECTED"
    not_resendable = await gql.run(RESEND, {"id": refused_id, "confirm": True})
    assert error_codes(not_resendable) == ["EMAIL_NOT_RESENDABLE"]

    inbox.data_replies.append("451 4.3.0 try again later")
    _, deferred_id, message_id = await _apply(gql, runtime)
    with pytest.raises(Retry):
        await run_task(runtime, deferred_id, job_try=1)
    assert (await gql.ok(SEND, {"id": deferred_id}))["emailSend"]["status"] == "QUEUED"
    assert await run_task(runtime, deferred_id, job_try=2) == "SENT"
    assert [m["Message-ID"] for m in inbox.messages] == [message_id]


async def test_resend_refuses_bad_and_foreign_ids_and_queues_nothing(
    mail_app: tuple[GraphQLClient, Runtime],
) -> None:
    gql, runtime = mail_app
    queued = await _queued_entries(runtime)
    assert error_codes(await gql.run(RESEND, {"id": "not-an-id", "confirm": True})) == [
        "INVALID_INPUT"
    ]
    unknown = str(uuid.uuid4())
    assert error_codes(await gql.run(RESEND, {"id": unknown, "confirm": True})) == ["NOT_FOUND"]
    assert await _queued_entries(runtime) == queued


APPLY_ONCE = """mutation($id: ID!, $key: String, $subject: String) {
  applyByEmail(applicationId: $id, clientRequestId: $key, subject: $subject) { id status }
}"""


async def test_a_repeated_request_id_returns_the_same_send_and_sends_once(
    mail_app: tuple[GraphQLClient, Runtime], smtp: tuple[Inbox, int]
) -> None:
    gql, runtime = mail_app
    app_id = await application_with_version(gql, runtime)
    queued = await _queued_entries(runtime)
    asked = {"id": app_id, "key": "apply-7f3a", "subject": "Platform role"}
    twins = await asyncio.gather(gql.ok(APPLY_ONCE, asked), gql.ok(APPLY_ONCE, asked))
    [first, second] = [t["applyByEmail"] for t in twins]
    assert first["id"] == second["id"]
    assert await count_rows(runtime, "email_sends") == 1
    assert await _queued_entries(runtime) == queued + 1
    assert await run_task(runtime, first["id"]) == "SENT"
    repeat = (await gql.ok(APPLY_ONCE, asked))["applyByEmail"]
    assert repeat == {"id": first["id"], "status": "SENT"}
    assert await run_task(runtime, first["id"]) is None
    assert len(smtp[0].messages) == 1

    other = await gql.run(APPLY_ONCE, {**asked, "subject": "Another role"})
    assert error_codes(other) == ["IDEMPOTENCY_KEY_REUSED"]
    blank = await gql.run(APPLY_ONCE, {**asked, "key": "  "})
    assert error_codes(blank) == ["INVALID_INPUT"]
    assert await count_rows(runtime, "email_sends") == 1
    assert await _queued_entries(runtime) == queued + 1


async def _until(check: Callable[[], Awaitable[bool]], seconds: float = 60) -> None:
    """Wait on a condition (the timeout only bounds a broken run)."""
    async with asyncio.timeout(seconds):
        for _ in range(int(seconds * 10)):  # polls the state another process writes
            if await check():
                return
            await asyncio.sleep(0.1)
    raise AssertionError("the condition never held")


async def test_a_worker_killed_after_the_server_took_the_message_sends_nothing_more(
    mail_app: tuple[GraphQLClient, Runtime],
    smtp: tuple[Inbox, int],
    workers: WorkerProcesses,
) -> None:
    gql, runtime = mail_app
    inbox, port = smtp
    inbox.hold_reply = threading.Event()
    env = {
        "TAILOR_SMTP_PORT": str(port),
        "TAILOR_MAIL_FROM_ADDRESS": "apply@tailor.example",
        "TAILOR_STORAGE_ROOT": str(runtime.settings.storage_root),
    }

    async def status_of(send_id: str) -> str:
        return str((await gql.ok(SEND, {"id": send_id}))["emailSend"]["status"])

    async def received() -> bool:
        return len(inbox.messages) == 1

    try:
        first = workers.start(**env)
        _, send_id, message_id = await _apply(gql, runtime)
        await _until(received)  # the server has it; the worker waits for the 250
        assert await status_of(send_id) == "SENDING"
        first.kill()  # SIGKILL: nothing gets to record anything
        await asyncio.to_thread(first.wait)
    finally:
        inbox.hold_reply.set()
    inbox.hold_reply = None
    # arq re-runs a killed worker's entry once its in-progress key expires (the task's
    # timeout later); drop the key instead of waiting for that.
    await runtime.queue.delete(queue.in_progress_key(queue.email_id(uuid.UUID(send_id))))
    workers.start(**env)

    async def settled() -> bool:
        return await status_of(send_id) != "SENDING"

    await _until(settled)
    assert await status_of(send_id) == "UNCONFIRMED"
    assert len(inbox.messages) == 1
    await gql.ok(RESEND, {"id": send_id, "confirm": True})

    async def sent() -> bool:
        return await status_of(send_id) == "SENT"

    await _until(sent)
    assert [m["Message-ID"] for m in inbox.messages] == [message_id, message_id]


async def test_a_database_error_after_acceptance_is_retried_into_unconfirmed(
    mail_app: tuple[GraphQLClient, Runtime],
    smtp: tuple[Inbox, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    gql, runtime = mail_app
    _, send_id, _ = await _apply(gql, runtime)

    async def connection_lost(*args: object) -> None:
        raise OperationalError("COMMIT", {}, ConnectionResetError("server closed"))

    with monkeypatch.context() as patch:
        patch.setattr(task_module, "mark_sent", connection_lost)
        with pytest.raises(Retry):
            await run_task(runtime, send_id, job_try=1)
    assert len(smtp[0].messages) == 1
    assert await run_task(runtime, send_id, job_try=2) == "UNCONFIRMED"
    assert len(smtp[0].messages) == 1
    state = (await gql.ok(SEND, {"id": send_id}))["emailSend"]
    assert state["status"] == "UNCONFIRMED" and state["errorCode"] == "DELIVERY_UNCONFIRMED"
