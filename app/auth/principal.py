"""Who is calling: a signed-in user (full access) or an API key (its scopes only)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from app.auth.api_keys import Scope
from app.errors import Forbidden


@dataclass(frozen=True)
class Principal:
    user_id: uuid.UUID
    api_key_id: uuid.UUID | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)
    # The sign-in session of an access token (signOut ends it); None for API keys.
    session_id: uuid.UUID | None = None

    @property
    def via_api_key(self) -> bool:
        return self.api_key_id is not None

    def require_scope(self, scope: Scope) -> None:
        if self.via_api_key and scope.value not in self.scopes:
            raise Forbidden(f"this API key lacks the '{scope.value}' scope")

    def require_user_session(self) -> None:
        """Mutations need a signed-in user; API keys are for scoped reads."""
        if self.via_api_key:
            raise Forbidden("API keys can only run scoped read queries")
