#!/usr/bin/env bash
# Prints the path of a Python >= 3.12 interpreter, or explains what to install and fails.
# pyenv's shims answer to `python3.12` even when that version is not selected, so every
# candidate is asked to run before it is trusted.
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
candidates=("${PYTHON:-}" python3.14 python3.13 python3.12 python3)
pyenv_root=${PYENV_ROOT:-$HOME/.pyenv}
for dir in $(ls -d "$pyenv_root"/versions/3.* 2>/dev/null | sort -rV); do
  candidates+=("$dir/bin/python3")
done
for candidate in "${candidates[@]}"; do
  [ -n "$candidate" ] || continue
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if ok "$path"; then
    "$path" -c 'import sys; print(sys.executable)'
    exit 0
  fi
done
cat >&2 <<'MSG'
Tillit needs Python 3.12 or newer, and none was found.
Install one of these, then run the command again:
  - Debian/Ubuntu:  sudo apt-get install python3.12 python3.12-venv   (or python3.13)
  - macOS:          brew install python@3.13
  - pyenv:          pyenv install 3.13
Or point PYTHON at an interpreter: make run PYTHON=/path/to/python3.12
MSG
exit 1
