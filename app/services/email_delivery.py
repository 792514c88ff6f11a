"""The worker half of apply-by-e-mail: compose the MIME message and hand it to SMTP.

Transient failures (connection refused or dropped, timeouts, 4xx replies) raise
`TransientSendError` so the task retries with backoff; permanent ones (5xx replies, an
attachment over the cap, the version gone) end the send as FAILED with a clear code.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate

import aiosmtplib
import structlog
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from app import queue
from app.db.models import Application, EmailSend, User, Version
from app.db.models.enums import ApplicationStatus, ExportDocument, ExportFormat
from app.db.unit_of_work import after_commit, reading, transaction
from app.exports import FORMATS, ExportError, export, stored_document
from app.runtime import Runtime
from app.services import analytics
from app.services import applications as app_service
from app.services.apply_email import FAILED, QUEUED, SENT
from app.services.share_links import ready_export_keys

log = structlog.get_logger("apply_email")

# (maintype, subtype, extension) of the attachable formats, from the one format table.
MIME = {fmt: (*FORMATS[fmt].mime, FORMATS[fmt].extension) for fmt in ("PDF", "DOCX")}


class TransientSendError(Exception):
    """Worth another try later (the task's retry helper decides how many)."""


class PermanentSendError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Attachment:
    filename: str
    data: bytes
    fmt: str


def _file_stem(version: Version, user: User) -> str:
    name = user.display_name or str(version.content.get("resume", {}).get("name") or "")
    stem = re.sub(r"[^A-Za-z0-9 ._-]+", "", name).strip()
    return stem or "Application"


@dataclass(frozen=True)
class Claimed:
    """A send this attempt owns, with what composing it needs (read in the claim)."""

    send: EmailSend
    user: User
    version: Version | None
    ready_keys: dict[ExportDocument, str]  # stored files of READY exports in its format


async def _document(
    runtime: Runtime, claimed: Claimed, version: Version, document: ExportDocument, fmt: str
) -> bytes:
    """A READY export of this version if there is one, else rendered now (off the loop)."""
    ready_key = claimed.ready_keys.get(document)
    if ready_key:
        return await runtime.store.get(ready_key)
    if document is ExportDocument.RESUME:
        markdown, kind = version.markdown, "resume"
    else:
        markdown, kind = str(version.content.get("cover_letter_markdown") or ""), "cover_letter"
    doc = stored_document(version.content, markdown, kind)  # type: ignore[arg-type]
    result = await asyncio.to_thread(export, doc, fmt, version.template)  # type: ignore[arg-type]
    return result.data


async def attachments_for(runtime: Runtime, claimed: Claimed) -> list[Attachment]:
    """The resume (and letter, if any) in the send's format; PermanentSendError if the
    version is gone, they cannot be rendered or they are over the size cap."""
    version, fmt = claimed.version, claimed.send.attachment_format
    if version is None or version.deleted_at is not None:
        raise PermanentSendError("VERSION_REQUIRED", "the version to attach was deleted")
    stem = _file_stem(version, claimed.user)
    ext = MIME[fmt][2]
    files = [Attachment(f"{stem} - Resume.{ext}", b"", fmt)]
    has_letter = bool(str(version.content.get("cover_letter_markdown") or "").strip())
    if has_letter:
        files.append(Attachment(f"{stem} - Cover letter.{ext}", b"", fmt))
    documents = [ExportDocument.RESUME, ExportDocument.COVER_LETTER][: len(files)]
    try:
        data = [await _document(runtime, claimed, version, d, fmt) for d in documents]
    except ExportError as exc:
        raise PermanentSendError("EXPORT_FAILED", "the attachments could not be rendered") from exc
    total = sum(len(d) for d in data)
    cap = runtime.settings.max_email_attachment_bytes
    if total > cap:
        raise PermanentSendError(
            "ATTACHMENT_TOO_LARGE", f"attachments are {total} bytes; the limit is {cap}"
        )
    return [Attachment(f.filename, d, fmt) for f, d in zip(files, data, strict=True)]


def compose(runtime: Runtime, send: EmailSend, user: User, files: list[Attachment]) -> EmailMessage:
    settings = runtime.settings
    message = EmailMessage()
    message["From"] = formataddr((user.display_name or user.email, settings.mail_from_address))
    message["Reply-To"] = user.email
    message["To"] = send.to_address
    message["Subject"] = send.subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = send.message_id
    message.set_content(send.body)
    for file in files:
        maintype, subtype, _ = MIME[file.fmt]
        message.add_attachment(
            file.data, maintype=maintype, subtype=subtype, filename=file.filename
        )
    return message


def _classify(exc: Exception) -> Exception:
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        codes = [r.code for r in exc.recipients]
        if codes and all(400 <= c < 500 for c in codes):
            return TransientSendError(f"recipient deferred ({codes[0]})")
        return PermanentSendError("SMTP_REJECTED", "the mail server refused the recipient")
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        if 400 <= exc.code < 500:
            return TransientSendError(f"mail server deferred ({exc.code})")
        return PermanentSendError(
            "SMTP_REJECTED", f"the mail server refused the message ({exc.code})"
        )
    return TransientSendError(type(exc).__name__)  # connection, timeout, disconnect


async def smtp_send(runtime: Runtime, message: EmailMessage) -> None:
    """Hand the message to the mail server; TransientSendError / PermanentSendError."""
    s = runtime.settings
    try:
        await aiosmtplib.send(
            message,
            hostname=s.smtp_host,
            port=s.smtp_port,
            username=s.smtp_username,
            password=s.smtp_password.get_secret_value() if s.smtp_password else None,
            use_tls=s.smtp_security == "tls",
            start_tls=s.smtp_security == "starttls",
            timeout=s.smtp_timeout_s,
        )
    except (aiosmtplib.SMTPException, OSError) as exc:
        raise _classify(exc) from exc


async def claim(session: AsyncSession, send_id: uuid.UUID) -> Claimed | None:
    """Count an attempt of a QUEUED send and read what composing it needs; None if there
    is nothing to send. The caller commits before talking to SMTP, so every attempt counts
    even if the worker dies mid-send."""
    send = await session.get(EmailSend, send_id)
    if send is None or send.status != QUEUED:
        return None
    application = await session.get(Application, send.application_id)
    user = await session.get(User, send.user_id)
    if application is None or user is None:
        return None
    version = await session.get(Version, application.version_id) if application.version_id else None
    send.attempts += 1
    fmt = ExportFormat(send.attachment_format)
    ready = await ready_export_keys(session, version.id, fmt) if version is not None else {}
    return Claimed(send, user, version, ready)


async def send_claimed(runtime: Runtime, claimed: Claimed) -> None:
    """Compose the message and hand it to SMTP, outside any transaction (it can take the
    SMTP timeout); PermanentSendError or TransientSendError if it did not go."""
    files = await attachments_for(runtime, claimed)
    await smtp_send(runtime, compose(runtime, claimed.send, claimed.user, files))


async def mark_failed(session: AsyncSession, send_id: uuid.UUID, code: str, message: str) -> None:
    send = await session.get(EmailSend, send_id, with_for_update=True)
    if send is not None and send.status == QUEUED:
        send.status, send.error_code, send.error_message = FAILED, code, message
    log.info("apply_email_failed", send_id=str(send_id), error_code=code)


async def mark_sent(session: AsyncSession, runtime: Runtime, send: EmailSend) -> None:
    """Accepted by the server: SENT, APPLIED (if still pending), history, analytics, in the
    caller's transaction; the change is published after the commit."""
    row = await session.get(EmailSend, send.id, with_for_update=True)
    assert row is not None
    row.status, row.sent_at = SENT, dt.datetime.now(dt.UTC)
    application = await session.get(
        Application, send.application_id, with_for_update=True, populate_existing=True
    )
    if application is None:
        return
    domain = send.to_address.rsplit("@", 1)[-1]
    note = f"sent by e-mail to {domain}"
    if application.status is ApplicationStatus.PENDING:
        event = app_service.apply_status(
            session, application, ApplicationStatus.APPLIED, note, actor="system"
        )
    else:
        event = app_service.record_change(
            session, application, application.status, "email_sent", "system", note
        )
    analytics.record_server_event(
        session, application, "apply_email_sent", {"send_id": str(send.id), "to_domain": domain}
    )
    after_commit(session, lambda: app_service.publish_change(runtime, event))


LOST_GRACE_S = 30.0


async def sweep_lost_sends(runtime: Runtime, now: dt.datetime | None = None) -> list[uuid.UUID]:
    """For the sweeper: QUEUED sends whose queue entry vanished (Redis restarted without
    persistence, a killed worker's entry expired) are queued again, or FAILED once they
    used every try. Returns the ids queued again. A batch driver: one short transaction
    per send, so one send's trouble never holds the others' locks."""
    now = now or dt.datetime.now(dt.UTC)
    cutoff = now - dt.timedelta(seconds=LOST_GRACE_S)
    async with reading(runtime.db) as session:
        result = await session.execute(
            select(EmailSend.id)
            .where(EmailSend.status == QUEUED, EmailSend.updated_at < cutoff)
            .order_by(EmailSend.updated_at)
            .limit(200)
        )
        candidates = list(result.scalars())
    requeued: list[uuid.UUID] = []
    for send_id in candidates:
        if await queue.entry_exists(runtime.queue, queue.email_id(send_id)):
            continue
        async with transaction(runtime.db) as session:
            still_lost = await _mark_requeued(session, runtime, send_id, now)
        if still_lost and await queue.enqueue_email(runtime.queue, send_id):
            requeued.append(send_id)
    return requeued


async def _mark_requeued(
    session: AsyncSession, runtime: Runtime, send_id: uuid.UUID, now: dt.datetime
) -> bool:
    """True if the send is to be queued again; FAILED once it used every try."""
    row = await session.get(EmailSend, send_id, with_for_update=True)
    if row is None or row.status != QUEUED:
        return False
    if row.attempts >= runtime.settings.job_max_tries:
        row.status, row.error_code = FAILED, "SMTP_TEMPORARY_FAILURE"
        row.error_message = "the send was lost and retried as often as allowed"
        return False
    row.updated_at = now  # not picked again before this entry had its chance
    return True
