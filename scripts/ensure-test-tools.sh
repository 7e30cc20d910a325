#!/usr/bin/env bash
# What the tests need from the system: Debian's Chromium for the browser tests (Playwright cannot download
# its own browser here) and GNU gettext, with which a test checks that every message has a Swedish text.
set -euo pipefail
chromium=${CHROMIUM_PATH:-/usr/bin/chromium}
missing=()
[ -x "$chromium" ] || missing+=(chromium)
command -v xgettext >/dev/null 2>&1 || missing+=(gettext)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing ${missing[*]} for the tests"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  exit 0
fi
cat >&2 <<MSG
The tests need: ${missing[*]}.
Install with:  sudo apt-get install ${missing[*]}
(or point CHROMIUM_PATH at another Chromium).
MSG
exit 1
