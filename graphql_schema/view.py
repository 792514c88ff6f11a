"""Starlette GraphQL view: builds the context and authenticates WebSocket connections."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse, process_result
from strawberry.types import ExecutionResult
from strawberry.types.unset import UnsetType

from app.auth.principal import Principal
from app.errors import AppError
from app.observability.request_id import accept_or_new, new_request_id
from app.runtime import Runtime
from graphql_schema.auth import DEV_USER_HEADER, bearer_token, dev_principal, principal_from_token
from graphql_schema.context import Context
from graphql_schema.errors import coded_error


class TailorGraphQL(GraphQL[Context, None]):
    def __init__(self, runtime_ref: dict[str, Runtime], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._runtime_ref = runtime_ref

    @property
    def runtime(self) -> Runtime:
        return self._runtime_ref["runtime"]

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        if isinstance(request, WebSocket):
            # Authenticated later, from the connection_init payload (on_ws_connect).
            return Context(
                runtime=self.runtime,
                request=request,
                response=response,
                request_id=new_request_id(),
            )
        request_id = getattr(request.state, "request_id", None) or accept_or_new(
            request.headers.get("x-request-id")
        )
        context = Context(
            runtime=self.runtime, request=request, response=response, request_id=request_id
        )
        try:
            token = bearer_token(request.headers.get("authorization"))
            if token is not None:
                context.principal = await principal_from_token(self.runtime, token)
            else:
                context.principal = await dev_principal(
                    self.runtime, request.headers.get(DEV_USER_HEADER)
                )
        except AppError as exc:
            # Kept, not raised: signUp/signIn must still work; protected fields raise it.
            context.auth_error = exc
        return context

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        # Safety net: errors raised outside the operation hooks (e.g. the token limiter during
        # parsing) never met CodedErrors; give them a code and request id here.
        if result.errors:
            request_id = getattr(request.state, "request_id", None) or new_request_id()
            result.errors = [
                e if (e.extensions or {}).get("code") else coded_error(e, request_id)
                for e in result.errors
            ]
        return process_result(result)

    async def on_ws_connect(self, context: Context) -> UnsetType | dict[str, object] | None:
        params = context.connection_params or {}
        raw = params.get("Authorization") or params.get("authorization")
        token = params.get("token") or params.get("authToken")
        try:
            principal: Principal | None = None
            if isinstance(raw, str):
                token = bearer_token(raw)
            if isinstance(token, str) and token:
                principal = await principal_from_token(self.runtime, token)
            else:
                dev_user = params.get(DEV_USER_HEADER) or params.get("devUserId")
                principal = await dev_principal(
                    self.runtime, dev_user if isinstance(dev_user, str) else None
                )
        except AppError as exc:
            raise ConnectionRejectionError({"code": exc.code, "message": exc.message}) from exc
        if principal is None:
            raise ConnectionRejectionError(
                {"code": "UNAUTHENTICATED", "message": "send a token in connection_init"}
            )
        context.principal = principal
        return {"userId": str(principal.user_id)}
