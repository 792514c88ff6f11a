"""Sign up, sign in, `me`, and API key management."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from app.auth.api_keys import Scope
from app.auth.tokens import issue_access_token
from app.db.models import User as UserRow
from app.services import api_keys as api_key_service
from app.services import users as user_service
from graphql_schema.context import Context
from graphql_schema.ids import parse_id
from graphql_schema.types.users import ApiKey, AuthPayload, CreatedApiKey, User


def _auth_payload(context: Context, row: UserRow) -> AuthPayload:
    tokens = context.runtime.tokens
    return AuthPayload(
        access_token=issue_access_token(tokens, row.id),
        token_type="Bearer",
        expires_in=tokens.ttl_s,
        user=User.from_row(row),
    )


@strawberry.type
class AccountQueries:
    @strawberry.field(description="The calling user (API keys need the 'profile:read' scope).")
    async def me(self, info: Info[Context, None]) -> User:
        principal = info.context.require_principal()
        principal.require_scope(Scope.PROFILE_READ)
        return User.from_row(
            await user_service.get_user(info.context.runtime.db, principal.user_id)
        )

    @strawberry.field(description="The calling user's API keys, newest first.")
    async def api_keys(self, info: Info[Context, None]) -> list[ApiKey]:
        principal = info.context.require_user()
        rows = await api_key_service.list_api_keys(info.context.runtime.db, principal.user_id)
        return [ApiKey.from_row(r) for r in rows]


@strawberry.type
class AccountMutations:
    @strawberry.mutation(description="Create an account and return an access token.")
    async def sign_up(
        self,
        info: Info[Context, None],
        email: str,
        password: str,
        display_name: str | None = None,
    ) -> AuthPayload:
        row = await user_service.sign_up(info.context.runtime.db, email, password, display_name)
        return _auth_payload(info.context, row)

    @strawberry.mutation(description="Exchange e-mail and password for an access token.")
    async def sign_in(self, info: Info[Context, None], email: str, password: str) -> AuthPayload:
        row = await user_service.sign_in(info.context.runtime.db, email, password)
        return _auth_payload(info.context, row)

    @strawberry.mutation(
        description="Create an API key with the given scopes; its secret is returned only once."
    )
    async def create_api_key(
        self, info: Info[Context, None], name: str, scopes: list[str]
    ) -> CreatedApiKey:
        principal = info.context.require_user()
        created = await api_key_service.create_api_key(
            info.context.runtime.db, principal.user_id, name, scopes
        )
        return CreatedApiKey(api_key=ApiKey.from_row(created.key), secret=created.secret)

    @strawberry.mutation(description="Revoke an API key; it stops working at once.")
    async def revoke_api_key(self, info: Info[Context, None], id: strawberry.ID) -> ApiKey:
        principal = info.context.require_user()
        row = await api_key_service.revoke_api_key(
            info.context.runtime.db, principal.user_id, parse_id(id)
        )
        return ApiKey.from_row(row)
