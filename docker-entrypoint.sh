#!/usr/bin/env bash
# Container start. `setup` migrates and loads the fixtures, then exits; `serve` starts
# gunicorn; with no argument (one container alone) it does both. docker-compose.yml runs
# `setup` once in a service of its own, so that two web containers never migrate at once.
set -euo pipefail

setup() {
  python manage.py migrate --noinput

  # Loading on every start is safe: load_fixtures keeps every correction editors made in
  # the admin (see interviews/ingest/loading.py) and adds nothing twice, so new transcripts
  # in fixtures/ appear and corrected ones stay corrected. DJANGO_LOAD_FIXTURES=never skips it.
  case "${DJANGO_LOAD_FIXTURES:-always}" in
    always) python manage.py load_fixtures fixtures/*.json ;;
    never) ;;
    *)
      echo "docker-entrypoint: DJANGO_LOAD_FIXTURES must be always or never," \
        "not '${DJANGO_LOAD_FIXTURES}'" >&2
      exit 64
      ;;
  esac
}

serve() {
  # exec, so gunicorn is PID 1 and receives the SIGTERM of `docker compose stop` itself.
  exec gunicorn config.wsgi \
    --bind 0.0.0.0:8000 \
    --workers "${WEB_CONCURRENCY:-3}" \
    --worker-tmp-dir /dev/shm \
    --access-logfile -
}

case "${1:-all}" in
  setup) setup ;;
  serve) serve ;;
  all)
    setup
    serve
    ;;
  *)
    echo "docker-entrypoint: expected setup, serve or nothing, not '$1'" >&2
    exit 64
    ;;
esac
