"""GraphQL types for accounts and API keys."""

from __future__ import annotations

import datetime as dt

import strawberry

from app.auth.api_keys import Scope
from app.db.models import ApiKey as ApiKeyRow
from app.db.models import User as UserRow
from graphql_schema.types.enums import parse


@strawberry.type(description="A person with a Tailor account.")
class User:
    id: strawberry.ID = strawberry.field(description="Stable user id (UUID).")
    email: str = strawberry.field(description="Sign-in e-mail address, normalised to lower case.")
    display_name: str | None = strawberry.field(description="Name shown in the interface.")
    created_at: dt.datetime = strawberry.field(description="When the account was created.")

    @classmethod
    def from_row(cls, row: UserRow) -> User:
        return cls(
            id=strawberry.ID(str(row.id)),
            email=row.email,
            display_name=row.display_name,
            created_at=row.created_at,
        )


@strawberry.type(description="Result of signing up or in: a bearer token and its user.")
class AuthPayload:
    access_token: str = strawberry.field(
        description="JWT to send as 'Authorization: Bearer <token>'."
    )
    token_type: str = strawberry.field(description="Always 'Bearer'.")
    expires_in: int = strawberry.field(description="Seconds until the access token expires.")
    refresh_token: str = strawberry.field(
        description=(
            "Opaque secret for `refreshToken`: works once (each use returns a new one); "
            "using a spent one again revokes the whole session."
        )
    )
    refresh_expires_in: int = strawberry.field(
        description="Seconds until the refresh token expires if it is not used."
    )
    user: User = strawberry.field(description="The signed-in user.")


@strawberry.type(description="What `signOut` ended.")
class SignOutPayload:
    revoked_sessions: int = strawberry.field(
        description="Sessions that were live and are now revoked (0 if already signed out)."
    )


@strawberry.type(description="An API key for partner integrations; reads only, by scope.")
class ApiKey:
    id: strawberry.ID = strawberry.field(description="API key id.")
    name: str = strawberry.field(description="Name given at creation.")
    prefix: str = strawberry.field(description="First characters of the secret, to recognise it.")
    scopes: list[Scope] = strawberry.field(description="What the key may read.")
    created_at: dt.datetime = strawberry.field(description="When the key was created.")
    last_used_at: dt.datetime | None = strawberry.field(description="Last successful use.")
    revoked_at: dt.datetime | None = strawberry.field(description="When it was revoked, if so.")

    @classmethod
    def from_row(cls, row: ApiKeyRow) -> ApiKey:
        return cls(
            id=strawberry.ID(str(row.id)),
            name=row.name,
            prefix=row.prefix,
            scopes=[parse(Scope, s, Scope.PROFILE_READ) for s in row.scopes],
            created_at=row.created_at,
            last_used_at=row.last_used_at,
            revoked_at=row.revoked_at,
        )


@strawberry.type(description="A newly created API key. The secret is shown only this once.")
class CreatedApiKey:
    api_key: ApiKey = strawberry.field(description="The stored key (without its secret).")
    secret: str = strawberry.field(description="The secret; store it now, it is not kept.")
