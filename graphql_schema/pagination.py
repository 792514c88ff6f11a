"""Relay-style connections with opaque keyset cursors (created_at + id, newest first)."""

from __future__ import annotations

import base64
import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

import strawberry

from app.errors import InvalidInput
from app.services.paging import Keyset

MAX_PAGE = 100

NodeT = TypeVar("NodeT")
RowT = TypeVar("RowT", bound="HasKey")


class HasKey(Protocol):
    @property
    def id(self) -> uuid.UUID: ...

    @property
    def created_at(self) -> dt.datetime: ...


@dataclass(frozen=True)
class Cursor:
    created_at: dt.datetime
    id: uuid.UUID


def encode_cursor(created_at: dt.datetime, row_id: uuid.UUID) -> str:
    return base64.urlsafe_b64encode(f"{created_at.isoformat()}|{row_id}".encode()).decode()


def decode_cursor(cursor: str | None) -> Cursor | None:
    if not cursor:
        return None
    try:
        created, _, row_id = base64.urlsafe_b64decode(cursor.encode()).decode().partition("|")
        return Cursor(dt.datetime.fromisoformat(created), uuid.UUID(row_id))
    except ValueError as exc:
        raise InvalidInput("invalid cursor", field="after") from exc


@dataclass(frozen=True)
class PageRequest:
    """`first`/`after` checked and decoded, in the form the services' keyset paging takes."""

    size: int
    after: Keyset | None

    @property
    def limit(self) -> int:
        return self.size + 1  # the extra row only says whether a next page exists


def page_request(first: int | None, after: str | None, default: int = 20) -> PageRequest:
    size = default if first is None else first
    if not 1 <= size <= MAX_PAGE:
        raise InvalidInput(f"'first' must be between 1 and {MAX_PAGE}", field="first")
    cursor = decode_cursor(after)
    return PageRequest(size, (cursor.created_at, cursor.id) if cursor else None)


@strawberry.type(description="Where a page sits in the whole list.")
class PageInfo:
    has_next_page: bool = strawberry.field(description="Whether more items follow this page.")
    end_cursor: str | None = strawberry.field(description="Pass as 'after' for the next page.")


@strawberry.type(description="One item of a page and its cursor.")
class Edge(Generic[NodeT]):
    cursor: str = strawberry.field(description="Opaque position of this item.")
    node: NodeT = strawberry.field(description="The item.")


@strawberry.type(description="A page of items, newest first.")
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]] = strawberry.field(description="The items of this page.")
    page_info: PageInfo = strawberry.field(description="Paging information.")


def build_connection(
    rows: Sequence[RowT], size: int, to_node: Callable[[RowT], NodeT]
) -> Connection[NodeT]:
    """`rows` was fetched with `PageRequest.limit`: one row more than the page holds."""
    page = rows[:size]
    edges = [Edge(cursor=encode_cursor(r.created_at, r.id), node=to_node(r)) for r in page]
    return Connection(
        edges=edges,
        page_info=PageInfo(
            has_next_page=len(rows) > size, end_cursor=edges[-1].cursor if edges else None
        ),
    )
