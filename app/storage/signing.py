"""HMAC-signed, expiring download URLs for the filesystem backend (S3 presigns its own).

The signature covers the key (which embeds the owner's UUID), the expiry and the download
filename, so none of them can be altered without invalidating the URL. The message is
JSON-encoded and prefixed with a purpose tag: JSON makes field boundaries unambiguous, the tag
keeps these MACs from ever being valid for another use of the same secret (the dev defaults
share one secret between JWTs and file URLs).
"""

from __future__ import annotations

import base64
import enum
import hashlib
import hmac
import json

_PURPOSE = b"tailor-files-v1\n"
# S3 SigV4 presigned URLs cannot live longer than 7 days; apply the same cap to both backends.
MAX_TTL_S = 7 * 24 * 3600
_MIN_SECRET_CHARS = 16


class SignatureFailure(enum.StrEnum):
    EXPIRED = "expired"
    INVALID_SIGNATURE = "invalid_signature"


class SignatureError(Exception):
    """A signed request was refused; `reason` says whether it was forged or merely stale."""

    def __init__(self, reason: SignatureFailure) -> None:
        super().__init__(reason.value)
        self.reason = reason


def check_ttl(ttl_s: int) -> int:
    if isinstance(ttl_s, bool) or not isinstance(ttl_s, int) or not 0 < ttl_s <= MAX_TTL_S:
        raise ValueError(f"ttl_s must be an int in 1..{MAX_TTL_S}, got {ttl_s!r}")
    return ttl_s


def _parse_exp(exp: str | int) -> int:
    if isinstance(exp, bool):
        raise SignatureError(SignatureFailure.INVALID_SIGNATURE)
    if isinstance(exp, int):
        return exp
    # isascii: int() would also accept e.g. Arabic-Indic digits, signs and whitespace, which
    # would give one signature several spellings.
    if not (exp.isascii() and exp.isdigit() and len(exp) <= 12):
        raise SignatureError(SignatureFailure.INVALID_SIGNATURE)
    return int(exp)


class UrlSigner:
    def __init__(self, secret: str | bytes) -> None:
        if len(secret) < _MIN_SECRET_CHARS:
            raise ValueError(f"signing secret must be at least {_MIN_SECRET_CHARS} characters")
        self._secret = secret.encode("utf-8") if isinstance(secret, str) else secret

    def sign(self, key: str, exp: int, filename: str | None = None) -> str:
        message = _PURPOSE + json.dumps([key, exp, filename], separators=(",", ":")).encode()
        digest = hmac.new(self._secret, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")

    def verify(
        self, key: str, exp: str | int, sig: str, filename: str | None, *, now: float
    ) -> None:
        """Raise SignatureError unless `sig` is valid for these fields and `exp` is in the future.

        The signature is checked before the expiry so a tampered `exp` reports
        INVALID_SIGNATURE, never EXPIRED.
        """
        exp_int = _parse_exp(exp)
        expected = self.sign(key, exp_int, filename).encode("ascii")
        # Constant-time compare; encode first because compare_digest rejects non-ASCII str.
        if not hmac.compare_digest(expected, sig.encode("utf-8", errors="replace")):
            raise SignatureError(SignatureFailure.INVALID_SIGNATURE)
        if now >= exp_int:
            raise SignatureError(SignatureFailure.EXPIRED)
