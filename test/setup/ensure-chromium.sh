#!/usr/bin/env bash
# Runs before `npm test`: the docs test drives a real Chromium, Debian's package (never a
# browser download of its own). Installs it when it is missing and we may; says how otherwise.
set -euo pipefail
browser="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$browser" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing Debian's chromium for the docs test..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
else
  echo "The docs test needs Chromium at $browser: run 'sudo apt-get install -y chromium', or set CHROMIUM_PATH." >&2
  exit 1
fi
