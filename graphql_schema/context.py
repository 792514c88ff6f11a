"""Per-request (HTTP) or per-connection (WebSocket) context.

Strawberry shares one context across every operation on a WebSocket connection, so this
holds nothing that goes stale: no database session, no DataLoader. A resolver opens one
unit of work per use case (`transaction(runtime.db)` to write, `reading(runtime.db)` to
read: app.db.unit_of_work) and hands its session to the service; a subscription opens a
short one per event, never one for its whole life.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket

from app.auth.principal import Principal
from app.errors import AppError, Unauthenticated
from app.runtime import Runtime


@dataclass
class Context:
    runtime: Runtime
    request: Request | WebSocket
    response: Response | WebSocket | None
    request_id: str
    principal: Principal | None = None
    auth_error: AppError | None = None
    connection_params: dict[str, Any] | None = None

    def require_principal(self) -> Principal:
        if self.auth_error is not None:
            raise self.auth_error
        if self.principal is None:
            raise Unauthenticated("sign in first: send Authorization: Bearer <token>")
        return self.principal

    def require_user(self) -> Principal:
        """A signed-in user (not an API key): needed for every mutation."""
        principal = self.require_principal()
        principal.require_user_session()
        return principal
