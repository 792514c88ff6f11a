"""Relay connections with opaque keyset cursors (created_at + id, newest first).

Every list of the API goes through `paged()`: `first`/`after` pages forwards (older),
`last`/`before` backwards (newer); `totalCount` runs its query only when selected.
A root list field is declared with `connection()`: a listing function plus its node type.
"""

from __future__ import annotations

import base64
import datetime as dt
import inspect
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any, Generic, Protocol, TypeVar

import strawberry
from strawberry.extensions.field_extension import FieldExtension

from app.errors import InvalidInput
from app.services.paging import Keyset, Listing, Window

MAX_PAGE = 100
DEFAULT_PAGE = 20

NodeT = TypeVar("NodeT")
NodeT_co = TypeVar("NodeT_co", covariant=True)
RowT = TypeVar("RowT", bound="HasKey")


class HasKey(Protocol):
    @property
    def id(self) -> uuid.UUID: ...

    @property
    def created_at(self) -> dt.datetime: ...


def encode_cursor(created_at: dt.datetime, row_id: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(f"{created_at.isoformat()}|{row_id}".encode()).decode()


def decode_cursor(cursor: str | None, field: str = "after") -> Keyset | None:
    if not cursor:
        return None
    try:
        created, _, row_id = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
        return dt.datetime.fromisoformat(created), uuid.UUID(row_id)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"invalid cursor in '{field}'", field=field) from exc


@dataclass(frozen=True)
class PageArgs:
    """The four Relay arguments as a client sent them."""

    first: int | None = None
    after: str | None = None
    last: int | None = None
    before: str | None = None


def page_window(args: PageArgs, default: int = DEFAULT_PAGE) -> Window:
    """Checked arguments as a service window; INVALID_INPUT before any query runs."""
    if args.first is not None and args.last is not None:
        raise InvalidInput("give 'first' or 'last', not both", field="last")
    backward = args.last is not None
    size = args.last if backward else args.first
    size = default if size is None else size
    if not 1 <= size <= MAX_PAGE:
        name = "last" if backward else "first"
        raise InvalidInput(f"'{name}' must be between 1 and {MAX_PAGE}", field=name)
    return Window(
        size=size,
        after=decode_cursor(args.after, "after"),
        before=decode_cursor(args.before, "before"),
        backward=backward,
    )


@strawberry.type(description="Where a page sits in the whole list (Relay PageInfo).")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="Whether older items follow this page (exact when paging with 'first')."
    )
    has_previous_page: bool = strawberry.field(
        description="Whether newer items precede this page (exact when paging with 'last')."
    )
    start_cursor: str | None = strawberry.field(
        description="Cursor of the first item; pass as 'before' for the previous page."
    )
    end_cursor: str | None = strawberry.field(
        description="Cursor of the last item; pass as 'after' for the next page."
    )


@strawberry.type(description="One item of a page and its cursor.")
class Edge(Generic[NodeT]):
    cursor: str = strawberry.field(description="Opaque position of this item.")
    node: NodeT = strawberry.field(description="The item.")


@strawberry.type(description="A page of items, newest first (Relay connection).")
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]] = strawberry.field(description="The items of this page.")
    page_info: PageInfo = strawberry.field(description="Paging information.")
    counter: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="How many items the whole list holds (all pages).")
    async def total_count(self) -> int:
        return await self.counter()


async def paged(
    listing: Listing[Any],
    to_node: Callable[[Any], NodeT],
    args: PageArgs,
    default: int = DEFAULT_PAGE,
) -> Connection[NodeT]:
    """One window of `listing` as a Relay connection."""
    window = page_window(args, default)
    page = await listing.page(window)
    edges = [Edge(cursor=encode_cursor(r.created_at, r.id), node=to_node(r)) for r in page.rows]
    if window.backward:
        has_previous, has_next = page.has_more, window.before is not None
    else:
        has_previous, has_next = window.after is not None, page.has_more
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=has_next,
            has_previous_page=has_previous,
            start_cursor=edges[0].cursor if edges else None,
            end_cursor=edges[-1].cursor if edges else None,
        ),
        counter=listing.count,
    )


# The Relay arguments, described once, for every connection field.
First = Annotated[
    int | None,
    strawberry.argument(
        description=f"Page size reading towards older items, from the newest or from 'after' "
        f"(1-{MAX_PAGE}; default {DEFAULT_PAGE}, usage calls 50). Not with 'last'."
    ),
]
After = Annotated[
    str | None, strawberry.argument(description="Cursor: return items older than this one.")
]
Last = Annotated[
    int | None,
    strawberry.argument(
        description=f"Page size reading towards newer items, from the oldest or from 'before' "
        f"(1-{MAX_PAGE}). Not with 'first'."
    ),
]
Before = Annotated[
    str | None, strawberry.argument(description="Cursor: return items newer than this one.")
]


class FromRow(Protocol[NodeT_co]):
    """A GraphQL type made from a service row (`Resume.from_row`)."""

    def from_row(self, row: Any, /) -> NodeT_co: ...


# A resolver's `info`, for the signatures the field factories give their resolvers.
INFO_PARAMETER = inspect.Parameter(
    "info", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=strawberry.Info
)
_RELAY_PARAMETERS = [
    inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, default=None, annotation=annotation)
    for name, annotation in (("first", First), ("after", After), ("last", Last), ("before", Before))
]


def connection(
    node: FromRow[NodeT],
    listing: Callable[..., Listing[Any]],
    *,
    description: str,
    extensions: list[FieldExtension],
    default: int = DEFAULT_PAGE,
) -> Any:
    """A root list field: `listing(info, **filters)` says which rows (its parameters after
    the first, which receives `info`, are the field's filter arguments, annotated as
    resolver arguments are), the Relay arguments follow them, and each row becomes
    `node.from_row(row)`."""
    to_node = node.from_row

    async def resolve(
        info: strawberry.Info,
        first: int | None = None,
        after: str | None = None,
        last: int | None = None,
        before: str | None = None,
        **filters: Any,
    ) -> Connection[NodeT]:
        args = PageArgs(first, after, last, before)
        return await paged(listing(info, **filters), to_node, args, default)

    # Strawberry reads a resolver's arguments from its signature: info, the listing's
    # filters (annotations evaluated in the listing's module), the four Relay arguments.
    _, *own = inspect.signature(listing, eval_str=True).parameters.values()
    resolve.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [INFO_PARAMETER, *own, *_RELAY_PARAMETERS],
        return_annotation=Connection[node],  # type: ignore[valid-type]
    )
    return strawberry.field(resolver=resolve, description=description, extensions=extensions)
