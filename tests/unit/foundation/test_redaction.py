"""Logs never carry e-mails, phone numbers, tokens, passwords or resume text."""

from __future__ import annotations

import json

import pytest
import structlog

from app.observability.logging import configure_logging
from app.observability.redaction import redact_text


@pytest.mark.parametrize(
    ("raw", "leak"),
    [
        ("contact alex.rivera@example.com now", "alex.rivera@example.com"),
        ("call +1 (555) 014-2231 today", "014-2231"),
        ("call 206-555-0188", "555-0188"),
        ("Authorization: Bearer abc.def.ghi", "abc.def.ghi"),
        ("token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl", "eyJhbGciOiJIUzI1NiJ9"),
        ("key tk_AbCdEfGhIjKlMnOpQrStUv", "tk_AbCdEfGhIjKlMnOpQrStUv"),
        ("openai sk-proj-abcdefghijklmnop", "sk-proj-abcdefghijklmnop"),
    ],
)
def test_redact_text(raw: str, leak: str) -> None:
    cleaned = redact_text(raw)
    assert leak not in cleaned
    assert "[" in cleaned


def test_plain_numbers_and_years_survive() -> None:
    text = "job 42 took 1500 ms in 2024"
    assert redact_text(text) == text


def test_logged_events_are_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging("INFO", json=True)
    structlog.get_logger("t").info(
        "signed_in",
        email="ada@example.com",
        password="hunter2hunter2",
        detail={"phone": "+44 20 7946 0321", "token": "abc"},
        text="Senior Software Engineer at Lumen Freight",
        note="mail me at ada@example.com",
    )
    line = json.loads(capsys.readouterr().err.strip().splitlines()[-1])
    dumped = json.dumps(line)
    for secret in ("ada@example.com", "hunter2hunter2", "7946", "Lumen Freight", '"abc"'):
        assert secret not in dumped
    assert line["event"] == "signed_in"
    assert line["password"] == "[REDACTED]"


def test_console_tracebacks_do_not_print_local_variables(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging("INFO", json=False)

    def handle(resume_text: str) -> None:
        raise ValueError("parse failed")

    secret = "Senior Software Engineer at " + "Lumen Freight"  # not in any source line
    try:
        handle(secret)
    except ValueError:
        structlog.get_logger("t").exception("job_crashed")
    err = capsys.readouterr().err
    assert "ValueError: parse failed" in err
    assert "Lumen Freight" not in err
