from __future__ import annotations

from tests.integration.conftest import GraphQLClient


async def test_me_after_sign_up(client: GraphQLClient, user: tuple[str, str]) -> None:
    data = await client.ok("{ me { id email } }")
    assert data["me"]["id"] == user[1]
