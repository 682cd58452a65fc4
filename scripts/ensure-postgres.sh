#!/usr/bin/env bash
# The PostgreSQL the tests use, on 127.0.0.1:5432 (PGHOST/PGPORT to change): a server that
# already answers there, or else the embedded one (config/localdb), started with its own data
# folder (.pgdata-test) and listening there. Prints "embedded" when it started that one, so
# that the caller stops it afterwards (python -m config.localdb stop, same folder).
set -euo pipefail
host=${PGHOST:-127.0.0.1}
port=${PGPORT:-5432}
python=${PYTHON:-.venv/bin/python}

answers() { (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; }

answers && exit 0
if [ "$host" != 127.0.0.1 ]; then
  echo "ensure-postgres: nothing answers on $host:$port" >&2
  exit 1
fi
echo "ensure-postgres: nothing answers on $host:$port; starting the embedded PostgreSQL there" >&2
DJANGO_EMBEDDED_DB_DIR=.pgdata-test "$python" -m config.localdb start --port "$port" >/dev/null
echo embedded
