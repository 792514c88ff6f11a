"""Password hashing with argon2id."""

from __future__ import annotations

import asyncio
import functools
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()

# Verified against when the e-mail is unknown, so both paths cost one argon2 run and
# timing does not reveal which accounts exist.
_DUMMY_HASH = _hasher.hash("not-a-real-password")

MIN_LENGTH = 8
MAX_LENGTH = 256


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


# argon2 costs tens of milliseconds of CPU by design: on the event loop, a handful of
# parallel sign-ins would stall every other request. A small pool bounds both the loop
# stall (zero) and the CPU a burst of sign-ins can take (argon2 releases the GIL).
HASHING_THREADS = 2
_pool = ThreadPoolExecutor(max_workers=HASHING_THREADS, thread_name_prefix="argon2")


async def hash_password_async(password: str) -> str:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_pool, hash_password, password)


async def verify_password_async(password_hash: str | None, password: str) -> bool:
    loop = asyncio.get_running_loop()
    check = functools.partial(verify_password, password_hash, password)
    return await loop.run_in_executor(_pool, check)
