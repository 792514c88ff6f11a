"""TAILOR_CORS_ORIGINS: browser apps on the listed origins can call the API, read signed
downloads and open the WebSocket; other origins cannot."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import websockets
from websockets.exceptions import InvalidStatus

from app.main import create_app
from tests.conftest import Servers
from tests.integration.conftest import LiveServer, make_settings
from tests.integration.edge_support import app_client, live_api

APP_ORIGIN = "http://app.localhost:5173"
OTHER_ORIGIN = "http://evil.localhost:6666"


async def test_preflight_and_simple_requests_from_an_allowed_origin(
    servers: Servers, tmp_path: Path
) -> None:
    settings = make_settings(servers, tmp_path, cors_origins=[APP_ORIGIN])
    async with app_client(create_app(settings)) as http:
        preflight = await http.options(
            "/graphql",
            headers={
                "Origin": APP_ORIGIN,
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "authorization, content-type, "
                "apollo-require-preflight",
            },
        )
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == APP_ORIGIN
        allowed = preflight.headers["access-control-allow-headers"].lower()
        for header in ("authorization", "content-type", "apollo-require-preflight"):
            assert header in allowed
        assert "access-control-allow-credentials" not in preflight.headers

        response = await http.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"Origin": APP_ORIGIN}
        )
        assert response.headers["access-control-allow-origin"] == APP_ORIGIN
        assert "x-request-id" in response.headers["access-control-expose-headers"].lower()

        refused = await http.options(
            "/graphql",
            headers={"Origin": OTHER_ORIGIN, "Access-Control-Request-Method": "POST"},
        )
        assert "access-control-allow-origin" not in refused.headers
        plain = await http.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"Origin": OTHER_ORIGIN}
        )
        assert "access-control-allow-origin" not in plain.headers


async def test_no_cors_headers_without_the_setting(servers: Servers, tmp_path: Path) -> None:
    async with app_client(create_app(make_settings(servers, tmp_path))) as http:
        response = await http.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"Origin": APP_ORIGIN}
        )
        assert "access-control-allow-origin" not in response.headers


async def test_signed_downloads_are_readable_from_allowed_origins(
    servers: Servers, tmp_path: Path
) -> None:
    settings = make_settings(servers, tmp_path, cors_origins=[APP_ORIGIN])
    application = create_app(settings)
    async with app_client(application) as http:
        store = application.state.runtime.store
        key = "users/00000000-0000-0000-0000-000000000001/exports/cv.pdf"
        await store.put(key, b"%PDF-1.7 test", "application/pdf")
        url = await store.signed_url(key, 60, filename="cv.pdf")
        path = url.removeprefix("http://testserver")
        response = await http.get(path, headers={"Origin": APP_ORIGIN})
        assert response.status_code == 200 and response.content == b"%PDF-1.7 test"
        assert response.headers["access-control-allow-origin"] == APP_ORIGIN
        assert "content-disposition" in response.headers["access-control-expose-headers"].lower()


@pytest.fixture(scope="module")
def cors_server(servers: Servers, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("cors-files")
    with live_api(servers, root, cors_origins=json.dumps([APP_ORIGIN])) as server:
        yield server


async def test_websocket_accepts_listed_origins_only(cors_server: LiveServer) -> None:
    async with websockets.connect(
        cors_server.ws_url,
        subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
        origin=APP_ORIGIN,  # type: ignore[arg-type]
    ) as ws:
        await ws.send(json.dumps({"type": "ping"}))
        assert json.loads(await ws.recv())["type"] == "pong"
    with pytest.raises(InvalidStatus) as refused:
        async with websockets.connect(
            cors_server.ws_url,
            subprotocols=["graphql-transport-ws"],  # type: ignore[list-item]
            origin=OTHER_ORIGIN,  # type: ignore[arg-type]
        ):
            pass
    assert refused.value.response.status_code == 403
