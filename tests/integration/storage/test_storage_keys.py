"""Key helpers, header helpers and the factory (no network; run alongside the store tests)."""

from __future__ import annotations

import enum
import uuid
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.storage import (
    FilesystemStore,
    InvalidKey,
    S3Store,
    build_store,
    is_owned_by,
    owner_of,
    user_key,
    validate_key,
)
from app.storage.headers import attachment_disposition, safe_filename, validate_content_type
from tests.integration.storage.storage_support import FS_BASE_URL, SIGNING_SECRET

UID = uuid.UUID("6f1c2a44-0b7e-4c4f-9a57-3f0f6a1b2c3d")


# -- user_key / owner_of -------------------------------------------------------------------


def test_user_key_builds_namespaced_keys() -> None:
    assert user_key(UID, "resumes", "cv.pdf") == f"users/{UID}/resumes/cv.pdf"
    assert user_key(str(UID), "exports/2024/cv.pdf") == f"users/{UID}/exports/2024/cv.pdf"


def test_user_id_is_canonicalised() -> None:
    assert user_key(str(UID).upper(), "a") == f"users/{UID}/a"
    assert user_key(UID.hex, "a") == f"users/{UID}/a"


@pytest.mark.parametrize(
    "parts",
    [
        (),
        ("..",),
        ("a", ".."),
        ("../b",),
        ("a/../../b",),
        (".",),
        ("/etc/passwd",),
        ("a/",),
        ("a//b",),
        ("",),
        ("a\\b",),
        ("..\\..\\x",),
        ("a\x00b",),
        ("line\nbreak",),
        ("tab\there",),
        ("del\x7f",),
        ("bidi\u202eexe.pdf",),
        ("zero\u200bwidth",),
    ],
)
def test_user_key_rejects_unsafe_parts(parts: tuple[str, ...]) -> None:
    with pytest.raises(InvalidKey):
        user_key(UID, *parts)


@pytest.mark.parametrize("user_id", ["", "alice", "../x", "users", f"{UID}/x", "1" * 32 + "0"])
def test_user_key_rejects_non_uuid_user_ids(user_id: str) -> None:
    with pytest.raises(InvalidKey):
        user_key(user_id, "cv.pdf")


def test_user_key_rejects_non_string_parts() -> None:
    with pytest.raises(InvalidKey):
        user_key(UID, 5)  # type: ignore[arg-type]


def test_owner_of() -> None:
    assert owner_of(f"users/{UID}/resumes/cv.pdf") == str(UID)
    for bad in (f"users/{UID}", "users/x/cv.pdf", f"tenants/{UID}/cv.pdf", f"users/{UID}/../x"):
        with pytest.raises(InvalidKey):
            owner_of(bad)


def test_is_owned_by() -> None:
    key = user_key(UID, "cv.pdf")
    assert is_owned_by(key, UID)
    assert is_owned_by(key, str(UID).upper())
    assert not is_owned_by(key, uuid.uuid4())
    assert not is_owned_by("junk", UID)
    assert not is_owned_by(key, "not-a-uuid")


def test_validate_key_accepts_unicode_and_punctuation() -> None:
    key = f"users/{UID}/résumé (v2) #1 ?&=+.pdf"
    assert validate_key(key) == key


def test_key_length_limit_counts_utf8_bytes() -> None:
    prefix = f"users/{UID}/"
    room = 1024 - len(prefix)
    assert validate_key(prefix + "a" * room)
    with pytest.raises(InvalidKey):
        validate_key(prefix + "é" * (room // 2 + 1))


@pytest.fixture(scope="module")
def property_store(tmp_path_factory: pytest.TempPathFactory) -> FilesystemStore:
    return FilesystemStore(tmp_path_factory.mktemp("prop"), SIGNING_SECRET, FS_BASE_URL)


@settings(max_examples=300, deadline=None)
@given(parts=st.lists(st.text(min_size=0, max_size=12), min_size=0, max_size=4))
def test_any_accepted_key_stays_inside_its_namespace(
    property_store: FilesystemStore, parts: list[str]
) -> None:
    try:
        key = user_key(UID, *parts)
    except InvalidKey:
        return
    assert owner_of(key) == str(UID)
    path = property_store.path_of(key)
    assert path.resolve().is_relative_to(property_store.root / "data" / "users" / str(UID))


# -- headers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("cv.pdf", "cv.pdf"),
        ("../../etc/passwd", "etcpasswd"),
        ("a\\b.pdf", "ab.pdf"),
        (".hidden", "hidden"),
        ("  spaced  ", "spaced"),
        ("bad\r\nheader", "badheader"),
        ("", "download"),
        ("...", "download"),
    ],
)
def test_safe_filename(name: str, expected: str) -> None:
    assert safe_filename(name) == expected


def test_attachment_disposition() -> None:
    assert attachment_disposition("cv.pdf") == 'attachment; filename="cv.pdf"'
    assert attachment_disposition('a"b%c.pdf') == (
        "attachment; filename=\"a_b_c.pdf\"; filename*=UTF-8''a%22b%25c.pdf"
    )
    assert attachment_disposition("x" * 500).count("x") == 200


@pytest.mark.parametrize(
    "ctype", ["application/pdf", "text/plain; charset=utf-8", "application/vnd.api+json"]
)
def test_valid_content_types(ctype: str) -> None:
    assert validate_content_type(ctype) == ctype


@pytest.mark.parametrize("ctype", ["", "pdf", "text/", "/plain", "text/plain\r\nX: y", "é/x"])
def test_invalid_content_types(ctype: str) -> None:
    with pytest.raises(ValueError):
        validate_content_type(ctype)


# -- factory -------------------------------------------------------------------------------


class Backend(str, enum.Enum):  # stands in for app.config.StorageBackend
    FILESYSTEM = "filesystem"
    S3 = "s3"


def test_build_filesystem_store(tmp_path: Path) -> None:
    for backend in ("filesystem", Backend.FILESYSTEM):
        store = build_store(
            backend, root=tmp_path, signing_secret=SIGNING_SECRET, base_url=FS_BASE_URL
        )
        assert isinstance(store, FilesystemStore)
        assert store.root == tmp_path.resolve()


def test_build_s3_store() -> None:
    for backend in ("s3", Backend.S3):
        store = build_store(
            backend,
            s3_bucket="tailor",
            s3_region="eu-west-1",
            s3_endpoint_url="http://127.0.0.1:9000",
            s3_access_key="minio",
            s3_secret_key="minio-secret",
        )
        assert isinstance(store, S3Store)
        assert store.bucket == "tailor"


def test_build_store_errors(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="unknown storage backend"):
        build_store("gcs")
    with pytest.raises(ValueError, match="filesystem storage needs"):
        build_store("filesystem", root=tmp_path)
    with pytest.raises(ValueError, match="s3 storage needs"):
        build_store("s3", s3_region="eu-west-1")
