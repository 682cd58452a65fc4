#!/usr/bin/env bash
# Make sure the PostgreSQL the tests use answers on 127.0.0.1:5432; start the local cluster if not.
set -euo pipefail
host=${PGHOST:-127.0.0.1}
port=${PGPORT:-5432}

ready() { pg_isready -q -h "$host" -p "$port"; }

if ! command -v pg_isready >/dev/null; then
  echo "ensure-postgres: pg_isready not found; install PostgreSQL (apt-get install -y postgresql)" >&2
  exit 1
fi
ready && exit 0
echo "ensure-postgres: PostgreSQL is not answering on $host:$port; starting the local cluster"
version=$(ls /etc/postgresql | sort -V | tail -n 1)
pg_ctlcluster --skip-systemctl-redirect "$version" main start
for _ in $(seq 1 30); do
  ready && exit 0
  sleep 1
done
echo "ensure-postgres: PostgreSQL did not come up on $host:$port within 30 s" >&2
exit 1
