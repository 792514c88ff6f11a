"""Hand one composed message to the SMTP server and say honestly how it went.

Three outcomes besides success, told apart by how far the SMTP dialogue got:

- `PermanentSendError`: the server answered 5xx (sender, recipient or the message
  refused). It did not take the message; trying again would not help.
- `TransientSendError`: the server could not be reached, deferred with a 4xx, or the
  connection failed before the message content was handed over. It did not take the
  message; a retry may succeed and cannot duplicate it.
- `UnconfirmedSendError`: the connection dropped or timed out while the content was being
  transmitted or its final reply awaited. The server may have accepted it, so sending it
  again without the user's say-so could deliver it twice.
"""

from __future__ import annotations

from email.message import EmailMessage
from typing import Any

import aiosmtplib
import structlog

from app.config import Settings

log = structlog.get_logger("apply_email")


class TransientSendError(Exception):
    """Worth another try later (the task's retry helper decides how many)."""


class PermanentSendError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class UnconfirmedSendError(Exception):
    """The message content went out but no verdict came back: it may have been delivered."""


class _DataPhaseSMTP(aiosmtplib.SMTP):
    """aiosmtplib's client, noting when the DATA phase (the message content) starts."""

    data_started = False

    async def data(self, message: str | bytes, /, **kwargs: Any) -> aiosmtplib.SMTPResponse:
        self.data_started = True
        return await super().data(message, **kwargs)


def _classify(exc: Exception, *, data_started: bool) -> Exception:
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        codes = [r.code for r in exc.recipients]
        if codes and all(400 <= c < 500 for c in codes):
            return TransientSendError(f"recipient deferred ({codes[0]})")
        return PermanentSendError("SMTP_REJECTED", "the mail server refused the recipient")
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        # A reply code, even to the end of the content, is a verdict: not accepted.
        if 400 <= exc.code < 500:
            return TransientSendError(f"mail server deferred ({exc.code})")
        return PermanentSendError(
            "SMTP_REJECTED", f"the mail server refused the message ({exc.code})"
        )
    if data_started:  # connection lost or timed out with the content (partly) sent
        return UnconfirmedSendError(type(exc).__name__)
    return TransientSendError(type(exc).__name__)  # connection, timeout, disconnect


def _client(settings: Settings) -> _DataPhaseSMTP:
    return _DataPhaseSMTP(
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        username=settings.smtp_username,
        password=settings.smtp_password.get_secret_value() if settings.smtp_password else None,
        use_tls=settings.smtp_security == "tls",
        start_tls=settings.smtp_security == "starttls",
        timeout=settings.smtp_timeout_s,
    )


async def smtp_send(settings: Settings, message: EmailMessage) -> None:
    """Hand the message to the mail server. Returns once the server accepted it; raises
    PermanentSendError, TransientSendError or UnconfirmedSendError otherwise."""
    client = _client(settings)
    accepted = False
    try:
        async with client:
            await client.send_message(message)
            accepted = True
    except (aiosmtplib.SMTPException, OSError) as exc:
        if accepted:  # only the goodbye (QUIT) failed: the message is the server's
            log.info("smtp_quit_failed_after_acceptance", error=type(exc).__name__)
            return
        raise _classify(exc, data_started=client.data_started) from exc
