"""Starlette GraphQL view: builds the context and authenticates WebSocket connections."""

from __future__ import annotations

import json
from typing import Any

import structlog
from cross_web import HTTPException
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, process_result
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.types import ExecutionResult
from strawberry.types.unset import UnsetType

from app.auth.principal import Principal
from app.errors import AppError, ServiceUnavailable
from app.observability.request_id import accept_or_new, new_request_id
from app.runtime import Runtime
from graphql_schema.auth import (
    DEV_USER_HEADER,
    bearer_token,
    dev_principal,
    offline_principal,
    principal_from_token,
)
from graphql_schema.context import Context
from graphql_schema.errors import coded_error
from graphql_schema.live_send import LiveTransportWSHandler, LiveWSHandler
from graphql_schema.message_json import encode_message
from graphql_schema.transport import (
    METHOD_NOT_ALLOWED,
    BodyLimits,
    TransportError,
    capped_receive,
    check_post,
    code_for_status,
    error_response,
    parse_json_body,
)
from graphql_schema.ws import rejection, rejection_for, sized_adapter

log = structlog.get_logger("graphql.view")


class TailorGraphQL(GraphQL[Context, None]):
    # Live events of a subscription are sent by its own task (graphql_schema/live_send.py).
    graphql_transport_ws_handler_class = LiveTransportWSHandler
    graphql_ws_handler_class = LiveWSHandler

    def __init__(
        self,
        runtime_ref: dict[str, Runtime],
        *,
        body_limits: BodyLimits,
        ws_max_message_bytes: int,
        ide_html: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._runtime_ref = runtime_ref
        self._body_limits = body_limits
        self._ide_html = ide_html
        self.websocket_adapter_class = sized_adapter(ws_max_message_bytes)

    def encode_json(self, data: object) -> str:
        # A subscription result's data is serialised once for all its sockets (fanout.py).
        return encode_message(data)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request_id = str(scope.get("state", {}).get("request_id") or new_request_id())
        try:
            response = await self._serve_http(scope, receive)
        except TransportError as exc:
            response = exc.response(request_id)
        except HTTPException as exc:
            code = code_for_status(exc.status_code)
            response = error_response(exc.status_code, code, exc.reason, request_id)
        await response(scope, receive, send)

    async def _serve_http(self, scope: Scope, receive: Receive) -> Response:
        """Method, content type, CSRF header and body size are settled before Strawberry runs."""
        method = scope["method"]
        if method not in ("GET", "POST"):
            raise TransportError(
                405, METHOD_NOT_ALLOWED, "use POST (or GET for queries)", {"Allow": "GET, POST"}
            )
        if method == "POST":
            cap = check_post(Headers(scope=scope), self._body_limits)
            receive = capped_receive(receive, cap)
        request = Request(scope, receive)
        if method == "POST":
            await request.body()  # read here, under the cap; Strawberry reuses the cached body
        return await self.run(request)

    def parse_json(self, data: str | bytes) -> Any:
        return parse_json_body(data)

    def decode_json(self, data: str | bytes) -> object:
        try:
            return json.loads(data)
        except RecursionError as exc:
            # WebSocket frames: treated like any other unparsable message.
            raise json.JSONDecodeError("nested too deeply", "", 0) from exc

    async def execute_single(self, *args: Any, **kwargs: Any) -> ExecutionResult:
        try:
            return await super().execute_single(*args, **kwargs)
        except HTTPException as exc:
            if isinstance(exc.__cause__, InvalidOperationTypeError):
                # Mutations (signIn, signUp, refreshToken...) over GET would leave their
                # arguments in URLs and logs: refused, as GraphQL over HTTP says, with 405.
                raise TransportError(
                    405,
                    METHOD_NOT_ALLOWED,
                    "only queries may be sent with GET; send mutations with POST",
                    {"Allow": "POST"},
                ) from exc
            raise

    async def render_graphql_ide(self, request: Request) -> Response:
        if self._ide_html is None:
            return await super().render_graphql_ide(request)
        return HTMLResponse(self._ide_html)

    def is_websocket_origin_allowed(self, request: WebSocket, origin: str) -> bool:
        allowed = super().is_websocket_origin_allowed(request, origin)
        if not allowed:
            log.warning(
                "websocket_origin_refused",
                origin=origin,
                hint="add this origin to TAILOR_CORS_ORIGINS to let its pages connect",
            )
        return allowed

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
            for error in result.errors:
                # Errors raised before the operation hooks ran (document too long) have a
                # code but no request id yet.
                error.extensions = {"requestId": request_id, **(error.extensions or {})}
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
        except ServiceUnavailable as exc:
            # A database outage is no verdict on the credential: stay connected (operations
            # answer SERVICE_UNAVAILABLE until the database is back).
            principal = offline_principal(self.runtime, token) if isinstance(token, str) else None
            if principal is None:
                context.auth_error = exc
                return {"code": exc.code, **exc.details}
        except AppError as exc:
            raise rejection_for(_websocket(context), exc) from exc
        if principal is None:
            raise rejection(
                _websocket(context),
                "UNAUTHENTICATED",
                'send a token in connection_init: {"Authorization": "Bearer <token>"}',
            )
        context.principal = principal
        return {"userId": str(principal.user_id)}


def _websocket(context: Context) -> WebSocket:
    assert isinstance(context.request, WebSocket)
    return context.request
