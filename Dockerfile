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
USER nobody
