"""Apply-by-e-mail test support: a real aiosmtpd server with scriptable replies, an app
wired to it, and the worker task run in-process."""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import httpx
from aiosmtpd.controller import Controller

from app.local_services import free_port
from app.main import create_app
from app.runtime import Runtime
from tests.conftest import Servers
from tests.integration.apps_support import accepted_version, new_application
from tests.integration.conftest import GraphQLClient, make_settings
from workers.apply_email import send_application_email

APPLY = """
mutation($id: ID!, $to: String, $subject: String, $message: String, $format: ExportFormat) {
  applyByEmail(applicationId: $id, to: $to, subject: $subject, message: $message,
               format: $format) { id status to subject format messageId }
}
"""
SEND = """query($id: ID!) { emailSend(id: $id) { status errorCode errorMessage attempts
  sentAt messageId } }"""
RESEND = """mutation($id: ID!, $confirm: Boolean!) {
  resendApplicationEmail(id: $id, confirmResend: $confirm) { id status errorCode messageId }
}"""
APP = """query($id: ID!) { application(id: $id) { status appliedAt
  history { kind actor toStatus note } emails { status } } }"""
COUNTS = "{ applicationAnalytics { kind count } }"
SIGN_UP = """mutation($e: String!) { signUp(email: $e, password: "correct horse battery",
  displayName: "Marta Kowalczyk") { accessToken } }"""


@dataclass
class Inbox:
    """An aiosmtpd handler: accepts and keeps messages, or answers with scripted codes.

    `data_replies` answer the end of the message content instead of 250 (the message is
    then not kept); `drops_after_data` counts messages that are kept, as a server that
    accepted them would, but whose connection is closed before the 250 reply goes out;
    `hold_reply` keeps the 250 back until the test releases it.
    """

    messages: list[EmailMessage] = field(default_factory=list)
    envelopes: list[tuple[str, list[str]]] = field(default_factory=list)
    rcpt_replies: list[str] = field(default_factory=list)  # consumed one per RCPT
    data_replies: list[str] = field(default_factory=list)  # consumed one per DATA
    drops_after_data: int = 0
    # Set: a kept message gets its reply only once the test sets the event (the client
    # waits for it, as a slow server would keep it waiting).
    hold_reply: threading.Event | None = None

    # aiosmtpd calls hooks by these upper-case names.
    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if self.rcpt_replies:
            return self.rcpt_replies.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.data_replies:
            return self.data_replies.pop(0)
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append(parsed)
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        if self.drops_after_data:
            self.drops_after_data -= 1
            server.transport.close()  # kept, but the client never hears it was
        if self.hold_reply is not None:
            await asyncio.to_thread(self.hold_reply.wait)
        return "250 Message accepted"


@contextmanager
def running_smtp() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@asynccontextmanager
async def signed_in_app(
    servers: Servers, tmp_path: Path, **overrides: Any
) -> AsyncIterator[tuple[GraphQLClient, Runtime]]:
    """The API wired to the test SMTP server (pass `smtp_port`), with a signed-in user."""
    values: dict[str, Any] = {
        "mail_from_address": "apply@tailor.example",
        "job_max_tries": 2,
        **overrides,
    }
    settings = make_settings(servers, tmp_path, **values)
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            gql = GraphQLClient(http)
            data = await gql.ok(SIGN_UP, {"e": f"marta-{uuid.uuid4().hex[:6]}@example.org"})
            gql.token = data["signUp"]["accessToken"]
            yield gql, application.state.runtime


async def application_with_version(gql: GraphQLClient, runtime: Runtime, **kw: Any) -> str:
    made = await accepted_version(gql, runtime, **kw)
    return str((await new_application(gql, versionId=made.version_id))["id"])


async def run_task(runtime: Runtime, send_id: str, job_try: int = 1) -> str | None:
    """The arq task as a worker runs it (try `job_try`)."""
    return await send_application_email({"runtime": runtime, "job_try": job_try}, send_id)
