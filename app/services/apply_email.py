"""Apply by e-mail: the API checks and queues the request; the worker composes the MIME
message (tailored resume and cover letter attached) and sends it with aiosmtplib.

Header injection is refused up front: a CR/LF anywhere in a header value, or more than one
address where one is expected, is INVALID_INPUT before anything is queued. The
application moves to APPLIED, and `apply_email_sent` is recorded, only once the SMTP
server has accepted the message, in the transaction that marks the send SENT.

A send whose delivery is UNCONFIRMED (a worker died while handing it to the mail server)
goes again only through `confirm_resend`, with the same Message-ID, so a receiving
system that already has it can drop the copy.
"""

from __future__ import annotations

import re
import uuid
from email.utils import getaddresses, make_msgid
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app import queue
from app.db.models import Application, EmailSend, JobDescription, User, Version
from app.db.models.enums import ExportFormat
from app.errors import AppError, InvalidInput
from app.runtime import Runtime
from app.services import gates
from app.services.lookups import grouped_by_parent
from app.services.ownership import owned
from app.services.request_ids import checked_client_request_id
from app.services.users import normalise_email

QUEUED, SENDING, SENT, FAILED = "QUEUED", "SENDING", "SENT", "FAILED"
UNCONFIRMED = "UNCONFIRMED"  # handed to SMTP by a run that died before recording it
ATTACHABLE = (ExportFormat.PDF, ExportFormat.DOCX)
MAX_SUBJECT = 200
MAX_MESSAGE = 10_000
_EMAIL_IN_TEXT = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def refuse_line_breaks(value: str, field: str) -> str:
    """Header values never contain line breaks: that is how headers get injected."""
    if _LINE_BREAKS.search(value) or "\x00" in value:
        raise InvalidInput(f"{field} must be a single line", field=field)
    return value


def single_address(value: str, field: str = "to") -> str:
    """Exactly one bare address: no lists, no display names smuggling a second one."""
    refuse_line_breaks(value, field)
    value = value.strip()
    parsed = getaddresses([value])
    if any(sep in value for sep in ",;") or len(parsed) != 1 or parsed[0][1] != value:
        raise InvalidInput(f"{field} must be exactly one e-mail address", field=field)
    try:
        return normalise_email(value)
    except InvalidInput as exc:
        raise InvalidInput(f"{field} is not a valid e-mail address", field=field) from exc


def addresses_in(text: str) -> list[str]:
    """E-mail addresses written in a job posting, in order, without duplicates."""
    found: list[str] = []
    for match in _EMAIL_IN_TEXT.finditer(text):
        address = match.group(0).strip(".").lower()
        if address not in found:
            found.append(address)
    return found


async def _recipient(session: AsyncSession, application: Application, given: str | None) -> str:
    if given is not None and given.strip():
        return single_address(given)
    if application.contact_email:
        return application.contact_email
    posting = (
        await session.get(JobDescription, application.job_description_id)
        if application.job_description_id
        else None
    )
    for address in addresses_in(posting.text if posting else ""):
        try:
            return single_address(address)
        except InvalidInput:
            continue
    raise AppError(
        "no recipient: the posting has no e-mail address; pass 'to'", code="RECIPIENT_UNKNOWN"
    )


def default_subject(application: Application, user: User) -> str:
    role = application.role_title or "the open position"
    name = user.display_name or user.email.split("@")[0]
    return f"Application for {role} - {name}"[:MAX_SUBJECT]


def default_message(application: Application, user: User) -> str:
    role = application.role_title or "the open position"
    at = f" at {application.company}" if application.company else ""
    name = user.display_name or user.email
    return (
        f"Hello,\n\nplease find attached my resume and cover letter for {role}{at}.\n\n"
        f"Kind regards,\n{name}\n"
    )


def _check_inputs(
    to: str | None, subject: str | None, message: str | None, attachment_format: ExportFormat
) -> None:
    if attachment_format not in ATTACHABLE:
        raise InvalidInput("attachments are PDF or DOCX", field="format")
    if subject is not None:
        refuse_line_breaks(subject, "subject")
        if len(subject) > MAX_SUBJECT:
            raise InvalidInput(f"subject is limited to {MAX_SUBJECT} characters", field="subject")
    if message is not None and len(message) > MAX_MESSAGE:
        raise InvalidInput(f"message is limited to {MAX_MESSAGE} characters", field="message")
    if to is not None:
        single_address(to)


async def _earlier_send(
    session: AsyncSession, user_id: uuid.UUID, key: str, request: dict[str, Any]
) -> EmailSend | None:
    """The send this user already made under `key`, if the same request; holds a lock on
    the key until the caller's transaction ends, so a concurrent twin waits and finds it."""
    lock_key = func.hashtextextended(f"email-request:{user_id}:{key}", 0)
    await session.execute(select(func.pg_advisory_xact_lock(lock_key)))
    found = await session.scalar(
        select(EmailSend).where(EmailSend.user_id == user_id, EmailSend.client_request_id == key)
    )
    if found is None:
        return None
    stored = {
        "application_id": found.application_id,
        "attachment_format": found.attachment_format,
        "to": found.to_address,
        "subject": found.subject,
        "message": found.body,
    }
    if any(value is not None and stored[name] != value for name, value in request.items()):
        raise InvalidInput(
            "this clientRequestId was already used for a different request",
            field="clientRequestId",
            code="IDEMPOTENCY_KEY_REUSED",
        )
    return found


def _as_stored(
    application_id: uuid.UUID,
    to: str | None,
    subject: str | None,
    message: str | None,
    attachment_format: ExportFormat,
) -> dict[str, Any]:
    """What was asked, as a stored send records it (None: not given, a default applies)."""
    return {
        "application_id": application_id,
        "attachment_format": attachment_format.value,
        "to": single_address(to) if to is not None and to.strip() else None,
        "subject": subject.strip() if subject and subject.strip() else None,
        "message": message if message and message.strip() else None,
    }


async def request_send(
    session: AsyncSession,
    runtime: Runtime,
    user_id: uuid.UUID,
    application_id: uuid.UUID,
    *,
    to: str | None = None,
    subject: str | None = None,
    message: str | None = None,
    attachment_format: ExportFormat = ExportFormat.PDF,
    client_request_id: str | None = None,
) -> EmailSend:
    """Check and queue a send; with `client_request_id`, a repeat of the same request
    returns the send it made (nothing new queued, no rate-limit hit)."""
    _check_inputs(to, subject, message, attachment_format)
    key = checked_client_request_id(client_request_id)
    if key is not None:
        asked = _as_stored(application_id, to, subject, message, attachment_format)
        earlier = await _earlier_send(session, user_id, key, asked)
        if earlier is not None:
            return earlier
    application = await owned(session, Application, application_id, user_id, what="application")
    user = await session.get(User, user_id)
    version = await session.get(Version, application.version_id) if application.version_id else None
    assert user is not None
    if version is None or version.deleted_at is not None:
        raise AppError(
            "accept a version of the resume first; the e-mail attaches it",
            code="VERSION_REQUIRED",
        )
    refuse_line_breaks(user.display_name or "", "displayName")
    recipient = await _recipient(session, application, to)
    await gates.check_apply_email(runtime, user_id)
    send = EmailSend(
        id=uuid.uuid4(),
        user_id=user_id,
        application_id=application_id,
        status=QUEUED,
        to_address=recipient,
        subject=(subject or "").strip() or default_subject(application, user),
        body=message if message and message.strip() else default_message(application, user),
        attachment_format=attachment_format.value,
        message_id=make_msgid(domain=runtime.settings.mail_from_address.rsplit("@", 1)[-1]),
        attempts=0,
        client_request_id=key,
    )
    session.add(send)
    # Queued only once the row is committed: a worker never looks for a send not there yet
    # (and if Redis is away then, the sweeper queues the QUEUED row later).
    queue.enqueue_after_commit(
        session, runtime.queue, queue.Task.APPLICATION_EMAIL, send.id, queue.email_id(send.id)
    )
    return send


def entry_id(send_id: uuid.UUID, arq_job_id: str | None) -> str:
    """The send's current queue entry: its first (`email:<id>`) or a re-send's."""
    return arq_job_id or queue.email_id(send_id)


async def confirm_resend(
    session: AsyncSession,
    runtime: Runtime,
    user_id: uuid.UUID,
    send_id: uuid.UUID,
    *,
    confirmed: bool,
) -> EmailSend:
    """Queue an UNCONFIRMED send once more, same Message-ID, when the user confirms it.
    A send already QUEUED, SENDING or SENT is returned as it is (a repeated request
    queues nothing); a FAILED one was never delivered: apply by e-mail again."""
    send = await owned(session, EmailSend, send_id, user_id, what="e-mail")
    await session.refresh(send, with_for_update=True)
    if send.status in (QUEUED, SENDING, SENT):
        return send
    if send.status != UNCONFIRMED:
        raise AppError(
            "only a send whose delivery is unconfirmed can be re-sent; apply by e-mail again",
            code="EMAIL_NOT_RESENDABLE",
        )
    if not confirmed:
        raise AppError(
            "this message may already have been delivered; pass confirmResend: true to "
            "send it again (same Message-ID)",
            code="DELIVERY_UNCONFIRMED",
        )
    await gates.check_apply_email(runtime, user_id)
    # A fresh queue entry: arq refuses the old id while it keeps that entry's result.
    send.arq_job_id = f"{queue.email_id(send.id)}:{uuid.uuid4().hex[:12]}"
    send.status, send.error_code, send.error_message = QUEUED, None, None
    queue.enqueue_after_commit(
        session, runtime.queue, queue.Task.APPLICATION_EMAIL, send.id, send.arq_job_id
    )
    return send


async def get_send(session: AsyncSession, user_id: uuid.UUID, send_id: uuid.UUID) -> EmailSend:
    return await owned(session, EmailSend, send_id, user_id, what="e-mail")


async def sends_for(
    session: AsyncSession, application_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[EmailSend]]:
    """Each application's sends, newest first, in one query (for a DataLoader)."""
    return await grouped_by_parent(
        session, EmailSend, EmailSend.application_id, application_ids, EmailSend.created_at.desc()
    )
