#!/usr/bin/env bash
# Container start: migrate, load the fixtures, then hand the process to gunicorn.
set -euo pipefail

python manage.py migrate --noinput

# Loading on every start is safe: load_fixtures keeps every correction editors made in
# the admin (see interviews/ingest/loading.py) and adds nothing twice, so new transcripts in
# fixtures/ appear and corrected ones stay corrected. DJANGO_LOAD_FIXTURES=never skips it.
case "${DJANGO_LOAD_FIXTURES:-always}" in
  always) python manage.py load_fixtures fixtures/*.json ;;
  never) ;;
  *)
    echo "docker-entrypoint: DJANGO_LOAD_FIXTURES must be always or never," \
      "not '${DJANGO_LOAD_FIXTURES}'" >&2
    exit 64
    ;;
esac

# exec, so gunicorn is PID 1 and receives the SIGTERM of `docker compose stop` itself.
exec gunicorn config.wsgi \
  --bind 0.0.0.0:8000 \
  --workers "${WEB_CONCURRENCY:-3}" \
  --worker-tmp-dir /dev/shm \
  --access-logfile -
