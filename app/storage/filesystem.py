"""FilesystemStore: the default backend for local runs and single-machine deployments.

Layout under `root` (three sibling trees rather than sidecar files next to the data, so that no
user key can ever collide with metadata or an in-flight temp file):

    root/data/<key>        the object's bytes
    root/meta/<key>.json   {"content_type": ...}
    root/tmp/              temp files; same filesystem as data/, so os.replace is atomic

Downloads go through signed URLs served by `app.storage.routes.files_route`.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import mimetypes
import os
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlencode

from app.storage.headers import safe_filename, validate_content_type
from app.storage.keys import InvalidKey, validate_key
from app.storage.protocol import ObjectNotFound, StorageError
from app.storage.signing import UrlSigner, check_ttl

_DEFAULT_CONTENT_TYPE = "application/octet-stream"
# Errors that mean "there is no object at this path" rather than a broken disk: a missing file,
# a key that names a directory (a prefix of other keys), or a key below an existing file.
_MISSING = (FileNotFoundError, IsADirectoryError, NotADirectoryError)


@dataclass(frozen=True, slots=True)
class StoredObject:
    data: bytes
    content_type: str


class FilesystemStore:
    """ObjectStore on a local directory. Blocking disk I/O runs in worker threads."""

    def __init__(
        self,
        root: Path | str,
        signing_secret: str,
        base_url: str,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        # Resolve once: a later chdir must not move the store, and the escape check below
        # compares fully resolved paths.
        self._root = Path(root).resolve()
        for name in ("data", "meta", "tmp"):
            (self._root / name).mkdir(parents=True, exist_ok=True)
        # Resolved after creation: if an operator made these directories symlinks, the escape
        # check compares against where they really are. (tmp/ must stay on data/'s filesystem,
        # or os.replace stops being an atomic rename.)
        self._data = (self._root / "data").resolve()
        self._meta = (self._root / "meta").resolve()
        self._tmp = (self._root / "tmp").resolve()
        self._signer = UrlSigner(signing_secret)
        self._base_url = base_url.rstrip("/")
        self._clock = clock

    @property
    def root(self) -> Path:
        return self._root

    # -- paths -----------------------------------------------------------------------------

    def _paths(self, key: str) -> tuple[Path, Path]:
        segments = validate_key(key).split("/")
        data = self._data.joinpath(*segments)
        meta = self._meta.joinpath(*segments[:-1], segments[-1] + ".json")
        # validate_key already rules out '..' and absolute keys; resolving also catches a
        # symlink planted inside the tree that points outside it.
        for path, base in ((data, self._data), (meta, self._meta)):
            if not path.resolve().is_relative_to(base):
                raise InvalidKey(f"key resolves outside the store root: {key!r}")
        return data, meta

    def path_of(self, key: str) -> Path:
        """Where the object's bytes live on disk (validated; for ops tooling and tests)."""
        return self._paths(key)[0]

    # -- blocking helpers (run via asyncio.to_thread) --------------------------------------

    def _write_atomic(self, path: Path, payload: bytes) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=self._tmp, prefix="put-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                # fsync before the rename so a crash cannot leave a renamed-but-empty file.
                os.fsync(handle.fileno())
            os.replace(tmp_name, path)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise

    def _put_sync(self, key: str, data: bytes, content_type: str) -> None:
        data_path, meta_path = self._paths(key)
        try:
            # Fails early (before metadata is written) if the key collides with an existing
            # file, e.g. putting "a/b" when "a" is an object: S3 allows that, a filesystem not.
            data_path.parent.mkdir(parents=True, exist_ok=True)
            # Metadata first: once the data file is visible its content type is too.
            self._write_atomic(meta_path, json.dumps({"content_type": content_type}).encode())
            self._write_atomic(data_path, data)
        except OSError as exc:
            raise StorageError(f"cannot store {key!r}: {exc}") from exc

    def _read_sync(self, key: str) -> StoredObject:
        data_path, meta_path = self._paths(key)
        try:
            data = data_path.read_bytes()
        except _MISSING as exc:
            raise ObjectNotFound(key) from exc
        try:
            content_type = str(json.loads(meta_path.read_bytes())["content_type"])
        except (OSError, ValueError, KeyError, TypeError):
            # Files dropped in by hand (or a damaged sidecar) still download, typed by extension.
            content_type = mimetypes.guess_type(data_path.name)[0] or _DEFAULT_CONTENT_TYPE
        return StoredObject(data=data, content_type=content_type)

    def _delete_sync(self, key: str) -> None:
        data_path, meta_path = self._paths(key)
        # Data first, so a concurrent reader never sees data without its metadata.
        for path in (data_path, meta_path):
            with contextlib.suppress(*_MISSING):
                path.unlink()

    def _exists_sync(self, key: str) -> bool:
        return self._paths(key)[0].is_file()

    # -- ObjectStore -----------------------------------------------------------------------

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        validate_content_type(content_type)
        await asyncio.to_thread(self._put_sync, key, bytes(data), content_type)

    async def get(self, key: str) -> bytes:
        return (await self.read(key)).data

    async def read(self, key: str) -> StoredObject:
        """The object's bytes together with its stored content type (used by the route)."""
        return await asyncio.to_thread(self._read_sync, key)

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self._delete_sync, key)

    async def exists(self, key: str) -> bool:
        return await asyncio.to_thread(self._exists_sync, key)

    def _list_sync(self, prefix: str) -> list[str]:
        validate_key(prefix.rstrip("/") + "/_")
        base = self._data.joinpath(*prefix.rstrip("/").split("/"))
        if not base.is_dir():
            return []
        return sorted(
            path.relative_to(self._data).as_posix() for path in base.rglob("*") if path.is_file()
        )

    async def list_keys(self, prefix: str) -> list[str]:
        """Every key under `prefix` (itself inside one user's namespace)."""
        return await asyncio.to_thread(self._list_sync, prefix)

    async def signed_url(self, key: str, ttl_s: int, *, filename: str | None = None) -> str:
        validate_key(key)
        exp = int(self._clock()) + check_ttl(ttl_s)
        # Sanitise before signing so the URL carries exactly what the route will serve.
        fn = safe_filename(filename) if filename is not None else None
        query = {"exp": str(exp), "sig": self._signer.sign(key, exp, fn)}
        if fn is not None:
            query["fn"] = fn
        return f"{self._base_url}/files/{quote(key, safe='/')}?{urlencode(query)}"

    # -- signed requests -------------------------------------------------------------------

    def verify_signed_request(
        self,
        key: str,
        exp: str | int,
        sig: str,
        *,
        filename: str | None = None,
        now: float | None = None,
    ) -> None:
        """Accept a download request or raise SignatureError (reason EXPIRED / INVALID_SIGNATURE).

        `filename` is the `fn` query parameter, if present; it is part of the signature.
        """
        self._signer.verify(key, exp, sig, filename, now=self._clock() if now is None else now)
