#!/usr/bin/env bash
# The browser tests drive Debian's Chromium (Playwright cannot download browsers here).
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
echo "ensure-chromium: installing Debian's chromium package"
if [ "$(id -u)" -ne 0 ]; then
  echo "ensure-chromium: /usr/bin/chromium is missing; run: sudo apt-get install -y chromium" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q chromium >/dev/null 2>&1 || {
  apt-get update -q >/dev/null
  apt-get install -y -q chromium >/dev/null
}
[ -x /usr/bin/chromium ]
