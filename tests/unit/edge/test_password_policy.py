"""New passwords: length >= 10, not blank, not guessable (zxcvbn with the person's details)."""

from __future__ import annotations

import pytest

from app.auth.password_policy import password_problem

WEAK = [
    "password",  # short and the most common
    " " * 12,  # long enough, only spaces
    "password123",
    "qwertyuiop",  # keyboard walk
    "aaaaaaaaaaaaaa",
    "1234567890",
    "P@ssw0rd2024",  # l33t of a common word with a year
    "iloveyou12345",
]
STRONG = [
    "correct horse battery",
    "mango telescope ribbon",
    "Vq7!tR2#pL9x",
    "fan out password 1",
]


@pytest.mark.parametrize("password", WEAK)
def test_weak_passwords_are_refused(password: str) -> None:
    assert password_problem(password, ["someone@example.com"]) is not None


@pytest.mark.parametrize("password", STRONG)
def test_strong_passwords_pass(password: str) -> None:
    assert password_problem(password, ["someone@example.com"]) is None


def test_the_persons_own_details_do_not_make_a_password() -> None:
    email = "margarethamilton@example.com"
    own = "margarethamilton1"
    assert password_problem(own, [email, "margarethamilton"]) is not None


def test_length_bounds() -> None:
    assert "10 to 256" in (password_problem("Vq7!tR2#p", []) or "")
    assert "10 to 256" in (password_problem("x" * 257, []) or "")
    # Past zxcvbn's 72-character limit the prefix is scored, and a long random one passes.
    long_one = "mango telescope ribbon quartz lantern " + "Vq7!tR2#pL9x" * 15
    assert password_problem(long_one, []) is None
