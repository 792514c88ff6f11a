"""What a person owns beyond documents: credits, share links, and deleting things
(including the whole account)."""

from __future__ import annotations

import uuid
from typing import Annotated

import strawberry
from strawberry.types import Info

from app.auth.api_keys import Scope
from app.db.unit_of_work import reading, transaction
from app.errors import Forbidden
from app.services import credits as credit_service
from app.services import deletion
from app.services import share_links as share_service
from app.services.users import get_user
from graphql_schema.context import Context
from graphql_schema.ids import parse_id
from graphql_schema.owned import change_by_id
from graphql_schema.pagination import After, Before, Connection, First, Last, PageArgs, paged
from graphql_schema.permissions import acting_user, caller, scoped, user_mutation, user_only
from graphql_schema.types.applications import (
    CreatedShareLink,
    CreditEntry,
    CreditGrant,
    ShareLink,
)


@strawberry.type(description="Your credits: the balance and the ledger behind it.")
class Credits:
    balance: int = strawberry.field(description="Credits available (held ones excluded).")
    user_id: strawberry.Private[uuid.UUID]

    @strawberry.field(description="Ledger rows, newest first.")
    async def ledger(
        self,
        info: Info[Context, None],
        first: First = None,
        after: After = None,
        last: Last = None,
        before: Before = None,
    ) -> Connection[CreditEntry]:
        listing = credit_service.ledger(info.context.runtime, self.user_id)
        return await paged(
            listing, CreditEntry.from_row, PageArgs(first, after, last, before), default=50
        )


@strawberry.type
class AccountDataQueries:
    @strawberry.field(
        extensions=scoped(Scope.USAGE_READ),
        description="Your credit balance and ledger ('usage:read' for keys).",
    )
    async def credits(self, info: Info[Context, None]) -> Credits:
        principal = caller(info)
        async with reading(info.context.runtime.db) as session:
            balance = await credit_service.balance_of(session, principal.user_id)
        return Credits(balance=balance, user_id=principal.user_id)

    @strawberry.field(
        extensions=user_only(), description="Share links of one of your versions, newest first."
    )
    async def share_links(
        self,
        info: Info[Context, None],
        version_id: Annotated[
            strawberry.ID, strawberry.argument(description="The version whose links to list.")
        ],
    ) -> list[ShareLink]:
        principal = caller(info)
        async with reading(info.context.runtime.db) as session:
            rows = await share_service.links_of(
                session, principal.user_id, parse_id(version_id, "versionId")
            )
        return [ShareLink.from_row(r) for r in rows]


@strawberry.type
class AccountDataMutations:
    @user_mutation("Admins only: add credits to a user's balance.")
    async def grant_credits(
        self,
        info: Info[Context, None],
        user_id: Annotated[
            strawberry.ID, strawberry.argument(description="Who receives the credits.")
        ],
        amount: Annotated[int, strawberry.argument(description="How many credits.")],
        note: Annotated[
            str | None, strawberry.argument(description="Why, kept on the ledger.")
        ] = None,
    ) -> CreditGrant:
        runtime, granter_id = acting_user(info)
        async with transaction(runtime.db) as session:
            granting_user = await get_user(session, granter_id)
            admins = {e.strip().lower() for e in runtime.settings.admin_emails}
            if granting_user.email.lower() not in admins:
                raise Forbidden("only an admin can grant credits")
            granted = await credit_service.grant(session, parse_id(user_id, "userId"), amount, note)
        return CreditGrant(entry=CreditEntry.from_row(granted.entry), balance=granted.balance)

    @user_mutation(
        "A read-only public link to a version (resume, letter, PDF); "
        "expiresIn in seconds (default 7 days)."
    )
    async def create_share_link(
        self,
        info: Info[Context, None],
        version_id: Annotated[
            strawberry.ID, strawberry.argument(description="The version to share.")
        ],
        expires_in: Annotated[
            int | None,
            strawberry.argument(
                description="Seconds until the link stops working (default 7 days)."
            ),
        ] = None,
    ) -> CreatedShareLink:
        runtime, user_id = acting_user(info)
        async with transaction(runtime.db) as session:
            created = await share_service.create(
                session, runtime, user_id, parse_id(version_id, "versionId"), expires_in
            )
        return CreatedShareLink(share_link=ShareLink.from_row(created.link), url=created.url)

    revoke_share_link: ShareLink = change_by_id(
        share_service.revoke,
        ShareLink,
        "Revoke a share link; it stops working at once.",
        "The share link.",
        with_runtime=False,
    )

    delete_job_description: bool = change_by_id(
        deletion.delete_job_description,
        None,
        "Delete a job description with its jobs, versions, files and links.",
        "The job description to delete.",
    )

    delete_version: bool = change_by_id(
        deletion.delete_version,
        None,
        "Delete a version with its files and share links.",
        "The version to delete.",
    )

    @user_mutation(
        "Delete your account: every record and stored file, API keys and "
        "sessions. Needs your password. Cannot be undone."
    )
    async def delete_account(
        self,
        info: Info[Context, None],
        password: Annotated[str, strawberry.argument(description="Your password, to confirm.")],
    ) -> bool:
        runtime, user_id = acting_user(info)
        # Read, verify, write (as signIn): argon2 (tens of ms of CPU) runs between the two
        # with no pooled connection held, so password checks cannot drain the pool.
        async with reading(runtime.db) as session:
            candidate = await deletion.find_account_to_delete(session, user_id)
        verified = await deletion.check_account_password(candidate, password)
        async with transaction(runtime.db) as session:  # re-confirm and delete: one unit
            await deletion.delete_account(session, runtime, verified)
        return True
