"""WebSocket details: rejections that say why, and bounded messages.

Strawberry closes a refused graphql-transport-ws `connection_init` with 4403 "Forbidden"
and a refused graphql-ws one with 1011 and no reason. The view records the real reason on
the socket's scope before refusing, and this adapter puts it in the close frame, so a
client can show "UNAUTHENTICATED: invalid or expired access token" (both protocols; the
legacy protocol also sends it in its `connection_error` payload).
"""

from __future__ import annotations

from collections.abc import AsyncGenerator
from json import JSONDecodeError

from starlette.websockets import WebSocket, WebSocketDisconnect, WebSocketState
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http.exceptions import (
    NonJsonMessageReceived,
    NonTextMessageReceived,
    WebSocketDisconnected,
)

from app.errors import AppError

REJECT_REASON_KEY = "tailor.ws_reject_reason"
# RFC 6455: a close reason is at most 123 bytes of UTF-8.
_MAX_REASON_BYTES = 123
# Close codes Strawberry uses when on_ws_connect refuses (per protocol).
_REJECTION_CLOSE_CODES = frozenset({4403, 1011})
MESSAGE_TOO_BIG = 1009


def rejection(websocket: WebSocket, code: str, message: str) -> ConnectionRejectionError:
    """Remember why the connection is refused; raise the returned error."""
    websocket.scope[REJECT_REASON_KEY] = close_reason(f"{code}: {message}")
    return ConnectionRejectionError({"code": code, "message": message})


def rejection_for(websocket: WebSocket, exc: AppError) -> ConnectionRejectionError:
    return rejection(websocket, exc.code, exc.message)


def close_reason(text: str) -> str:
    encoded = text.encode()[:_MAX_REASON_BYTES]
    return encoded.decode(errors="ignore")


class ReasonedWebSocketAdapter(ASGIWebSocketAdapter):
    """Closes with the recorded rejection reason and refuses oversized messages."""

    max_message_bytes = 1024 * 1024

    async def close(self, code: int, reason: str) -> None:
        recorded = self.ws.scope.get(REJECT_REASON_KEY)
        if code in _REJECTION_CLOSE_CODES and recorded:
            reason = recorded
        await super().close(code, reason)

    async def send_text(self, text: str) -> None:
        """An already encoded message (live_send.py), sent as `send_json` sends one."""
        try:
            await self.ws.send_text(text)
        except WebSocketDisconnect as exc:
            raise WebSocketDisconnected from exc

    async def iter_json(
        self, *, ignore_parsing_errors: bool = False
    ) -> AsyncGenerator[object, None]:
        # Strawberry's loop plus a size check before decoding. uvicorn's ws_max_size drops
        # larger frames already; this bound holds under any ASGI server.
        try:
            while self.ws.application_state != WebSocketState.DISCONNECTED:
                try:
                    text = await self.ws.receive_text()
                    if len(text) > self.max_message_bytes:
                        await self.close(MESSAGE_TOO_BIG, "message too big")
                        return
                    yield self.view.decode_json(text)
                except JSONDecodeError as e:
                    if not ignore_parsing_errors:
                        raise NonJsonMessageReceived from e
        except KeyError as e:
            raise NonTextMessageReceived from e
        except WebSocketDisconnect:
            pass


def sized_adapter(max_bytes: int) -> type[ReasonedWebSocketAdapter]:
    """An adapter class bound to one message size limit."""
    return type(
        "SizedWebSocketAdapter", (ReasonedWebSocketAdapter,), {"max_message_bytes": max_bytes}
    )
