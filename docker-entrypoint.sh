#!/usr/bin/env bash
# Container start: migrate, seed the fixtures, then hand the process to gunicorn.
set -euo pipefail

python manage.py migrate --noinput

# loaddata overwrites existing rows by natural key, which would undo the corrections editors
# made in the admin, so by default the fixtures only seed a database that holds no event yet.
# DJANGO_LOAD_FIXTURES=always reloads them on every start; never skips them.
load_fixtures=${DJANGO_LOAD_FIXTURES:-if-empty}
if [ "$load_fixtures" = if-empty ]; then
  event_count=$(python manage.py shell --verbosity 0 --command \
    "from interviews.models import Event; print(Event.objects.count())")
  if [ "$event_count" = 0 ]; then
    load_fixtures=always
  else
    echo "docker-entrypoint: the database holds $event_count events; fixtures not reloaded" \
      "(set DJANGO_LOAD_FIXTURES=always to reload them)"
    load_fixtures=never
  fi
fi
case "$load_fixtures" in
  always) python manage.py loaddata fixtures/*.json ;;
  never) ;;
  *)
    echo "docker-entrypoint: DJANGO_LOAD_FIXTURES must be if-empty, always or never," \
      "not '$load_fixtures'" >&2
    exit 64
    ;;
esac

# exec, so gunicorn is PID 1 and receives the SIGTERM of `docker compose stop` itself.
exec gunicorn config.wsgi \
  --bind 0.0.0.0:8000 \
  --workers "${WEB_CONCURRENCY:-3}" \
  --worker-tmp-dir /dev/shm \
  --access-logfile -
