"""GraphiQL from the app's own pinned assets (or the CDN when configured)."""

from __future__ import annotations

from pathlib import Path

from app.main import create_app
from tests.conftest import Servers
from tests.integration.conftest import make_settings
from tests.integration.edge_support import app_client

HTML = {"accept": "text/html"}


async def test_local_assets_are_served_and_nothing_else(servers: Servers, tmp_path: Path) -> None:
    async with app_client(create_app(make_settings(servers, tmp_path))) as http:
        page = (await http.get("/graphql", headers=HTML)).text
        assert "/graphiql/graphiql.min.js" in page and "unpkg" not in page
        script = await http.get("/graphiql/graphiql.min.js")
        assert script.status_code == 200
        assert script.headers["content-type"].startswith("text/javascript")
        assert len(script.content) > 100_000
        assert (await http.get("/graphiql/LICENSE-graphiql.txt")).status_code == 200
        for other in ("package.json", "..%2Fpackage.json", "graphiql%2Fpackage.json"):
            assert (await http.get(f"/graphiql/{other}")).status_code == 404


async def test_cdn_option(servers: Servers, tmp_path: Path) -> None:
    settings = make_settings(servers, tmp_path, graphiql_assets="cdn")
    async with app_client(create_app(settings)) as http:
        page = (await http.get("/graphql", headers=HTML)).text
        assert "unpkg.com" in page
        assert (await http.get("/graphiql/graphiql.min.js")).status_code == 404
