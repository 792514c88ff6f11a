# Two commands from a clean clone: `make run` (whole service) and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: run test test-unit lint typecheck bench deps system-deps schema clean

run: deps
	$(BIN)/tailor dev

# Two pytest workers (one per core here), a test file per worker at a time so each file's
# session servers and ordering stay as they are: the suite takes ~5 min instead of ~7.5.
test: deps
	$(BIN)/pytest -q -n 2 --dist loadfile

# The fast loop: tests/unit only (no servers), marked `unit` by tests/conftest.py.
test-unit: deps
	$(BIN)/pytest -q -m unit tests/unit

lint: deps
	$(BIN)/ruff check app graphql_schema workers tests bench migrations
	$(BIN)/ruff format --check app graphql_schema workers tests bench migrations

typecheck: deps
	$(BIN)/mypy app graphql_schema workers

bench: deps
	for b in bench/*.py; do $(BIN)/python $$b || exit 1; done
	$(BIN)/python bench/pipeline.py --scale

schema: deps
	$(BIN)/tailor export-schema schema.graphql

deps: system-deps $(STAMP) web/node_modules/.package-lock.json tests/node/node_modules/.package-lock.json

# Pinned browser assets the API serves (GraphiQL, graphql-ws) and the Node client test's
# packages (Apollo Client 4 + graphql-ws), both from the npm registry by their lock files.
web/node_modules/.package-lock.json: web/package-lock.json
	npm ci --prefix web --no-audit --no-fund --ignore-scripts

tests/node/node_modules/.package-lock.json: tests/node/package-lock.json
	npm ci --prefix tests/node --no-audit --no-fund --ignore-scripts

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Redis, the PostgreSQL server and HarfBuzz's subsetter (WeasyPrint embeds fonts twice as
# fast with it) come from Debian; install only what is missing.
system-deps:
	@missing=""; \
	command -v redis-server >/dev/null || missing="$$missing redis-server"; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null || missing="$$missing postgresql"; \
	ldconfig -p | grep -q libharfbuzz-subset || missing="$$missing libharfbuzz-subset0"; \
	command -v npm >/dev/null || missing="$$missing npm"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

clean:
	rm -rf .data .pytest_cache .mypy_cache .ruff_cache
