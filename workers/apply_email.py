"""arq task: send one apply-by-e-mail message (thin wrapper over the delivery service)."""

from __future__ import annotations

import uuid
from typing import Any

from app.runtime import Runtime
from app.services.email_delivery import TransientSendError, deliver, mark_failed
from workers.tasks import retry_if_tries_left


async def send_application_email(ctx: dict[str, Any], send_id: str) -> str | None:
    runtime: Runtime = ctx["runtime"]
    try:
        return await deliver(runtime, uuid.UUID(send_id))
    except TransientSendError as exc:
        retry_if_tries_left(ctx, runtime, exc, send_id=send_id)
        await mark_failed(
            runtime,
            uuid.UUID(send_id),
            "SMTP_TEMPORARY_FAILURE",
            "the mail server could not be reached or deferred the message on every try",
        )
        return "FAILED"
