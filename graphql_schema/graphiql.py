"""GraphiQL served by the API itself, from pinned assets installed by `make deps`.

`web/package.json` + `web/package-lock.json` pin GraphiQL, React and graphql-ws; `npm ci`
(run by `make deps`, or by the Docker build) puts them in `web/node_modules`. Only the files
listed in ASSETS are served, at /graphiql/<name>, so GraphiQL works on a host without
internet. TAILOR_GRAPHIQL_ASSETS=cdn falls back to Strawberry's CDN page.
"""

from __future__ import annotations

from pathlib import Path

import structlog
from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route

log = structlog.get_logger("graphiql")

ASSETS_PATH = "/graphiql"
DEFAULT_ASSETS_DIR = Path(__file__).resolve().parents[1] / "web" / "node_modules"

# Served name -> path inside node_modules (versions pinned by web/package-lock.json).
ASSETS: dict[str, str] = {
    "react.production.min.js": "react/umd/react.production.min.js",
    "react-dom.production.min.js": "react-dom/umd/react-dom.production.min.js",
    "graphiql.min.js": "graphiql/graphiql.min.js",
    "graphiql.min.css": "graphiql/graphiql.min.css",
    "plugin-explorer.umd.js": "@graphiql/plugin-explorer/dist/index.umd.js",
    "plugin-explorer.css": "@graphiql/plugin-explorer/dist/style.css",
    "graphql-ws.min.js": "graphql-ws/umd/graphql-ws.min.js",
    "LICENSE-graphiql.txt": "graphiql/LICENSE",
    "LICENSE-react.txt": "react/LICENSE",
    "LICENSE-graphql-ws.txt": "graphql-ws/LICENSE.md",
}
_MEDIA_TYPES = {".js": "text/javascript", ".css": "text/css", ".txt": "text/plain"}

_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>Tailor GraphiQL</title>
  <meta name="robots" content="noindex" />
  <style>body {{ margin: 0; height: 100vh; }} #graphiql {{ height: 100vh; }}</style>
  <link rel="stylesheet" href="{base}/graphiql.min.css" />
  <link rel="stylesheet" href="{base}/plugin-explorer.css" />
  <script src="{base}/react.production.min.js"></script>
  <script src="{base}/react-dom.production.min.js"></script>
</head>
<body>
  <div id="graphiql">Loading...</div>
  <script src="{base}/graphiql.min.js"></script>
  <script src="{base}/plugin-explorer.umd.js"></script>
  <script>
    const HELP = [
      "# Tailor GraphiQL (assets served by this API; no CDN needed).",
      "# 1. mutation {{ signUp(email: \\"you@example.com\\",",
      "#      password: \\"a long passphrase\\") {{ accessToken refreshToken }} }}",
      "# 2. Headers tab: {{\\"Authorization\\": \\"Bearer <accessToken>\\"}}",
      "# Files: GraphiQL has no upload plugin; send a file as a variable instead:",
      "#   mutation($input: UploadResumeInput!) {{ uploadResume(input: $input) {{ id }} }}",
      "#   variables: {{\\"input\\": {{\\"contentBase64\\": \\"<base64>\\",",
      "#               \\"filename\\": \\"cv.pdf\\"}}}}",
      "{{ __typename }}",
    ].join("\\n");
    const url = window.location.href.split("?")[0];
    const wsUrl = url.replace(/^http/, "ws");
    const fetcher = GraphiQL.createFetcher({{ url: url, subscriptionUrl: wsUrl }});
    const explorer = GraphiQLPluginExplorer.explorerPlugin();
    const root = ReactDOM.createRoot(document.getElementById("graphiql"));
    root.render(React.createElement(GraphiQL, {{
      fetcher: fetcher,
      plugins: [explorer],
      defaultQuery: HELP,
      defaultEditorToolsVisibility: true,
    }}));
  </script>
</body>
</html>
"""


def graphiql_page(assets_base: str = ASSETS_PATH) -> str:
    return _PAGE.format(base=assets_base)


def missing_assets(assets_dir: Path) -> list[str]:
    return [name for name, rel in ASSETS.items() if not (assets_dir / rel).is_file()]


def assets_route(assets_dir: Path) -> Route:
    """GET /graphiql/{name}: one of ASSETS, never any other file."""
    missing = missing_assets(assets_dir)
    if missing:
        log.warning(
            "graphiql_assets_missing",
            assets_dir=str(assets_dir),
            missing=missing,
            hint="run `make deps` (npm ci in web/) or set TAILOR_GRAPHIQL_ASSETS=cdn",
        )

    async def asset(request: Request) -> Response:
        name = request.path_params["name"]
        rel = ASSETS.get(name)
        path = assets_dir / rel if rel is not None else None
        if path is None or not path.is_file():
            return PlainTextResponse("not found", status_code=404)
        return FileResponse(
            path,
            media_type=_MEDIA_TYPES.get(Path(name).suffix, "application/octet-stream"),
            # Pinned by the lock file: a new version means a new deployment.
            headers={"Cache-Control": "public, max-age=86400"},
        )

    return Route(ASSETS_PATH + "/{name}", asset, methods=["GET"], name="graphiql_assets")
