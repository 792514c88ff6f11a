"""Real browser (Debian's chromium driven by Playwright, no browser download):

1. a page served from a second origin signs up, uploads a file (multipart with the CSRF
   preflight header), tailors, follows progress over graphql-ws and downloads the PDF with
   fetch(), all through CORS;
2. GraphiQL loads with every request off localhost aborted, and runs a query.
"""

from __future__ import annotations

import functools
import json
import shutil
import threading
from collections.abc import AsyncIterator, Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from playwright.async_api import Browser, Route, async_playwright

from app.local_services import free_port
from graphql_schema.graphiql import DEFAULT_ASSETS_DIR
from tests.conftest import REPO_ROOT, Servers
from tests.integration.conftest import LiveServer, WorkerProcesses
from tests.integration.edge_support import live_api

pytestmark = pytest.mark.timeout(300)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PAGE_DIR = REPO_ROOT / "tests" / "browser" / "page"
SAMPLES = REPO_ROOT / "tests" / "fixtures" / "samples"
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost"})


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def page_origin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The single-page app on its own origin (another port): a static file server."""
    root = tmp_path_factory.mktemp("spa")
    for name in ("index.html", "app.js"):
        shutil.copy(PAGE_DIR / name, root / name)
    shutil.copy(DEFAULT_ASSETS_DIR / "graphql-ws" / "umd" / "graphql-ws.min.js", root)
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser_api(
    servers: Servers, page_origin: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    root = tmp_path_factory.mktemp("browser-files")
    workers = WorkerProcesses(servers, root)
    # PDF rendering on a loaded CI machine can take longer than the suite's 5 s default.
    workers.start(TAILOR_JOB_TIMEOUT_S="120")
    try:
        with live_api(servers, root, cors_origins=json.dumps([page_origin])) as api:
            yield api
    finally:
        workers.stop_all()


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield launched
        finally:
            await launched.close()


async def test_spa_on_another_origin_runs_the_whole_flow(
    browser: Browser, browser_api: LiveServer, page_origin: str
) -> None:
    query = urlencode(
        {
            "api": browser_api.base_url,
            "resume": (SAMPLES / "resumes" / "ines-carvalho-data.txt").read_text(),
            "job": (SAMPLES / "jobs" / "data-scientist-fernway.txt").read_text(),
        }
    )
    page = await browser.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))
    await page.goto(f"{page_origin}/index.html?{query}")
    await page.wait_for_function("window.__done === true", timeout=240_000)
    result = await page.evaluate("window.__result")
    assert "error" not in result, (result, console)
    assert result["pageOrigin"] == page_origin != browser_api.base_url
    assert result["phases"][-1].startswith("COMPLETED"), result
    assert len(result["phases"]) >= 3  # live progress, not just the final state
    assert result["status"] == 200 and result["head"] == "%PDF-"
    assert result["size"] > 1000


async def test_graphiql_works_with_the_outside_network_blocked(
    browser: Browser, live_server: LiveServer
) -> None:
    blocked: list[str] = []

    async def local_only(route: Route) -> None:
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            await route.continue_()
        else:
            blocked.append(route.request.url)
            await route.abort()

    page = await browser.new_page()
    await page.route("**/*", local_only)
    await page.goto(f"{live_server.base_url}/graphql")
    # The editor only appears once React, GraphiQL and the schema have all loaded.
    await page.wait_for_selector(".graphiql-query-editor .CodeMirror", timeout=60_000)
    await page.click(".graphiql-execute-button")
    response = page.locator(".graphiql-response")
    await response.get_by_text('"Query"').wait_for(timeout=60_000)
    assert '"__typename": "Query"' in await response.inner_text()
    # Nothing was needed from outside (a CDN request would have been aborted and logged).
    assert blocked == []
