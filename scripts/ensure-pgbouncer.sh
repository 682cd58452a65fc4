#!/usr/bin/env bash
# The scale-out tests put the API behind a real PgBouncer (Debian's package) they start.
set -euo pipefail
command -v pgbouncer >/dev/null || [ -x /usr/sbin/pgbouncer ] && exit 0
echo "ensure-pgbouncer: installing Debian's pgbouncer package"
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-pgbouncer: pgbouncer is missing; run: sudo apt-get install -y pgbouncer" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q pgbouncer >/dev/null 2>&1 || {
  apt-get update -q >/dev/null
  apt-get install -y -q pgbouncer >/dev/null
}
[ -x /usr/sbin/pgbouncer ]
