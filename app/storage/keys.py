"""Object keys: `users/{user_uuid}/<segment>/...`.

Keys end up as filesystem paths (FilesystemStore) and in URLs, so they are validated
segment by segment instead of being "cleaned": anything suspicious is refused outright, which
makes traversal impossible by construction rather than by a normalisation we might get wrong.
The owner's UUID is the second segment so ownership can be read from the key alone; the
signed-URL signature covers the whole key, hence the owner too.
"""

from __future__ import annotations

import unicodedata
import uuid

NAMESPACE = "users"
# S3's own limit (UTF-8 bytes); enforcing it here keeps both backends equivalent.
MAX_KEY_BYTES = 1024


class InvalidKey(ValueError):
    """The key (or a part of it) is malformed, unsafe or outside the `users/` namespace."""


def _check_segment(segment: str) -> None:
    if segment == "":
        raise InvalidKey("empty key segment (absolute path, leading/trailing or double '/')")
    if segment in (".", ".."):
        raise InvalidKey(f"relative path segment {segment!r} is not allowed")
    if "\\" in segment:
        raise InvalidKey("backslashes are not allowed in keys")
    for ch in segment:
        # Cc: control characters (NUL, newlines - header/log injection); Cf: invisible format
        # characters such as RTL overrides that make a key display differently than it is.
        if unicodedata.category(ch) in ("Cc", "Cf"):
            raise InvalidKey(f"control character U+{ord(ch):04X} is not allowed in keys")


def _canonical_user_id(user_id: uuid.UUID | str) -> str:
    if isinstance(user_id, uuid.UUID):
        return str(user_id)
    try:
        # Canonical lower-case hyphenated form, so one user never has two namespaces.
        return str(uuid.UUID(user_id))
    except (ValueError, AttributeError, TypeError) as exc:
        raise InvalidKey(f"user id is not a UUID: {user_id!r}") from exc


def validate_key(key: str) -> str:
    """Return `key` unchanged if it is a safe key inside `users/{uuid}/`, else raise InvalidKey."""
    if not isinstance(key, str):
        raise InvalidKey("key must be a string")
    if len(key.encode("utf-8", errors="surrogatepass")) > MAX_KEY_BYTES:
        raise InvalidKey(f"key longer than {MAX_KEY_BYTES} bytes")
    segments = key.split("/")
    for segment in segments:
        _check_segment(segment)
    if len(segments) < 3 or segments[0] != NAMESPACE:
        raise InvalidKey(f"key must look like '{NAMESPACE}/<user-uuid>/<name>': {key!r}")
    if _canonical_user_id(segments[1]) != segments[1]:
        raise InvalidKey("the user id segment must be a canonical lower-case UUID")
    return key


def user_key(user_id: uuid.UUID | str, *parts: str) -> str:
    """Build `users/{user_id}/{parts...}`.

    A part may itself contain '/' (e.g. "exports/2024/cv.pdf"); every resulting segment is
    validated, so `user_key(uid, "../x")` or `user_key(uid, "/etc/passwd")` raise InvalidKey.
    """
    if not parts:
        raise InvalidKey("a key needs at least one part after the user id")
    for part in parts:
        if not isinstance(part, str):
            raise InvalidKey(f"key parts must be strings, got {type(part).__name__}")
    key = "/".join((NAMESPACE, _canonical_user_id(user_id), *parts))
    return validate_key(key)


def owner_of(key: str) -> str:
    """The user id (canonical UUID string) that owns `key`; InvalidKey if it has none."""
    return validate_key(key).split("/", 2)[1]


def is_owned_by(key: str, user_id: uuid.UUID | str) -> bool:
    """Whether `key` is a valid key in `user_id`'s namespace (False for malformed input)."""
    try:
        return owner_of(key) == _canonical_user_id(user_id)
    except InvalidKey:
        return False
