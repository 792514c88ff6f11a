"""The root fields of one kind of the caller's objects, declared once per kind.

    RESUMES = Owned(Resume, Scope.RESUMES_READ, "resume")
    resumes: Connection[Resume] = RESUMES.connection(_resumes, "The caller's resumes ...")
    resume: Resume = RESUMES.by_id(resume_service.get_resume, "One of the caller's resumes.")

Both fields carry the kind's permission extension (`scoped(scope)`: a user, or an API key
with that scope). `by_id` is `(id: ID!) -> Node`: the service loads the row in one read
(`reading()`), NOT_FOUND when it is missing or someone else's (services.ownership), and
the row becomes the node with `from_row`; `connection` is pagination.connection.
`change_by_id` is the same for a mutation on one of the caller's objects (delete, revoke):
signed-in users only (`user_only()`: API keys only ever read), one transaction.
"""

from __future__ import annotations

import inspect
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, Generic

import strawberry

from app.auth.api_keys import Scope
from app.db.unit_of_work import reading, transaction
from app.services.paging import Listing
from graphql_schema.ids import parse_id
from graphql_schema.pagination import DEFAULT_PAGE, INFO_PARAMETER, FromRow, NodeT, connection
from graphql_schema.permissions import acting_user, caller, scoped, user_only

# A service's owner-checked getter: (session, user_id, id) -> row.
OwnedGetter = Callable[[Any, uuid.UUID, uuid.UUID], Awaitable[Any]]


@dataclass(frozen=True)
class Owned(Generic[NodeT]):
    """One kind of the caller's objects as the API shows it: its node type and the API-key
    scope that reads it."""

    node: FromRow[NodeT]
    scope: Scope
    what: str  # how the id argument names it: "The {what}'s id."

    def connection(
        self, listing: Callable[..., Listing[Any]], description: str, default: int = DEFAULT_PAGE
    ) -> Any:
        """The list field (see pagination.connection)."""
        return connection(
            self.node,
            listing,
            description=description,
            extensions=scoped(self.scope),
            default=default,
        )

    def by_id(self, get: OwnedGetter, description: str, *, id_description: str = "") -> Any:
        """The field `(id: ID!) -> node`, `get` reading the row for the caller."""
        to_node = self.node.from_row

        async def resolve(info: strawberry.Info, id: strawberry.ID) -> NodeT:
            user_id = caller(info).user_id
            async with reading(info.context.runtime.db) as session:
                row = await get(session, user_id, parse_id(id))
            return to_node(row)

        about_id = id_description or f"The {self.what}'s id."
        resolve.__signature__ = _id_signature(about_id, self.node)  # type: ignore[attr-defined]
        return strawberry.field(
            resolver=resolve, description=description, extensions=scoped(self.scope)
        )


def change_by_id(
    change: Callable[..., Awaitable[Any]],
    node: FromRow[NodeT] | None,
    description: str,
    id_description: str,
    *,
    with_runtime: bool = True,
) -> Any:
    """The mutation `(id: ID!) -> node` (or `-> Boolean!`, true, when `node` is None):
    `change(session, runtime, user_id, id)` (without `runtime` if `with_runtime` is
    False) in one transaction, its row mapped with `node.from_row`."""

    async def resolve(info: strawberry.Info, id: strawberry.ID) -> Any:
        runtime, user_id = acting_user(info)
        args = (runtime, user_id, parse_id(id)) if with_runtime else (user_id, parse_id(id))
        async with transaction(runtime.db) as session:
            row = await change(session, *args)
        return node.from_row(row) if node is not None else True

    returns = bool if node is None else node
    resolve.__signature__ = _id_signature(id_description, returns)  # type: ignore[attr-defined]
    return strawberry.mutation(resolver=resolve, description=description, extensions=user_only())


def _id_signature(id_description: str, returns: object) -> inspect.Signature:
    """`(info, id: ID!) -> returns`: Strawberry reads a resolver's arguments from its
    signature, and the id's description differs per field."""
    described_id = Annotated[strawberry.ID, strawberry.argument(description=id_description)]
    return inspect.Signature(
        [INFO_PARAMETER, inspect.Parameter("id", INFO_PARAMETER.kind, annotation=described_id)],
        return_annotation=returns,
    )
