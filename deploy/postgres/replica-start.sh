#!/bin/sh
# A streaming replica's start: on the first, clone the primary with pg_basebackup (which
# writes standby.signal and the connection to follow); then run the command given, the
# image's own entrypoint, which finds the data directory ready and starts the server.
set -eu

: "${PGDATA:?PGDATA must name the data directory}"
: "${PRIMARY_HOST:?PRIMARY_HOST must name the primary}"

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  mkdir -p "$PGDATA"
  # The primary may still be starting: try again until it answers, each time from an empty
  # directory (pg_basebackup refuses a non-empty one, and a container stopped half-way
  # through a clone leaves one).
  until
    find "$PGDATA" -mindepth 1 -delete
    pg_basebackup --host "$PRIMARY_HOST" --port "${PRIMARY_PORT:-5432}" \
      --username "${REPLICATION_USER:-replicator}" --no-password \
      --pgdata "$PGDATA" --wal-method stream --write-recovery-conf --checkpoint fast
  do
    echo "replica-start: cloning $PRIMARY_HOST failed; trying again in 5 s" >&2
    sleep 5
  done
  chmod 0700 "$PGDATA"
fi

exec "$@"
