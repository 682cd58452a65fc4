#!/bin/sh
# The primary's first start (docker-entrypoint-initdb.d runs it once, when the data volume
# is new): a login for the replica to stream from, allowed to connect for replication.
set -eu

psql --no-psqlrc -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  --set=password="${POSTGRES_REPLICATION_PASSWORD:?the replica needs a password}" <<'SQL'
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD :'password';
SQL

# "all" in pg_hba's database column does not cover replication connections.
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
