"""What a new password must be: at least 10 characters, not only spaces, and not guessable
(zxcvbn score >= 3: its dictionaries of common passwords, names, keyboard patterns and
l33t variants, plus the person's own e-mail and name).

zxcvbn is pure Python and costs up to ~20 ms on long inputs, so it runs in a thread.
"""

from __future__ import annotations

import asyncio

from zxcvbn import zxcvbn

from app.errors import InvalidInput

MIN_LENGTH = 10
MAX_LENGTH = 256
MIN_SCORE = 3
# zxcvbn refuses longer inputs; the first 72 characters decide the strength anyway.
_SCORED_PREFIX = 72


def password_problem(password: str, user_inputs: list[str]) -> str | None:
    """Why this password is refused, or None when it is acceptable."""
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        return f"password must be {MIN_LENGTH} to {MAX_LENGTH} characters long"
    if not password.strip():
        return "password must not be only spaces"
    verdict = zxcvbn(password[:_SCORED_PREFIX], user_inputs=[u for u in user_inputs if u])
    if int(verdict["score"]) < MIN_SCORE:
        hint = (verdict.get("feedback") or {}).get("warning") or "it is too easy to guess"
        return f"choose a stronger password: {hint.rstrip('.')}. A few unrelated words work well"
    return None


async def check_new_password(password: str, user_inputs: list[str]) -> None:
    problem = await asyncio.to_thread(password_problem, password, user_inputs)
    if problem is not None:
        raise InvalidInput(problem, field="password")
