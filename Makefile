# The two commands:
#   make run    install, migrate, parse the seed transcript, load it, serve on 127.0.0.1:8000;
#               on the embedded PostgreSQL (started, and stopped when serving ends) unless
#               DATABASE_URL names a server
#   make test   install, find PostgreSQL (or start the embedded one), Chromium, redis-server,
#               pgbouncer and Redocly CLI (npm), lint, run the whole test suite on PostgreSQL,
#               browser tests included
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SEED := fixtures/transcripts/2022-02-23-tass-russian-media-heads.txt
SEED_FIXTURE := fixtures/2022-02-23-tass-russian-media-heads.json
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/interviews
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install lint fixtures serve clean

# One shell for the recipe, so that the embedded server it started is stopped however it ends.
run: install
	@set -euo pipefail; \
	if [ -z "$${DATABASE_URL:-}" ]; then trap '$(BIN)/python -m config.localdb stop' EXIT; fi; \
	set -x; \
	$(BIN)/python manage.py migrate --noinput; \
	$(BIN)/python manage.py parse_transcript $(SEED) -o $(SEED_FIXTURE); \
	$(BIN)/python manage.py load_fixtures fixtures/offices.json $(SEED_FIXTURE); \
	$(BIN)/python manage.py collectstatic --noinput -v 0; \
	$(BIN)/gunicorn config.wsgi --bind $(HOST):$(PORT) --workers 2 --access-logfile -

test: install node_modules/.installed
	@set -euo pipefail; \
	if [ -z "$${DATABASE_URL:-}" ]; then \
		started=$$(bash scripts/ensure-postgres.sh); \
		if [ "$$started" = embedded ]; then \
			trap 'DJANGO_EMBEDDED_DB_DIR=.pgdata-test $(BIN)/python -m config.localdb stop' EXIT; \
		fi; \
		export DATABASE_URL=$(TEST_DATABASE_URL); \
	fi; \
	set -x; \
	bash scripts/ensure-debian-packages.sh chromium:/usr/bin/chromium \
		redis-server:/usr/bin/redis-server pgbouncer:/usr/sbin/pgbouncer; \
	$(BIN)/ruff check .; \
	$(BIN)/ruff format --check .; \
	$(BIN)/pytest

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# Redocly CLI, which tests/test_schema.py runs on the schema (package-lock.json pins it).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Regenerate every fixture from its transcript (byte-identical when nothing changed).
fixtures: install
	for source in fixtures/transcripts/*.txt; do \
		$(BIN)/python manage.py parse_transcript "$$source" \
			-o "fixtures/$$(basename "$$source" .txt).json" || exit 1; \
	done

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache

# Score speaker identity across the dev corpus (who is who; see bench/README.md).
.PHONY: score-identity
score-identity: install
	bash scripts/ensure-postgres.sh
	$(BIN)/python bench/score_identity.py

# Load-test the turn endpoints on a fresh PostgreSQL database of 120,000 turns (see bench/README.md).
.PHONY: bench-api
bench-api: install
	$(BIN)/python bench/api_bench.py

# How fast a locked-out admin login is refused, beside a hashed failure (bench/login.py).
.PHONY: bench-login
bench-login: install
	$(BIN)/python bench/login.py

# The same requests at 100,000, 300,000, 1,000,000 and 3,000,000 turns: bench/growth.png and
# its section of bench/RESULTS.md (see bench/growth.py). About 40 minutes.
.PHONY: bench-growth
bench-growth: install
	$(BIN)/python bench/growth.py

# The admin's pages on the database `make bench` built (see bench/admin.py).
.PHONY: bench-admin
bench-admin: install
	$(BIN)/python bench/admin.py

# Score the transcript parser on the gold dev corpus (../shared/corpus/dev; see bench/README.md).
.PHONY: score-parser
score-parser: install
	$(BIN)/python bench/score_parser.py

# Performance at a million turns: the project vs the floor (bench/floor.py) vs Datasette,
# and the import vs loaddata; writes bench/RESULTS.md (see bench/README.md). About 15 minutes.
.PHONY: bench
bench: install
	$(BIN)/python bench/perf.py

# schemathesis on every API operation, 500 examples each (the test `make test` runs with 25).
.PHONY: fuzz
fuzz: install
	bash scripts/ensure-postgres.sh
	$(BIN)/python bench/fuzz_api.py

# A minute of wrk over a mix of API endpoints, 32 connections, 100,000 turns; bench/out/soak.md.
.PHONY: soak
soak: install
	bash scripts/ensure-postgres.sh
	$(BIN)/python bench/soak.py
