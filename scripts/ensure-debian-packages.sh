#!/usr/bin/env bash
# The tests' real peers from Debian's packages: Chromium for the browser tests (Playwright
# cannot download browsers here), redis-server and pgbouncer for the scale-out tests.
# Arguments: PACKAGE:PROGRAM pairs; the missing packages are installed in one go.
set -euo pipefail
missing=()
for pair in "$@"; do
  [ -x "${pair#*:}" ] || missing+=("${pair%%:*}")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "ensure-debian-packages: installing ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-debian-packages: missing; run: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 || {
  apt-get update -q >/dev/null
  apt-get install -y -q "${missing[@]}" >/dev/null
}
for pair in "$@"; do
  [ -x "${pair#*:}" ] || { echo "ensure-debian-packages: ${pair#*:} still missing" >&2; exit 1; }
done
