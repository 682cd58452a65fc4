#!/usr/bin/env bash
# The scale-out tests start a real redis-server of their own (Debian's package).
set -euo pipefail
command -v redis-server >/dev/null && exit 0
echo "ensure-redis: installing Debian's redis-server package"
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-redis: redis-server is missing; run: sudo apt-get install -y redis-server" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q redis-server >/dev/null 2>&1 || {
  apt-get update -q >/dev/null
  apt-get install -y -q redis-server >/dev/null
}
command -v redis-server >/dev/null
