# GraphiQL's assets come from the npm registry at build time (pinned by web/package-lock.json),
# so the API serves them itself and GraphiQL works without internet access.
FROM node:20-bookworm-slim AS web
WORKDIR /web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund --ignore-scripts

FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libffi8 \
      fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /srv/tailor
COPY pyproject.toml README.md alembic.ini ./
COPY app app
COPY graphql_schema graphql_schema
COPY workers workers
COPY migrations migrations
RUN pip install --no-cache-dir .
# Only the packages graphql_schema/graphiql.py serves files from.
COPY --from=web /web/node_modules/react web/node_modules/react
COPY --from=web /web/node_modules/react-dom web/node_modules/react-dom
COPY --from=web /web/node_modules/graphiql web/node_modules/graphiql
COPY --from=web /web/node_modules/@graphiql/plugin-explorer web/node_modules/@graphiql/plugin-explorer
COPY --from=web /web/node_modules/graphql-ws web/node_modules/graphql-ws
ENV TAILOR_WEB_ASSETS_DIR=/srv/tailor/web/node_modules
USER nobody
