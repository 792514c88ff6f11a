"""Credits: reserved when a job is accepted, released if it fails or is cancelled, settled
when it completes. Grants come from an admin (CLI or admin-only mutation).

Every change is a ledger row and the balance is their sum. A reservation locks the user's
row first, so concurrent requests see each other's reservations: a balance of 1 lets
exactly one job through, however many arrive at once. A unique (job_id, reason) index
makes every reserve/release/settle happen at most once per job.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import cast

from sqlalchemy import ColumnElement, Insert, Integer, String, Table, bindparam, func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from app.db.models import CreditLedgerEntry, TailoringJob, User
from app.errors import InsufficientCredits, InvalidInput, NotFound
from app.runtime import Runtime
from app.services.paging import Listing

RESERVE = "reserve"
RELEASE = "release"
SETTLE = "settle"
GRANT = "grant"
MAX_GRANT = 1_000_000


@dataclass(frozen=True)
class Grant:
    entry: CreditLedgerEntry
    balance: int


async def balance_of(session: AsyncSession, user_id: uuid.UUID) -> int:
    result = await session.execute(
        select(func.coalesce(func.sum(CreditLedgerEntry.delta), 0)).where(
            CreditLedgerEntry.user_id == user_id
        )
    )
    return int(result.scalar_one())


async def _lock_user(session: AsyncSession, user_id: uuid.UUID) -> None:
    # FOR NO KEY UPDATE: serialises reservations of one user, yet coexists with the KEY
    # SHARE locks that inserting the job (a foreign key to users) already took, which
    # FOR UPDATE would turn into a deadlock between two concurrent requests.
    await session.execute(select(User.id).where(User.id == user_id).with_for_update(key_share=True))


async def reserve(session: AsyncSession, user_id: uuid.UUID, job_id: uuid.UUID, cost: int) -> None:
    """Hold `cost` credits for a job, inside the transaction that inserts the job (so a
    refused reservation creates nothing). INSUFFICIENT_CREDITS if the balance is short."""
    if cost <= 0:
        return
    await _lock_user(session, user_id)
    if await balance_of(session, user_id) < cost:
        raise InsufficientCredits(f"this job needs {cost} credit(s); ask an admin for more")
    session.add(CreditLedgerEntry(user_id=user_id, job_id=job_id, delta=-cost, reason=RESERVE))


_LEDGER = cast(Table, CreditLedgerEntry.__table__)


def _closing_statement() -> Insert:
    """Release or settle a job's reservation in one round trip, built once: insert the
    closing row only if the job holds a reservation and none was closed yet (the unique
    (job_id, reason) index backs the "once" under concurrency)."""
    held, closed = _LEDGER.alias("held"), _LEDGER.alias("closed")
    already = (
        select(closed.c.id)
        .where(closed.c.job_id == held.c.job_id, closed.c.reason.in_((RELEASE, SETTLE)))
        .exists()
    )
    row = select(
        func.gen_random_uuid(),
        held.c.user_id,
        held.c.job_id,
        # a release gives the reservation back; a settle row (delta 0) marks it spent
        -held.c.delta * bindparam("c_refund", type_=Integer),
        bindparam("c_reason", type_=String),
    ).where(
        held.c.job_id == bindparam("c_job"),
        held.c.reason == RESERVE,
        held.c.delta < 0,
        ~already,
    )
    columns = ["id", "user_id", "job_id", "delta", "reason"]
    return insert(_LEDGER).from_select(columns, row).on_conflict_do_nothing()


_CLOSE = _closing_statement()


def holds_reservation(job_id: ColumnElement[uuid.UUID]) -> ColumnElement[bool]:
    """Whether the job reserved credits (a reservation is made with the job, never later),
    so whether its end must settle or release any."""
    held = _LEDGER.alias("held")
    return (
        select(held.c.id)
        .where(held.c.job_id == job_id, held.c.reason == RESERVE, held.c.delta < 0)
        .exists()
    )


async def settle_or_release(session: AsyncSession, job: TailoringJob, completed: bool) -> None:
    """Called with the job row locked as it ends: a completed job keeps its credits
    (a settle row, delta 0), a failed or cancelled one gets them back. Only the job's id
    is read (a snapshot will do)."""
    params = {
        "c_job": job.id,
        "c_refund": 0 if completed else 1,
        "c_reason": SETTLE if completed else RELEASE,
    }
    await session.execute(_CLOSE, params)


async def grant(
    session: AsyncSession, user_id: uuid.UUID, amount: int, note: str | None = None
) -> Grant:
    """Add `amount` credits to a live account, in the caller's transaction."""
    if not 1 <= amount <= MAX_GRANT:
        raise InvalidInput(f"amount must be 1 to {MAX_GRANT}", field="amount")
    user = await session.get(User, user_id, with_for_update=True)
    if user is None or user.deleted_at is not None:
        raise NotFound("user")
    entry = CreditLedgerEntry(
        user_id=user_id, delta=amount, reason=GRANT, note=(note or "").strip()[:200] or None
    )
    session.add(entry)
    await session.flush()
    return Grant(entry, await balance_of(session, user_id))


async def user_id_by_email(session: AsyncSession, email: str) -> uuid.UUID:
    result = await session.execute(
        select(User.id).where(
            func.lower(User.email) == email.strip().lower(), User.deleted_at.is_(None)
        )
    )
    found = result.scalar_one_or_none()
    if found is None:
        raise NotFound("user")
    return found


def ledger(runtime: Runtime, user_id: uuid.UUID) -> Listing[CreditLedgerEntry]:
    query = select(CreditLedgerEntry).where(CreditLedgerEntry.user_id == user_id)
    return Listing(runtime.db, query, CreditLedgerEntry)
