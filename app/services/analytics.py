"""Analytics events about applications: a closed set of kinds with validated, size-capped
payloads, and counts per kind and day.

Clients may send the kinds they witness (application_started, autofill_copied,
job_page_opened, submitted); apply_email_sent and status_changed are recorded by the
server itself, in the transaction of the change, so they cannot be forged or lost.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import uuid
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from sqlalchemy import Date, cast, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import AnalyticsEvent, Application
from app.errors import AppError, InvalidInput
from app.runtime import Runtime
from app.services import gates
from app.services.ownership import owned

MAX_PAYLOAD_BYTES = 2048


class AnalyticsKind(str, enum.Enum):
    APPLICATION_STARTED = "application_started"
    AUTOFILL_COPIED = "autofill_copied"
    JOB_PAGE_OPENED = "job_page_opened"
    SUBMITTED = "submitted"
    APPLY_EMAIL_SENT = "apply_email_sent"
    STATUS_CHANGED = "status_changed"


MAX_RANGE_DAYS = 366


class _Payload(BaseModel):
    model_config = ConfigDict(extra="forbid", str_max_length=500)


class ApplicationStarted(_Payload):
    source: str | None = Field(default=None, max_length=100)


class AutofillCopied(_Payload):
    # A form-data field path such as "email" or "links.github" or "work_history.0.title".
    field: str = Field(min_length=1, max_length=100, pattern=r"^[a-z_]+(\.[a-z0-9_]+){0,2}$")


class JobPageOpened(_Payload):
    url: str | None = Field(default=None, max_length=2000, pattern=r"^https?://\S+$")


class Submitted(_Payload):
    channel: Literal["web", "email", "other"] = "web"


class ApplyEmailSent(_Payload):
    send_id: str
    to_domain: str


class StatusChanged(_Payload):
    from_: str = Field(alias="from")
    to: str


CLIENT_KINDS: dict[str, type[_Payload]] = {
    "application_started": ApplicationStarted,
    "autofill_copied": AutofillCopied,
    "job_page_opened": JobPageOpened,
    "submitted": Submitted,
}
SERVER_KINDS: dict[str, type[_Payload]] = {
    "apply_email_sent": ApplyEmailSent,
    "status_changed": StatusChanged,
}
KINDS = (*CLIENT_KINDS, *SERVER_KINDS)


@dataclass(frozen=True)
class DailyCount:
    day: dt.date
    kind: str
    count: int


def validate_payload(kind: str, payload: dict[str, Any] | None) -> dict[str, Any]:
    """The payload checked against its kind's schema, as it will be stored."""
    if kind in SERVER_KINDS:
        raise InvalidInput(f"'{kind}' events are recorded by the server only", field="kind")
    schema = CLIENT_KINDS.get(kind)
    if schema is None:
        raise InvalidInput(f"unknown kind; one of {', '.join(CLIENT_KINDS)}", field="kind")
    raw = payload or {}
    if len(json.dumps(raw, separators=(",", ":"))) > MAX_PAYLOAD_BYTES:
        raise AppError(f"payload is limited to {MAX_PAYLOAD_BYTES} bytes", code="SIZE_EXCEEDED")
    try:
        checked = schema.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "payload"
        raise InvalidInput(f"payload.{where}: {first['msg']}", field="payload") from exc
    return checked.model_dump(exclude_none=True)


async def track(
    session: AsyncSession,
    runtime: Runtime,
    user_id: uuid.UUID,
    application_id: uuid.UUID,
    kind: str,
    payload: dict[str, Any] | None,
) -> AnalyticsEvent:
    clean = validate_payload(kind, payload)
    await gates.check_analytics(runtime, user_id)
    await owned(session, Application, application_id, user_id, what="application")
    event = AnalyticsEvent(
        user_id=user_id,
        application_id=application_id,
        kind=kind,
        source="client",
        payload=clean,
    )
    session.add(event)
    await session.flush()  # its id and time, for the caller to return
    return event


def record_server_event(
    session: AsyncSession, application: Application, kind: str, payload: dict[str, Any]
) -> None:
    """Inside the caller's transaction: the event exists exactly when the change does."""
    SERVER_KINDS[kind].model_validate(payload)  # a bug here must fail loudly, not store junk
    session.add(
        AnalyticsEvent(
            user_id=application.user_id,
            application_id=application.id,
            kind=kind,
            source="server",
            payload=payload,
        )
    )


async def daily_counts(
    session: AsyncSession,
    user_id: uuid.UUID,
    *,
    since: dt.date,
    until: dt.date,
    application_id: uuid.UUID | None = None,
) -> list[DailyCount]:
    if until < since or (until - since).days > MAX_RANGE_DAYS:
        raise InvalidInput(f"the range must be 0 to {MAX_RANGE_DAYS} days", field="to")
    day = cast(func.timezone("UTC", AnalyticsEvent.created_at), Date)
    query = (
        select(day.label("day"), AnalyticsEvent.kind, func.count())
        .where(
            AnalyticsEvent.user_id == user_id,
            day >= since,
            day <= until,
        )
        .group_by(day, AnalyticsEvent.kind)
        .order_by(day, AnalyticsEvent.kind)
    )
    if application_id is not None:
        query = query.where(AnalyticsEvent.application_id == application_id)
    rows = (await session.execute(query)).all()
    return [DailyCount(r[0], r[1], int(r[2])) for r in rows]
