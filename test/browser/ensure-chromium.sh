#!/usr/bin/env bash
# Makes sure Debian's chromium package is installed for the browser tests
# (driven by playwright-core; never a browser download). Idempotent: exits at
# once when /usr/bin/chromium is there. Run by `npm test` as its pretest step.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: $CHROMIUM is missing; installing Debian's chromium package" >&2
  export DEBIAN_FRONTEND=noninteractive
  # Wait for another apt run (a second test run, say) rather than fail on its lock.
  apt-get -o DPkg::Lock::Timeout=300 update >&2
  apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends chromium >&2
  if [ -x "$CHROMIUM" ]; then
    exit 0
  fi
  echo "ensure-chromium: apt-get installed chromium, but $CHROMIUM is still missing" >&2
  exit 1
fi

cat >&2 <<MESSAGE
ensure-chromium: $CHROMIUM is missing, and this script can install it only as
root on a Debian-based system. The viewer's browser test needs it. Install it with:

  sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium

then run the tests again.
MESSAGE
exit 1
