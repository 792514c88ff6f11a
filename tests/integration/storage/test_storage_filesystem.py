"""FilesystemStore specifics: the signed-URL route, atomic writes, on-disk confinement."""

from __future__ import annotations

import asyncio
import json
import os
import uuid
from pathlib import Path
from urllib.parse import parse_qs, quote, unquote, urlencode, urlsplit

import httpx
import pytest

from app.storage import (
    FilesystemStore,
    InvalidKey,
    SignatureError,
    SignatureFailure,
    StorageError,
    user_key,
)
from app.storage.signing import UrlSigner
from tests.integration.storage.storage_support import FS_BASE_URL, SIGNING_SECRET, FakeClock


def _split(url: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(url)
    return parts.path, {k: v[0] for k, v in parse_qs(parts.query).items()}


def _rebuild(path: str, query: dict[str, str]) -> str:
    return f"{FS_BASE_URL}{path}?{urlencode(query)}"


@pytest.fixture
async def stored(fs_store: FilesystemStore, user_id: uuid.UUID) -> str:
    key = user_key(user_id, "exports", "cv.pdf")
    await fs_store.put(key, b"%PDF secret", "application/pdf")
    return key


# -- signed URL route ----------------------------------------------------------------------


async def test_signed_url_shape(fs_store: FilesystemStore, stored: str, clock: FakeClock) -> None:
    url = await fs_store.signed_url(stored, 300, filename="cv.pdf")
    path, query = _split(url)
    assert url.startswith(f"{FS_BASE_URL}/files/users/")
    assert path == "/files/" + stored
    assert int(query["exp"]) == int(clock.now) + 300
    assert query["fn"] == "cv.pdf"
    assert len(query["sig"]) == 43  # base64url(SHA-256) without padding


async def test_response_security_headers(
    fs_store: FilesystemStore, fs_client: httpx.AsyncClient, stored: str
) -> None:
    response = await fs_client.get(await fs_store.signed_url(stored, 60))
    assert response.status_code == 200
    assert response.headers["cache-control"] == "private, no-store"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in response.headers["content-security-policy"]


async def test_expired_url_is_refused(
    fs_store: FilesystemStore, fs_client: httpx.AsyncClient, stored: str, clock: FakeClock
) -> None:
    url = await fs_store.signed_url(stored, 60)
    clock.advance(59)
    assert (await fs_client.get(url)).status_code == 200
    clock.advance(1)  # exactly at exp: no longer valid
    response = await fs_client.get(url)
    assert response.status_code == 403
    assert response.text == "expired"
    assert b"secret" not in response.content


async def test_tampered_signature_is_refused(
    fs_store: FilesystemStore, fs_client: httpx.AsyncClient, stored: str
) -> None:
    path, query = _split(await fs_store.signed_url(stored, 60))
    flipped = ("A" if query["sig"][0] != "A" else "B") + query["sig"][1:]
    for bad_sig in (flipped, query["sig"][:-1], "", "é" * 43):
        response = await fs_client.get(_rebuild(path, {**query, "sig": bad_sig}))
        assert response.status_code == 403
        assert response.text == "invalid_signature"


async def test_extending_expiry_invalidates_signature(
    fs_store: FilesystemStore, fs_client: httpx.AsyncClient, stored: str, clock: FakeClock
) -> None:
    path, query = _split(await fs_store.signed_url(stored, 60))
    clock.advance(3600)
    extended = {**query, "exp": str(int(query["exp"]) + 7200)}
    response = await fs_client.get(_rebuild(path, extended))
    assert response.status_code == 403
    assert response.text == "invalid_signature"  # not "expired": the forgery is detected first


@pytest.mark.parametrize("bad_exp", ["-1", "+123", " 1", "1e9", "١٢٣", "9" * 13])
async def test_malformed_expiry_is_refused(
    fs_store: FilesystemStore, fs_client: httpx.AsyncClient, stored: str, bad_exp: str
) -> None:
    path, query = _split(await fs_store.signed_url(stored, 60))
    response = await fs_client.get(_rebuild(path, {**query, "exp": bad_exp}))
    assert response.status_code == 403


async def test_changed_filename_invalidates_signature(
    fs_store: FilesystemStore, fs_client: httpx.AsyncClient, stored: str
) -> None:
    path, query = _split(await fs_store.signed_url(stored, 60, filename="cv.pdf"))
    response = await fs_client.get(_rebuild(path, {**query, "fn": "invoice.exe"}))
    assert response.status_code == 403
    dropped = {k: v for k, v in query.items() if k != "fn"}
    assert (await fs_client.get(_rebuild(path, dropped))).status_code == 403


@pytest.mark.parametrize("missing", ["exp", "sig"])
async def test_missing_parameters_are_refused(
    fs_store: FilesystemStore, fs_client: httpx.AsyncClient, stored: str, missing: str
) -> None:
    path, query = _split(await fs_store.signed_url(stored, 60))
    del query[missing]
    response = await fs_client.get(_rebuild(path, query))
    assert response.status_code == 403
    assert response.text == "missing signature"


async def test_signature_is_bound_to_owner(
    fs_store: FilesystemStore, fs_client: httpx.AsyncClient, user_id: uuid.UUID
) -> None:
    mallory = uuid.uuid4()
    victim_key = user_key(user_id, "cv.pdf")
    mallory_key = user_key(mallory, "cv.pdf")
    await fs_store.put(victim_key, b"victim", "application/pdf")
    await fs_store.put(mallory_key, b"mallory", "application/pdf")
    # Mallory has a valid URL for her own file and swaps in the victim's namespace.
    path, query = _split(await fs_store.signed_url(mallory_key, 60))
    response = await fs_client.get(_rebuild(path.replace(str(mallory), str(user_id)), query))
    assert response.status_code == 403
    assert b"victim" not in response.content


async def test_other_secret_is_refused(
    fs_store: FilesystemStore, fs_client: httpx.AsyncClient, stored: str, tmp_path: Path
) -> None:
    other = FilesystemStore(tmp_path / "other", "a-different-secret-0123456789", FS_BASE_URL)
    response = await fs_client.get(await other.signed_url(stored, 60))
    assert response.status_code == 403


async def test_route_refuses_keys_outside_users_namespace(
    fs_store: FilesystemStore, fs_client: httpx.AsyncClient, clock: FakeClock
) -> None:
    # Even a correctly signed request (same secret) is refused outside users/{uuid}/.
    (fs_store.root / "data" / "system").mkdir()
    (fs_store.root / "data" / "system" / "config.json").write_bytes(b"{}")
    signer = UrlSigner(SIGNING_SECRET)
    for key in ("system/config.json", "users/not-a-uuid/x", f"users/{uuid.uuid4()}"):
        exp = int(clock.now) + 60
        url = _rebuild(f"/files/{key}", {"exp": str(exp), "sig": signer.sign(key, exp)})
        response = await fs_client.get(url)
        assert response.status_code == 403
        assert response.text == "invalid key"


@pytest.mark.parametrize(
    "raw_path",
    [
        "/files/users/{u}/%2e%2e/%2e%2e/%2e%2e/meta/users/{u}/cv.pdf.json",
        "/files/users/{u}/..%2f..%2fsecret",
        "/files/users/{u}/%2E%2E/{v}/cv.pdf",
        "/files/users/{u}/dir%5c..%5ccv.pdf",
        "/files/users/{u}/cv%00.pdf",
        "/files/%2fetc/passwd",
    ],
)
async def test_route_refuses_traversal(
    fs_store: FilesystemStore,
    fs_client: httpx.AsyncClient,
    stored: str,
    clock: FakeClock,
    raw_path: str,
) -> None:
    owner = stored.split("/")[1]
    path = raw_path.format(u=owner, v=uuid.uuid4())
    # Sign the decoded key with the real secret: traversal must fail on the key itself, not
    # merely because the attacker cannot sign.
    signer = UrlSigner(SIGNING_SECRET)
    decoded_key = unquote(path.removeprefix("/files/"))
    exp = int(clock.now) + 60
    query = urlencode({"exp": str(exp), "sig": signer.sign(decoded_key, exp)})
    response = await fs_client.get(httpx.URL(f"{FS_BASE_URL}{path}?{query}"))
    assert response.status_code == 403
    assert response.text == "invalid key"


async def test_verify_signed_request_reasons(
    fs_store: FilesystemStore, stored: str, clock: FakeClock
) -> None:
    _, query = _split(await fs_store.signed_url(stored, 60, filename="a.pdf"))
    fs_store.verify_signed_request(stored, query["exp"], query["sig"], filename="a.pdf")
    with pytest.raises(SignatureError) as info:
        fs_store.verify_signed_request(
            stored, query["exp"], query["sig"], filename="a.pdf", now=clock.now + 61
        )
    assert info.value.reason is SignatureFailure.EXPIRED
    with pytest.raises(SignatureError) as info:
        fs_store.verify_signed_request(stored, query["exp"], query["sig"], filename=None)
    assert info.value.reason is SignatureFailure.INVALID_SIGNATURE
    with pytest.raises(SignatureError) as info:
        fs_store.verify_signed_request(stored + "x", query["exp"], query["sig"], filename="a.pdf")
    assert info.value.reason is SignatureFailure.INVALID_SIGNATURE


async def test_head_request(
    fs_store: FilesystemStore, fs_client: httpx.AsyncClient, stored: str
) -> None:
    response = await fs_client.head(await fs_store.signed_url(stored, 60))
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"


async def test_post_is_not_allowed(
    fs_store: FilesystemStore, fs_client: httpx.AsyncClient, stored: str
) -> None:
    response = await fs_client.post(await fs_store.signed_url(stored, 60))
    assert response.status_code == 405


# -- disk layout and atomicity -------------------------------------------------------------


async def test_files_live_under_root(fs_store: FilesystemStore, stored: str) -> None:
    data_path = fs_store.path_of(stored)
    assert data_path == fs_store.root / "data" / stored
    assert data_path.read_bytes() == b"%PDF secret"
    meta = json.loads((fs_store.root / "meta" / (stored + ".json")).read_text())
    assert meta == {"content_type": "application/pdf"}


async def test_no_temp_files_left_behind(fs_store: FilesystemStore, user_id: uuid.UUID) -> None:
    for i in range(5):
        await fs_store.put(user_key(user_id, f"f{i}.txt"), b"x" * 1000, "text/plain")
    assert list((fs_store.root / "tmp").iterdir()) == []


async def test_failed_write_keeps_previous_version(
    fs_store: FilesystemStore, user_id: uuid.UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    key = user_key(user_id, "cv.txt")
    await fs_store.put(key, b"good version", "text/plain")

    def failing_replace(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(StorageError):
        await fs_store.put(key, b"half-written", "text/plain")
    monkeypatch.undo()
    assert await fs_store.get(key) == b"good version"
    assert list((fs_store.root / "tmp").iterdir()) == []


async def test_concurrent_writers_never_expose_partial_data(
    fs_store: FilesystemStore, user_id: uuid.UUID
) -> None:
    key = user_key(user_id, "race.bin")
    versions = [bytes([i]) * 200_000 for i in range(8)]
    await fs_store.put(key, versions[0], "application/octet-stream")

    async def reader() -> None:
        for _ in range(20):
            assert await fs_store.get(key) in versions

    await asyncio.gather(
        *(fs_store.put(key, v, "application/octet-stream") for v in versions), reader(), reader()
    )
    assert await fs_store.get(key) in versions


async def test_symlink_escaping_root_is_refused(
    fs_store: FilesystemStore, user_id: uuid.UUID, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(b"outside secret")
    user_dir = fs_store.root / "data" / "users" / str(user_id)
    user_dir.mkdir(parents=True)
    (user_dir / "link").symlink_to(outside)
    key = user_key(user_id, "link", "secret.txt")
    with pytest.raises(InvalidKey):
        await fs_store.get(key)
    with pytest.raises(InvalidKey):
        await fs_store.put(key, b"overwrite", "text/plain")
    assert (outside / "secret.txt").read_bytes() == b"outside secret"


async def test_content_type_inferred_without_metadata(
    fs_store: FilesystemStore, fs_client: httpx.AsyncClient, user_id: uuid.UUID
) -> None:
    # A file placed by hand (no sidecar) still downloads, typed by its extension.
    key = user_key(user_id, "manual.pdf")
    fs_store.path_of(key).parent.mkdir(parents=True)
    fs_store.path_of(key).write_bytes(b"%PDF by hand")
    obj = await fs_store.read(key)
    assert obj.content_type == "application/pdf"
    response = await fs_client.get(await fs_store.signed_url(key, 60))
    assert response.headers["content-type"] == "application/pdf"
    assert response.content == b"%PDF by hand"


async def test_key_conflicting_with_file_is_a_storage_error(
    fs_store: FilesystemStore, user_id: uuid.UUID
) -> None:
    await fs_store.put(user_key(user_id, "a"), b"file", "text/plain")
    # S3 allows both "a" and "a/b"; a filesystem cannot. Surface it as a storage error.
    with pytest.raises(StorageError):
        await fs_store.put(user_key(user_id, "a", "b"), b"nested", "text/plain")
    assert await fs_store.get(user_key(user_id, "a")) == b"file"
    assert not (fs_store.root / "meta" / "users" / str(user_id) / "a").exists()


def test_weak_secret_rejected(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        FilesystemStore(tmp_path, "short", FS_BASE_URL)


async def test_base_url_trailing_slash(tmp_path: Path, user_id: uuid.UUID) -> None:
    store = FilesystemStore(tmp_path, SIGNING_SECRET, "https://cv.example.com/app/")
    url = await store.signed_url(user_key(user_id, "a b.pdf"), 60)
    assert url.startswith(f"https://cv.example.com/app/files/users/{user_id}/{quote('a b.pdf')}?")
