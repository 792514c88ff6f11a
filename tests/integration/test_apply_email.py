"""Apply by e-mail against a real aiosmtpd server: the MIME message that arrives, header
injection refused, transient vs permanent failures, the attachment cap, the rate limit,
and the real worker process sending it."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from arq import Retry

from app.runtime import Runtime
from tests.conftest import Servers
from tests.integration.apps_support import count_rows
from tests.integration.conftest import GraphQLClient, WorkerProcesses, error_codes
from tests.integration.mail_support import (
    APP,
    APPLY,
    COUNTS,
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
    servers: Servers, tmp_path: Path, smtp: tuple[Inbox, int], request: pytest.FixtureRequest
) -> AsyncIterator[tuple[GraphQLClient, Runtime]]:
    overrides = {"smtp_port": smtp[1], **getattr(request, "param", {})}
    async with signed_in_app(servers, tmp_path, **overrides) as app:
        yield app


async def test_sent_message_carries_resume_letter_and_headers(
    mail_app: tuple[GraphQLClient, Runtime], smtp: tuple[Inbox, int]
) -> None:
    gql, runtime = mail_app
    inbox, _ = smtp
    app_id = await application_with_version(gql, runtime)
    send = (await gql.ok(APPLY, {"id": app_id, "message": "Dear team,\nplease see attached."}))[
        "applyByEmail"
    ]
    assert send["status"] == "QUEUED" and send["to"] == "careers@northwind.example"
    before = (await gql.ok(APP, {"id": app_id}))["application"]
    assert before["status"] == "PENDING"  # nothing moves before the server accepts
    assert await run_task(runtime, send["id"]) == "SENT"

    [message] = inbox.messages
    me = (await gql.ok("{ me { email } }"))["me"]["email"]
    assert message["To"] == "careers@northwind.example"
    assert message["From"].addresses[0].addr_spec == "apply@tailor.example"
    assert message["From"].addresses[0].display_name == "Marta Kowalczyk"
    assert message["Reply-To"] == me
    assert message["Subject"] == send["subject"] and "Platform Engineer" in send["subject"]
    assert message["Message-ID"]
    assert inbox.envelopes[0][1] == ["careers@northwind.example"]
    body = message.get_body(preferencelist=("plain",))
    assert body is not None and "please see attached." in body.get_content()
    files = {part.get_filename() or "": part for part in message.iter_attachments()}
    assert len(files) == 2 and all(name.endswith(".pdf") for name in files)
    assert any("Resume" in name for name in files) and any("Cover letter" in n for n in files)
    for part in files.values():
        assert part.get_content_type() == "application/pdf"
        assert part.get_content().startswith(b"%PDF")

    after = (await gql.ok(APP, {"id": app_id}))["application"]
    assert after["status"] == "APPLIED" and after["appliedAt"] is not None
    assert after["history"][-1]["actor"] == "system" and after["emails"] == [{"status": "SENT"}]
    counts = {c["kind"]: c["count"] for c in (await gql.ok(COUNTS))["applicationAnalytics"]}
    assert counts == {"APPLY_EMAIL_SENT": 1, "STATUS_CHANGED": 1}
    assert await run_task(runtime, send["id"]) is None  # a duplicate delivery sends nothing
    assert len(inbox.messages) == 1


async def test_docx_attachments_and_explicit_recipient(
    mail_app: tuple[GraphQLClient, Runtime], smtp: tuple[Inbox, int]
) -> None:
    gql, runtime = mail_app
    app_id = await application_with_version(gql, runtime, resume="data", posting="analytics")
    send = (
        await gql.ok(
            APPLY,
            {
                "id": app_id,
                "to": "Hiring@Greenfield.example",
                "subject": "Analytics Lead",
                "format": "DOCX",
            },
        )
    )["applyByEmail"]
    assert send["to"] == "hiring@greenfield.example"
    assert await run_task(runtime, send["id"]) == "SENT"
    [message] = smtp[0].messages
    names = [p.get_filename() or "" for p in message.iter_attachments()]
    assert names and all(n.endswith(".docx") for n in names)
    assert message["Subject"] == "Analytics Lead"


@pytest.mark.parametrize(
    "variables",
    [
        {"to": "hr@x.example\r\nBcc: victim@y.example"},
        {"to": "hr@x.example, other@y.example"},
        {"to": "hr@x.example; other@y.example"},
        {"to": '"Boss <boss@y.example>" <hr@x.example>'},
        {"subject": "Hello\nBcc: victim@y.example"},
        {"subject": "Hello\rX-Injected: 1"},
        {"to": "not an address"},
    ],
)
async def test_header_injection_is_refused_before_anything_is_queued(
    mail_app: tuple[GraphQLClient, Runtime], variables: dict[str, str]
) -> None:
    gql, runtime = mail_app
    app_id = await application_with_version(gql, runtime)
    queued = await runtime.queue.zcard("arq:queue")
    body = await gql.run(APPLY, {"id": app_id, **variables})
    assert error_codes(body) == ["INVALID_INPUT"]
    assert await count_rows(runtime, "email_sends") == 0
    assert await runtime.queue.zcard("arq:queue") == queued


async def test_no_recipient_anywhere_is_a_clear_error(
    mail_app: tuple[GraphQLClient, Runtime],
) -> None:
    gql, runtime = mail_app
    app_id = await application_with_version(gql, runtime, resume="data", posting="analytics")
    assert error_codes(await gql.run(APPLY, {"id": app_id})) == ["RECIPIENT_UNKNOWN"]


async def test_permanent_rejection_fails_and_leaves_status(
    mail_app: tuple[GraphQLClient, Runtime], smtp: tuple[Inbox, int]
) -> None:
    gql, runtime = mail_app
    smtp[0].rcpt_replies.append("550 5.1.1 mailbox unavailable")
    app_id = await application_with_version(gql, runtime)
    send_id = (await gql.ok(APPLY, {"id": app_id}))["applyByEmail"]["id"]
    assert await run_task(runtime, send_id) == "FAILED"
    state = (await gql.ok(SEND, {"id": send_id}))["emailSend"]
    assert state["errorCode"] == "SMTP_REJECTED" and state["sentAt"] is None
    assert (await gql.ok(APP, {"id": app_id}))["application"]["status"] == "PENDING"
    assert (await gql.ok(COUNTS))["applicationAnalytics"] == []


async def test_transient_deferral_is_retried_then_sent(
    mail_app: tuple[GraphQLClient, Runtime], smtp: tuple[Inbox, int]
) -> None:
    gql, runtime = mail_app
    smtp[0].rcpt_replies.append("451 4.3.0 try again later")
    app_id = await application_with_version(gql, runtime)
    send_id = (await gql.ok(APPLY, {"id": app_id}))["applyByEmail"]["id"]
    with pytest.raises(Retry):
        await run_task(runtime, send_id, job_try=1)
    assert (await gql.ok(APP, {"id": app_id}))["application"]["status"] == "PENDING"
    assert await run_task(runtime, send_id, job_try=2) == "SENT"
    assert (await gql.ok(SEND, {"id": send_id}))["emailSend"]["attempts"] == 2
    assert (await gql.ok(APP, {"id": app_id}))["application"]["status"] == "APPLIED"


@pytest.mark.parametrize("mail_app", [{"smtp_port": 1}], indirect=True)
async def test_unreachable_server_fails_after_the_last_try(
    mail_app: tuple[GraphQLClient, Runtime],
) -> None:
    gql, runtime = mail_app
    app_id = await application_with_version(gql, runtime)
    send_id = (await gql.ok(APPLY, {"id": app_id}))["applyByEmail"]["id"]
    with pytest.raises(Retry):
        await run_task(runtime, send_id, job_try=1)
    assert await run_task(runtime, send_id, job_try=2) == "FAILED"
    state = (await gql.ok(SEND, {"id": send_id}))["emailSend"]
    assert state["errorCode"] == "SMTP_TEMPORARY_FAILURE"


@pytest.mark.parametrize("mail_app", [{"max_email_attachment_bytes": 2000}], indirect=True)
async def test_attachment_cap(
    mail_app: tuple[GraphQLClient, Runtime], smtp: tuple[Inbox, int]
) -> None:
    gql, runtime = mail_app
    app_id = await application_with_version(gql, runtime)
    send_id = (await gql.ok(APPLY, {"id": app_id}))["applyByEmail"]["id"]
    assert await run_task(runtime, send_id) == "FAILED"
    assert (await gql.ok(SEND, {"id": send_id}))["emailSend"]["errorCode"] == (
        "ATTACHMENT_TOO_LARGE"
    )
    assert smtp[0].messages == []


@pytest.mark.parametrize("mail_app", [{"apply_email_rate_limit_per_minute": 1}], indirect=True)
async def test_per_user_rate_limit(mail_app: tuple[GraphQLClient, Runtime]) -> None:
    gql, runtime = mail_app
    app_id = await application_with_version(gql, runtime)
    await gql.ok(APPLY, {"id": app_id})
    second = await gql.run(APPLY, {"id": app_id})
    assert error_codes(second) == ["RATE_LIMITED"]
    assert 1 <= second["errors"][0]["extensions"]["retryAfter"] <= 61
    assert await count_rows(runtime, "email_sends") == 1


async def test_the_worker_process_sends_it(
    mail_app: tuple[GraphQLClient, Runtime],
    smtp: tuple[Inbox, int],
    workers: WorkerProcesses,
) -> None:
    gql, runtime = mail_app
    app_id = await application_with_version(gql, runtime)
    workers.start(
        TAILOR_SMTP_PORT=str(smtp[1]),
        TAILOR_MAIL_FROM_ADDRESS="apply@tailor.example",
        TAILOR_STORAGE_ROOT=str(runtime.settings.storage_root),
    )
    send_id = (await gql.ok(APPLY, {"id": app_id}))["applyByEmail"]["id"]
    async with asyncio.timeout(60):
        for _ in range(600):  # wait on the condition (the timeout bounds it)
            # SENDING is committed before SMTP is called: wait for the send to settle.
            if (await gql.ok(SEND, {"id": send_id}))["emailSend"]["status"] not in (
                "QUEUED",
                "SENDING",
            ):
                break
            await asyncio.sleep(0.2)
    assert (await gql.ok(SEND, {"id": send_id}))["emailSend"]["status"] == "SENT"
    assert len(smtp[0].messages) == 1
    assert (await gql.ok(APP, {"id": app_id}))["application"]["status"] == "APPLIED"


async def test_a_send_whose_queue_entry_was_lost_is_queued_again(
    mail_app: tuple[GraphQLClient, Runtime], smtp: tuple[Inbox, int]
) -> None:
    import datetime as dt

    from app import queue
    from app.services.sweeper import sweep

    gql, runtime = mail_app
    app_id = await application_with_version(gql, runtime)
    send_id = (await gql.ok(APPLY, {"id": app_id}))["applyByEmail"]["id"]
    entry = queue.email_id(uuid.UUID(send_id))
    assert await queue.entry_exists(runtime.queue, entry)
    await runtime.queue.flushdb()  # Redis restarted without persistence
    assert not await queue.entry_exists(runtime.queue, entry)
    report = await sweep(runtime)  # too young to be called lost
    assert report.emails_requeued == []
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=2)
    report = await sweep(runtime, now=later)
    assert report.emails_requeued == [uuid.UUID(send_id)]
    assert await queue.entry_exists(runtime.queue, entry)
    assert await run_task(runtime, send_id) == "SENT"
    assert len(smtp[0].messages) == 1
