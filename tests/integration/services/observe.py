"""What service-level tests read back from outside the transaction under test: the next
message published on a Redis channel and a user's credit balance."""

from __future__ import annotations

import asyncio
import uuid

from redis.asyncio.client import PubSub

from app.db.unit_of_work import reading
from app.runtime import Runtime
from app.services import credits


async def next_published(pubsub: PubSub, timeout_s: float = 10) -> str:
    """The data of the next message on a subscribed channel (waits for it, bounded)."""
    async with asyncio.timeout(timeout_s):
        while True:
            message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=1.0)
            if message is not None:
                data = message["data"]
                return data.decode() if isinstance(data, bytes) else str(data)


async def balance(runtime: Runtime, user_id: uuid.UUID) -> int:
    """The user's committed credit balance, read from a fresh session."""
    async with reading(runtime.db) as session:
        return await credits.balance_of(session, user_id)
