"""arq task: send one apply-by-e-mail message (thin wrapper over the delivery service).

Short transactions around the SMTP call, none held open while the mail server answers:
the send is committed SENDING (one more attempt) before SMTP is called and SENT after the
server accepted it. A run that finds it still SENDING knows an earlier run died in
between and records UNCONFIRMED rather than sending a second copy.
"""

from __future__ import annotations

import uuid
from typing import Any

from app.db.unit_of_work import transaction
from app.runtime import Runtime
from app.services.apply_email import FAILED, SENT, UNCONFIRMED
from app.services.email_delivery import (
    begin_sending,
    claim,
    compose_claimed,
    mark_failed,
    mark_sent,
    mark_unconfirmed,
    release_for_retry,
    resolve_interrupted,
)
from app.services.email_smtp import (
    PermanentSendError,
    TransientSendError,
    UnconfirmedSendError,
    smtp_send,
)
from workers.tasks import TRANSIENT, retry_if_tries_left


async def deliver(runtime: Runtime, send_id: uuid.UUID) -> str | None:
    """Send one queued e-mail. Returns the final status, or None if there was nothing to do.
    Raises TransientSendError when a retry may succeed (nothing was delivered)."""
    async with transaction(runtime.db) as session:
        if await resolve_interrupted(session, send_id):
            return UNCONFIRMED
        claimed = await claim(session, send_id)
    if claimed is None:
        return None
    try:
        message = await compose_claimed(runtime, claimed)
    except PermanentSendError as exc:
        async with transaction(runtime.db) as session:
            await mark_failed(session, send_id, exc.code, exc.message)
        return FAILED
    async with transaction(runtime.db) as session:
        if not await begin_sending(session, send_id):
            return None
    try:
        await smtp_send(runtime.settings, message)
    except PermanentSendError as exc:
        async with transaction(runtime.db) as session:
            await mark_failed(session, send_id, exc.code, exc.message)
        return FAILED
    except UnconfirmedSendError as exc:
        async with transaction(runtime.db) as session:
            await mark_unconfirmed(session, send_id, str(exc))
        return UNCONFIRMED
    except TransientSendError:
        async with transaction(runtime.db) as session:
            await release_for_retry(session, send_id)
        raise
    async with transaction(runtime.db) as session:
        await mark_sent(session, runtime, claimed.send)
    return SENT


async def send_application_email(ctx: dict[str, Any], send_id: str) -> str | None:
    runtime: Runtime = ctx["runtime"]
    try:
        return await deliver(runtime, uuid.UUID(send_id))
    except TransientSendError as exc:
        retry_if_tries_left(ctx, runtime, exc, send_id=send_id)
        async with transaction(runtime.db) as session:
            await mark_failed(
                session,
                uuid.UUID(send_id),
                "SMTP_TEMPORARY_FAILURE",
                "the mail server could not be reached or deferred the message on every try",
            )
        return FAILED
    except TRANSIENT as exc:
        # Database or storage trouble. If it struck after the server took the message,
        # the send is still SENDING and the retry records UNCONFIRMED; if no try is left,
        # the sweeper does.
        retry_if_tries_left(ctx, runtime, exc, send_id=send_id)
        raise
