"""Sign up, sign in, `me`, and API key management."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry.types import Info

from app.auth.api_keys import Scope
from app.db.unit_of_work import reading, transaction
from app.errors import InvalidInput, Unauthenticated
from app.services import api_keys as api_key_service
from app.services import gates
from app.services import sessions as session_service
from app.services import users as user_service
from app.services.sessions import IssuedTokens
from graphql_schema.context import Context
from graphql_schema.owned import change_by_id
from graphql_schema.permissions import acting_user, caller, scoped, user_mutation, user_only
from graphql_schema.types.users import (
    ApiKey,
    AuthPayload,
    CreatedApiKey,
    SignOutPayload,
    User,
)

if TYPE_CHECKING:  # rows only annotate helpers; resolvers reach the database via services
    from app.db.models import User as UserRow


def _payload(issued: IssuedTokens, row: UserRow) -> AuthPayload:
    return AuthPayload(
        access_token=issued.access_token,
        token_type="Bearer",
        expires_in=issued.access_expires_in,
        refresh_token=issued.refresh_token,
        refresh_expires_in=issued.refresh_expires_in,
        user=User.from_row(row),
    )


@strawberry.type
class AccountQueries:
    @strawberry.field(
        extensions=scoped(Scope.PROFILE_READ),
        description="The calling user (API keys need the 'profile:read' scope).",
    )
    async def me(self, info: Info[Context, None]) -> User:
        principal = caller(info)
        async with reading(info.context.runtime.db) as session:
            return User.from_row(await user_service.get_user(session, principal.user_id))

    @strawberry.field(
        extensions=user_only(), description="The calling user's API keys, newest first."
    )
    async def api_keys(self, info: Info[Context, None]) -> list[ApiKey]:
        principal = caller(info)
        async with reading(info.context.runtime.db) as session:
            rows = await api_key_service.list_api_keys(session, principal.user_id)
            return [ApiKey.from_row(r) for r in rows]


@strawberry.type
class AccountMutations:
    @strawberry.mutation(description="Create an account and return an access token.")
    async def sign_up(
        self,
        info: Info[Context, None],
        email: Annotated[str, strawberry.argument(description="Sign-in e-mail address.")],
        password: Annotated[
            str, strawberry.argument(description="8 to 256 characters; only a hash is kept.")
        ],
        display_name: Annotated[
            str | None, strawberry.argument(description="Name shown in the interface.")
        ] = None,
    ) -> AuthPayload:
        runtime = info.context.runtime
        # The account and its first sign-in session commit together, or neither does.
        async with transaction(runtime.db) as session:
            row = await user_service.sign_up(session, email, password, display_name)
            issued = await session_service.start_session(
                session, runtime.tokens, runtime.settings.refresh_token_ttl_s, row.id
            )
        return _payload(issued, row)

    @strawberry.mutation(description="Exchange e-mail and password for an access token.")
    async def sign_in(
        self,
        info: Info[Context, None],
        email: Annotated[str, strawberry.argument(description="Sign-in e-mail address.")],
        password: Annotated[str, strawberry.argument(description="The account's password.")],
    ) -> AuthPayload:
        client = info.context.request.client
        runtime = info.context.runtime
        ip = client.host if client else None
        await gates.check_sign_in(runtime, email, ip)
        # Read, verify, write: argon2 (tens of ms of CPU) runs between the two with no
        # pooled connection held, so a burst of sign-ins cannot drain the pool.
        async with reading(runtime.db) as session:
            candidate = await user_service.find_sign_in_candidate(session, email)
        verified = await gates.check_sign_in_password(runtime, email, candidate, password)
        async with transaction(runtime.db) as session:  # re-check and first session: one unit
            row = await user_service.confirm_sign_in(session, verified)
            issued = await session_service.start_session(
                session, runtime.tokens, runtime.settings.refresh_token_ttl_s, row.id
            )
        return _payload(issued, row)

    @strawberry.mutation(
        description=(
            "Exchange a refresh token for a new access token and a new refresh token. Each "
            "refresh token works once; presenting a spent one revokes the whole session."
        )
    )
    async def refresh_token(
        self,
        info: Info[Context, None],
        refresh_token: Annotated[
            str, strawberry.argument(description="The refreshToken from the last AuthPayload.")
        ],
    ) -> AuthPayload:
        runtime = info.context.runtime
        async with transaction(runtime.db) as session:
            issued = await session_service.refresh(
                session, runtime.tokens, runtime.settings.refresh_token_ttl_s, refresh_token
            )
            if not isinstance(issued, Unauthenticated):
                return _payload(issued, await user_service.get_user(session, issued.user_id))
        raise issued  # a spent token: its session's revocation has committed

    @strawberry.mutation(
        description=(
            "End a session: its refresh token and access tokens stop working at once. "
            "Names the session by refresh token, else the calling access token's session; "
            "allSessions ends every session of the signed-in user."
        )
    )
    async def sign_out(
        self,
        info: Info[Context, None],
        refresh_token: Annotated[
            str | None, strawberry.argument(description="The session's refresh token.")
        ] = None,
        all_sessions: Annotated[
            bool, strawberry.argument(description="End every session of this user.")
        ] = False,
    ) -> SignOutPayload:
        context = info.context
        if all_sessions:
            principal = context.require_user()
            async with transaction(context.runtime.db) as session:
                revoked = await session_service.revoke_all_sessions(session, principal.user_id)
            return SignOutPayload(revoked_sessions=revoked)
        if refresh_token is not None:
            async with transaction(context.runtime.db) as session:
                found = await session_service.session_of_refresh_token(session, refresh_token)
                if found is None:
                    raise Unauthenticated(session_service.INVALID_MESSAGE)
                revoked = await session_service.revoke_session(session, found.user_id, found.id)
            return SignOutPayload(revoked_sessions=revoked)
        principal = context.require_user()
        if principal.session_id is None:
            raise InvalidInput("this token has no session; pass refreshToken", field="refreshToken")
        async with transaction(context.runtime.db) as session:
            revoked = await session_service.revoke_session(
                session, principal.user_id, principal.session_id
            )
        return SignOutPayload(revoked_sessions=revoked)

    @user_mutation("Create an API key with the given scopes; its secret is returned only once.")
    async def create_api_key(
        self,
        info: Info[Context, None],
        name: Annotated[str, strawberry.argument(description="A name to recognise the key by.")],
        scopes: Annotated[
            list[Scope], strawberry.argument(description="What the key may read (at least one).")
        ],
    ) -> CreatedApiKey:
        runtime, user_id = acting_user(info)
        async with transaction(runtime.db) as session:
            created = await api_key_service.create_api_key(
                session, user_id, name, [s.value for s in scopes]
            )
        return CreatedApiKey(api_key=ApiKey.from_row(created.key), secret=created.secret)

    revoke_api_key: ApiKey = change_by_id(
        api_key_service.revoke_api_key,
        ApiKey,
        "Revoke an API key; it stops working at once.",
        "The key's id.",
        with_runtime=False,
    )
