"""A bare Strawberry app with one `hello` field: the transport baseline of the read-path
bench (uvicorn + Starlette + Strawberry's view, nothing of Tailor)."""

from __future__ import annotations

import strawberry
from strawberry.asgi import GraphQL


@strawberry.type
class Query:
    @strawberry.field
    def hello(self) -> str:
        return "hello"


app = GraphQL(strawberry.Schema(query=Query))
