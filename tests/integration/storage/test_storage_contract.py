"""One contract, two backends: every test here runs against FilesystemStore and S3Store (moto)."""

from __future__ import annotations

import os
import uuid
from urllib.parse import unquote

import pytest

from app.storage import InvalidKey, ObjectNotFound, ObjectStore, owner_of, user_key
from tests.integration.storage.storage_support import Backend


async def test_is_an_object_store(backend: Backend) -> None:
    assert isinstance(backend.store, ObjectStore)


async def test_put_get_roundtrip(backend: Backend, user_id: uuid.UUID) -> None:
    key = user_key(user_id, "resumes", "cv.txt")
    await backend.store.put(key, b"hello resume", "text/plain")
    assert await backend.store.get(key) == b"hello resume"


async def test_overwrite_replaces_content(backend: Backend, user_id: uuid.UUID) -> None:
    key = user_key(user_id, "resumes", "cv.txt")
    await backend.store.put(key, b"first version, longer", "text/plain")
    await backend.store.put(key, b"second", "text/markdown")
    assert await backend.store.get(key) == b"second"
    # The content type is replaced together with the bytes.
    response = await backend.fetch(await backend.store.signed_url(key, 60))
    assert response.status_code == 200
    assert response.content == b"second"
    assert response.headers["content-type"] == "text/markdown"


async def test_delete_is_idempotent(backend: Backend, user_id: uuid.UUID) -> None:
    key = user_key(user_id, "exports", "out.pdf")
    await backend.store.put(key, b"%PDF-1.7", "application/pdf")
    await backend.store.delete(key)
    assert not await backend.store.exists(key)
    with pytest.raises(ObjectNotFound):
        await backend.store.get(key)
    await backend.store.delete(key)  # second delete: no error
    await backend.store.delete(user_key(user_id, "never", "existed"))


async def test_get_missing_raises_object_not_found(backend: Backend, user_id: uuid.UUID) -> None:
    key = user_key(user_id, "missing.bin")
    with pytest.raises(ObjectNotFound) as info:
        await backend.store.get(key)
    assert info.value.key == key


async def test_exists(backend: Backend, user_id: uuid.UUID) -> None:
    key = user_key(user_id, "a", "b.txt")
    assert not await backend.store.exists(key)
    await backend.store.put(key, b"x", "text/plain")
    assert await backend.store.exists(key)
    # A prefix of an existing key is not an object.
    assert not await backend.store.exists(user_key(user_id, "a"))


async def test_prefix_of_existing_key_is_missing(backend: Backend, user_id: uuid.UUID) -> None:
    await backend.store.put(user_key(user_id, "dir", "file.txt"), b"x", "text/plain")
    with pytest.raises(ObjectNotFound):
        await backend.store.get(user_key(user_id, "dir"))


async def test_binary_content_is_preserved(backend: Backend, user_id: uuid.UUID) -> None:
    payload = bytes(range(256)) * 4 + b"\r\n\x00\r" + os.urandom(1024 * 1024)
    key = user_key(user_id, "uploads", "blob.bin")
    await backend.store.put(key, payload, "application/octet-stream")
    assert await backend.store.get(key) == payload


async def test_empty_object(backend: Backend, user_id: uuid.UUID) -> None:
    key = user_key(user_id, "empty")
    await backend.store.put(key, b"", "application/octet-stream")
    assert await backend.store.exists(key)
    assert await backend.store.get(key) == b""


async def test_unicode_and_space_keys(backend: Backend, user_id: uuid.UUID) -> None:
    key = user_key(user_id, "résumés", "my cv (final) #2?.txt")
    await backend.store.put(key, b"unicode key", "text/plain")
    assert await backend.store.get(key) == b"unicode key"
    response = await backend.fetch(await backend.store.signed_url(key, 60))
    assert response.status_code == 200
    assert response.content == b"unicode key"


async def test_users_are_isolated(backend: Backend) -> None:
    alice, bob = uuid.uuid4(), uuid.uuid4()
    await backend.store.put(user_key(alice, "cv.txt"), b"alice", "text/plain")
    await backend.store.put(user_key(bob, "cv.txt"), b"bob", "text/plain")
    assert await backend.store.get(user_key(alice, "cv.txt")) == b"alice"
    assert await backend.store.get(user_key(bob, "cv.txt")) == b"bob"
    await backend.store.delete(user_key(alice, "cv.txt"))
    assert await backend.store.get(user_key(bob, "cv.txt")) == b"bob"


# -- signed URLs ---------------------------------------------------------------------------


async def test_signed_url_downloads_as_attachment(backend: Backend, user_id: uuid.UUID) -> None:
    key = user_key(user_id, "exports", "tailored.pdf")
    payload = b"%PDF-1.7\n" + bytes(range(256))
    await backend.store.put(key, payload, "application/pdf")

    url = await backend.store.signed_url(key, 120, filename="Jane Doe - CV.pdf")
    response = await backend.fetch(url)

    assert response.status_code == 200
    assert response.content == payload
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'attachment; filename="Jane Doe - CV.pdf"'


async def test_signed_url_default_filename_is_last_segment(
    backend: Backend, user_id: uuid.UUID
) -> None:
    key = user_key(user_id, "exports", "letter.docx")
    await backend.store.put(key, b"PK\x03\x04", "application/octet-stream")
    response = await backend.fetch(await backend.store.signed_url(key, 60))
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="letter.docx"'


async def test_signed_url_non_ascii_filename(backend: Backend, user_id: uuid.UUID) -> None:
    key = user_key(user_id, "exports", "cv.pdf")
    await backend.store.put(key, b"pdf", "application/pdf")
    url = await backend.store.signed_url(key, 60, filename='Zoë "the\r\nboss".pdf')
    response = await backend.fetch(url)
    assert response.status_code == 200
    disposition = response.headers["content-disposition"]
    # ASCII fallback without quotes or CR/LF, plus the exact UTF-8 name in filename*.
    assert disposition.startswith('attachment; filename="Zo_ _theboss_.pdf"; ')
    assert "\r" not in disposition and "\n" not in disposition
    encoded = disposition.split("filename*=UTF-8''", 1)[1]
    assert unquote(encoded) == 'Zoë "theboss".pdf'


def _missing_object_statuses(backend: Backend) -> set[int]:
    if backend.name == "filesystem":
        return {404}
    # S3 itself answers 404 only when the signer may s3:ListBucket, else 403 AccessDenied; moto
    # answers 403 SignatureDoesNotMatch because it checks response-content-disposition as if
    # this were a presigned PUT. Either way the download is refused without content.
    return {403, 404}


async def test_signed_url_for_missing_object_is_refused(
    backend: Backend, user_id: uuid.UUID
) -> None:
    url = await backend.store.signed_url(user_key(user_id, "nothing.pdf"), 60)
    response = await backend.fetch(url)
    assert response.status_code in _missing_object_statuses(backend)
    assert "content-disposition" not in response.headers


async def test_signed_url_after_delete_is_refused(backend: Backend, user_id: uuid.UUID) -> None:
    key = user_key(user_id, "gone.txt")
    await backend.store.put(key, b"soon gone", "text/plain")
    url = await backend.store.signed_url(key, 60)
    assert (await backend.fetch(url)).status_code == 200
    await backend.store.delete(key)
    response = await backend.fetch(url)
    assert response.status_code in _missing_object_statuses(backend)
    assert b"soon gone" not in response.content


async def test_signed_url_ttl_bounds(backend: Backend, user_id: uuid.UUID) -> None:
    key = user_key(user_id, "x.txt")
    for bad in (0, -5, 7 * 24 * 3600 + 1):
        with pytest.raises(ValueError):
            await backend.store.signed_url(key, bad)
    assert await backend.store.signed_url(key, 7 * 24 * 3600)


async def test_signed_url_embeds_owner_key(backend: Backend, user_id: uuid.UUID) -> None:
    key = user_key(user_id, "exports", "cv.pdf")
    url = await backend.store.signed_url(key, 60)
    assert f"/users/{user_id}/exports/cv.pdf" in url
    assert owner_of(key) == str(user_id)


# -- key safety (every operation validates) ------------------------------------------------

UNSAFE_KEYS = [
    "users/{u}/../{v}/cv.txt",  # climbs into another user's namespace
    "users/{u}/../../etc/passwd",
    "users/{u}/./cv.txt",
    "/users/{u}/cv.txt",  # absolute
    "users/{u}//cv.txt",  # empty segment
    "users/{u}/cv.txt/",  # trailing slash
    "users/{u}/dir\\..\\cv.txt",  # backslashes
    "users/{u}/cv\x00.txt",  # NUL
    "users/{u}/cv\n.txt",  # newline
    "users/{u}/cv\u202etxt.exe",  # RTL override
    "users/{u}",  # no object name
    "users/not-a-uuid/cv.txt",
    "users/{U}/cv.txt",  # upper-case UUID: not canonical, would be a second namespace
    "other/{u}/cv.txt",  # outside the users/ namespace
    "cv.txt",
    "",
    "users/{u}/" + "a" * 1100,  # longer than S3's 1024-byte limit
]


def _expand(template: str) -> str:
    u, v = uuid.uuid4(), uuid.uuid4()
    return template.format(u=u, v=v, U=str(u).upper())


@pytest.mark.parametrize("template", UNSAFE_KEYS)
async def test_unsafe_keys_are_rejected_by_every_operation(backend: Backend, template: str) -> None:
    key = _expand(template)
    with pytest.raises(InvalidKey):
        await backend.store.put(key, b"x", "text/plain")
    with pytest.raises(InvalidKey):
        await backend.store.get(key)
    with pytest.raises(InvalidKey):
        await backend.store.exists(key)
    with pytest.raises(InvalidKey):
        await backend.store.delete(key)
    with pytest.raises(InvalidKey):
        await backend.store.signed_url(key, 60)


@pytest.mark.parametrize(
    "content_type", ["", "text", "text/plain\r\nX-Evil: 1", "text/plain\n", "a/b; x=\x00"]
)
async def test_invalid_content_type_is_rejected(
    backend: Backend, user_id: uuid.UUID, content_type: str
) -> None:
    key = user_key(user_id, "ct.txt")
    with pytest.raises(ValueError):
        await backend.store.put(key, b"x", content_type)
    assert not await backend.store.exists(key)


async def test_content_type_with_parameters(backend: Backend, user_id: uuid.UUID) -> None:
    key = user_key(user_id, "notes.txt")
    await backend.store.put(key, "naïve".encode(), "text/plain; charset=utf-8")
    response = await backend.fetch(await backend.store.signed_url(key, 60))
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text == "naïve"
