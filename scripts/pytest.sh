#!/usr/bin/env bash
# Runs pytest and refuses to pass when no test was collected (pytest's exit code 5).
set -uo pipefail
cd "$(dirname "$0")/.."
.venv/bin/pytest "$@"
status=$?
if [ "$status" -eq 5 ]; then
  echo "pytest collected no tests: that is a failure, not a pass." >&2
  exit 1
fi
exit "$status"
