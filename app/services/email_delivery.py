"""The worker half of apply-by-e-mail: compose the MIME message and hand it to SMTP, at
most once unless the user says otherwise.

A run reads the QUEUED send and composes the message, commits SENDING (one more attempt),
talks to SMTP outside any transaction, then commits SENT. A run that finds the send still
SENDING knows an earlier one died in the middle (killed worker, lost database connection):
the server may have accepted the message, so it records UNCONFIRMED instead of sending
again, and only the user's confirmed re-send (apply_email.confirm_resend, same
Message-ID) queues it once more. Failures the server answered (5xx: FAILED; 4xx, or a
connection lost before the content went out: retried) never delivered anything, so they
keep their old handling; see email_smtp for how they are told apart.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
import uuid
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate

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
from app.services.apply_email import FAILED, QUEUED, SENDING, SENT, UNCONFIRMED, entry_id
from app.services.email_smtp import PermanentSendError
from app.services.share_links import ready_export_keys

log = structlog.get_logger("apply_email")

# (maintype, subtype, extension) of the attachable formats, from the one format table.
MIME = {fmt: (*FORMATS[fmt].mime, FORMATS[fmt].extension) for fmt in ("PDF", "DOCX")}


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


async def claim(session: AsyncSession, send_id: uuid.UUID) -> Claimed | None:
    """Read a QUEUED send and what composing it needs; None if there is nothing to send.
    Changes nothing: `begin_sending` takes the send once the message is composed."""
    send = await session.get(EmailSend, send_id)
    if send is None or send.status != QUEUED:
        return None
    application = await session.get(Application, send.application_id)
    user = await session.get(User, send.user_id)
    if application is None or user is None:
        return None
    version = await session.get(Version, application.version_id) if application.version_id else None
    fmt = ExportFormat(send.attachment_format)
    ready = await ready_export_keys(session, version.id, fmt) if version is not None else {}
    return Claimed(send, user, version, ready)


async def compose_claimed(runtime: Runtime, claimed: Claimed) -> EmailMessage:
    """The message to send (attachments rendered or read), before anything is recorded:
    a failure here never leaves a send SENDING. PermanentSendError if it cannot be made."""
    files = await attachments_for(runtime, claimed)
    return compose(runtime, claimed.send, claimed.user, files)


async def _locked(session: AsyncSession, send_id: uuid.UUID) -> EmailSend | None:
    return await session.get(EmailSend, send_id, with_for_update=True, populate_existing=True)


async def resolve_interrupted(session: AsyncSession, send_id: uuid.UUID) -> bool:
    """A send still SENDING when a run starts was being handed to SMTP by a run that died
    (only one run holds a send's queue entry at a time): UNCONFIRMED, never sent again
    here. True if that is what this send was."""
    row = await _locked(session, send_id)
    if row is None or row.status != SENDING:
        return False
    row.status, row.error_code, row.error_message = UNCONFIRMED, "DELIVERY_UNCONFIRMED", UNKNOWN
    log.warning("apply_email_unconfirmed", send_id=str(send_id), attempts=row.attempts)
    return True


_NOT_AGAIN = (
    "; it is not sent again unless you confirm a re-send "
    "(resendApplicationEmail with confirmResend: true; same Message-ID)"
)
UNKNOWN = (
    "the worker stopped while handing this message to the mail server, so it may have "
    "been delivered" + _NOT_AGAIN
)
CONNECTION_LOST = (
    "the connection to the mail server was lost while the message was being handed over, "
    "so it may have been delivered" + _NOT_AGAIN
)


async def begin_sending(session: AsyncSession, send_id: uuid.UUID) -> bool:
    """QUEUED -> SENDING and one more attempt, committed by the caller BEFORE talking to
    SMTP: if this run dies after the server took the message, the next one knows not to
    send blindly. False if the send is no longer QUEUED (nothing to do)."""
    row = await _locked(session, send_id)
    if row is None or row.status != QUEUED:
        return False
    row.status, row.attempts = SENDING, row.attempts + 1
    return True


async def release_for_retry(session: AsyncSession, send_id: uuid.UUID) -> None:
    """SENDING -> QUEUED after a failure the server answered or a connection lost before
    the content went out: nothing was delivered, so a retry is safe."""
    row = await _locked(session, send_id)
    if row is not None and row.status == SENDING:
        row.status = QUEUED


async def mark_unconfirmed(session: AsyncSession, send_id: uuid.UUID, detail: str) -> None:
    """The connection failed while the content was on its way: outcome unknown."""
    row = await _locked(session, send_id)
    if row is not None and row.status == SENDING:
        row.status, row.error_code = UNCONFIRMED, "DELIVERY_UNCONFIRMED"
        row.error_message = CONNECTION_LOST
    log.warning("apply_email_unconfirmed", send_id=str(send_id), error=detail)


async def mark_failed(session: AsyncSession, send_id: uuid.UUID, code: str, message: str) -> None:
    send = await _locked(session, send_id)
    if send is not None and send.status in (QUEUED, SENDING):
        send.status, send.error_code, send.error_message = FAILED, code, message
    log.info("apply_email_failed", send_id=str(send_id), error_code=code)


async def mark_sent(session: AsyncSession, runtime: Runtime, send: EmailSend) -> None:
    """Accepted by the server: SENT, APPLIED (if still pending), history, analytics, in the
    caller's transaction; the change is published after the commit."""
    row = await _locked(session, send.id)
    if row is None or row.status == SENT:  # recorded already: history and analytics once
        return
    # Whatever a concurrent run concluded meanwhile (UNCONFIRMED, or QUEUED again after a
    # confirmed re-send), the server has the message: SENT, and a queued re-send finds
    # nothing to do.
    row.status, row.sent_at = SENT, dt.datetime.now(dt.UTC)
    row.error_code = row.error_message = None
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
    """For the sweeper: sends whose queue entry vanished (Redis restarted without
    persistence, a killed worker's entry expired or used its last try). A QUEUED one is
    queued again, or FAILED once it used every try; a SENDING one died mid-send and is
    UNCONFIRMED (nothing would ever run it again). Returns the ids queued again. A batch
    driver: one short transaction per send, so one send's trouble holds no other lock."""
    now = now or dt.datetime.now(dt.UTC)
    cutoff = now - dt.timedelta(seconds=LOST_GRACE_S)
    async with reading(runtime.db) as session:
        result = await session.execute(
            select(EmailSend.id, EmailSend.arq_job_id)
            .where(EmailSend.status.in_((QUEUED, SENDING)), EmailSend.updated_at < cutoff)
            .order_by(EmailSend.updated_at)
            .limit(200)
        )
        candidates = [(row.id, entry_id(row.id, row.arq_job_id)) for row in result]
    requeued: list[uuid.UUID] = []
    for send_id, arq_id in candidates:
        if await queue.entry_exists(runtime.queue, arq_id):
            continue
        async with transaction(runtime.db) as session:
            still_lost = await _settle_lost(session, runtime, send_id, now)
        if still_lost and await queue.enqueue(
            runtime.queue, queue.Task.APPLICATION_EMAIL, send_id, arq_id
        ):
            requeued.append(send_id)
    return requeued


async def _settle_lost(
    session: AsyncSession, runtime: Runtime, send_id: uuid.UUID, now: dt.datetime
) -> bool:
    """True if the send is to be queued again; FAILED once it used every try; UNCONFIRMED
    if it was SENDING. Checked again under the lock: a send that moved since it was read
    (updated_at is newer) is not lost."""
    row = await _locked(session, send_id)
    if row is None or row.updated_at >= now - dt.timedelta(seconds=LOST_GRACE_S):
        return False
    if row.status == SENDING:
        await resolve_interrupted(session, send_id)
        return False
    if row.status != QUEUED:
        return False
    if row.attempts >= runtime.settings.job_max_tries:
        row.status, row.error_code = FAILED, "SMTP_TEMPORARY_FAILURE"
        row.error_message = "the send was lost and retried as often as allowed"
        return False
    row.updated_at = now  # not picked again before this entry had its chance
    return True
