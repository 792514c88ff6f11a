"""Doorbell subscriptions (`versionUpdates`, `applicationChanges`) shared per API process.

Their Redis messages only say "re-read Postgres", so each socket used to run its own
timer and query (every 2 s per version subscriber, every 15 s per application
subscriber): 1,000 idle sockets cost hundreds of queries a second. Here a key (a version,
a user) followed by any number of sockets holds one hub listener, and ONE process-wide
recheck per interval reads a small marker of every followed key in a single batched
query (`read_markers`); only the subscribers whose key moved since what they last read
are woken. A ring (or a hub reconnect) wakes the key's subscribers directly: no query.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from typing import Generic, TypeVar

from app.events.hub import EventHub, Wakeup
from app.events.recheck import PeriodicRecheck

K = TypeVar("K", bound=Hashable)
Marker = Hashable  # what changes whenever the key's rows change (counts, statuses)
NOT_READ: Marker = object()  # a subscriber that has not said what it read yet


class Bell:
    """One subscriber: `seen` is the marker of what it last read; rings coalesce (a
    subscriber woken twice before it reads reads once)."""

    def __init__(self) -> None:
        self.seen: Marker = NOT_READ
        self._rung = False
        self._waiter: asyncio.Future[None] | None = None

    def ring(self) -> None:
        self._rung = True
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    async def wait(self) -> None:
        while not self._rung:
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        self._rung = False


class KeyWatch(Generic[K]):
    """The keys of one kind followed in this process, with their one recheck task."""

    def __init__(
        self,
        hub: EventHub,
        channel_of: Callable[[K], str],
        read_markers: Callable[[list[K]], Awaitable[dict[K, Marker]]],
        interval_s: Callable[[], float],
    ) -> None:
        self._hub, self._channel_of, self._read_markers = hub, channel_of, read_markers
        self.bells: dict[K, set[Bell]] = {}
        self._listeners: dict[K, Callable[[Wakeup], None]] = {}
        self._recheck = PeriodicRecheck(
            "key_watch", self.recheck_once, active=lambda: bool(self.bells), interval_s=interval_s
        )

    @contextlib.asynccontextmanager
    async def follow(self, key: K) -> AsyncIterator[Bell]:
        """A bell on `key`, listening before the subscriber's first read."""
        bells = self.bells.get(key)
        new_key = bells is None
        if bells is None:
            bells = self.bells[key] = set()
            self._listeners[key] = _ring_all(bells)
        bell = Bell()
        bells.add(bell)
        self._recheck.ensure_running()
        try:  # registered first, so a cancelled start still leaves nothing behind
            if new_key:
                await self._hub.add(self._channel_of(key), self._listeners[key])
            yield bell
        finally:
            bells.discard(bell)
            if not bells and self.bells.get(key) is bells:
                del self.bells[key]
                self._hub.remove(self._channel_of(key), self._listeners.pop(key))

    async def stop(self) -> None:
        await self._recheck.stop()

    async def recheck_once(self) -> None:
        """One query for every followed key: wake the subscribers behind their key's
        marker (pub/sub is at-most-once, so silence may hide a lost ring)."""
        keys = list(self.bells)
        if not keys:
            return
        markers = await self._read_markers(keys)
        for key in keys:
            marker = markers.get(key)
            for bell in list(self.bells.get(key, ())):
                # NOT_READ: its first read is under way and will set what it saw.
                if bell.seen is not NOT_READ and bell.seen != marker:
                    bell.seen = marker  # it re-reads now; a later change moves the marker
                    bell.ring()


def _ring_all(bells: set[Bell]) -> Callable[[Wakeup], None]:
    def ring(_wakeup: Wakeup) -> None:
        for bell in list(bells):
            bell.ring()

    return ring


def shared_watch(hub: EventHub, kind: str, make: Callable[[], KeyWatch[K]]) -> KeyWatch[K]:
    """The process's watch of one kind of key (made on first use, stopped with the hub)."""
    watch = hub.key_watches.get(kind)
    if watch is None:
        watch = hub.key_watches[kind] = make()
    return watch  # one kind of key per name
