"""The object-store contract every backend (filesystem, S3) implements.

Services depend on `ObjectStore` only, so the backend is a deployment choice. All methods are
async because the S3 backend does network I/O and the filesystem backend pushes blocking disk
I/O to a thread; callers never have to care which one they hold.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable


class StorageError(Exception):
    """Base class for object-store failures (backend errors are wrapped in it)."""


class ObjectNotFound(StorageError):
    """No object is stored under the key."""

    def __init__(self, key: str) -> None:
        super().__init__(f"object not found: {key}")
        self.key = key


@runtime_checkable
class ObjectStore(Protocol):
    """Key/value blob storage with signed, time-limited download URLs.

    Keys are produced by `app.storage.keys.user_key` and always live under `users/{uuid}/`;
    every backend re-validates them, so a key from an untrusted source cannot escape.
    """

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        """Store `data` under `key`, replacing any previous object atomically."""
        ...

    async def get(self, key: str) -> bytes:
        """Return the object's bytes; raise `ObjectNotFound` if there is none."""
        ...

    async def delete(self, key: str) -> None:
        """Remove the object; deleting a missing key is not an error."""
        ...

    async def exists(self, key: str) -> bool:
        """Whether an object is stored under `key`."""
        ...

    async def list_keys(self, prefix: str) -> list[str]:
        """Every key that starts with `prefix`, which must lie inside `users/{uuid}/`
        (used to erase everything a user stored)."""
        ...

    async def signed_url(self, key: str, ttl_s: int, *, filename: str | None = None) -> str:
        """A URL that downloads the object as an attachment for `ttl_s` seconds.

        `filename` is what the browser saves it as (defaults to the key's last segment). The
        URL is not checked against existence: like S3, a URL for a missing key yields 404.
        """
        ...
