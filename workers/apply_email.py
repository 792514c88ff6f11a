"""arq task: send one apply-by-e-mail message (thin wrapper over the delivery service).

Three short transactions, not one: the attempt is counted and committed before SMTP is
called (a worker killed mid-send still used a try), nothing is held open while the mail
server answers, and the outcome is recorded afterwards.
"""

from __future__ import annotations

import uuid
from typing import Any

from app.db.unit_of_work import transaction
from app.runtime import Runtime
from app.services.apply_email import FAILED, SENT
from app.services.email_delivery import (
    PermanentSendError,
    TransientSendError,
    claim,
    mark_failed,
    mark_sent,
    send_claimed,
)
from workers.tasks import retry_if_tries_left


async def deliver(runtime: Runtime, send_id: uuid.UUID) -> str | None:
    """Send one queued e-mail. Returns the final status, or None if there was nothing to do.
    Raises TransientSendError when a retry may succeed."""
    async with transaction(runtime.db) as session:
        claimed = await claim(session, send_id)
    if claimed is None:
        return None
    try:
        await send_claimed(runtime, claimed)
    except PermanentSendError as exc:
        async with transaction(runtime.db) as session:
            await mark_failed(session, send_id, exc.code, exc.message)
        return FAILED
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
        return "FAILED"
