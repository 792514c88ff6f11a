"""API key secrets: `tk_` + 43 url-safe characters; only a SHA-256 hash is stored."""

from __future__ import annotations

import enum
import hashlib
import secrets

PREFIX = "tk_"


class Scope(str, enum.Enum):
    """What an API key may do. Keys only ever read; writes need a signed-in user."""

    PROFILE_READ = "profile:read"
    RESUMES_READ = "resumes:read"
    JOBS_READ = "jobs:read"
    VERSIONS_READ = "versions:read"
    USAGE_READ = "usage:read"
    APPLICATIONS_READ = "applications:read"


def generate_secret() -> str:
    return PREFIX + secrets.token_urlsafe(32)


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def display_prefix(secret: str) -> str:
    return secret[: len(PREFIX) + 6]


def looks_like_api_key(token: str) -> bool:
    return token.startswith(PREFIX)
