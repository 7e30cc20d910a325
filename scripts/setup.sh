#!/usr/bin/env bash
# Creates .venv with a Python >= 3.12 and installs Tillit with its Python and front-end dependencies.
# Re-runs an install step only when pyproject.toml or package-lock.json changed since the last one.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv

if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
  python=$(scripts/find-python.sh)
  echo "Creating the virtual environment in $venv with $python"
  rm -rf "$venv"
  "$python" -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --upgrade pip
fi

if [ ! -f "$venv/.installed" ] || [ pyproject.toml -nt "$venv/.installed" ]; then
  echo "Installing Python dependencies"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -e '.[dev]'
  touch "$venv/.installed"
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "Tillit needs Node.js and npm to install its front-end assets (htmx, axe-core)." >&2
  echo "Install them, e.g. 'sudo apt-get install nodejs npm', then run the command again." >&2
  exit 1
fi
if [ ! -f node_modules/.installed ] || [ package-lock.json -nt node_modules/.installed ]; then
  echo "Installing front-end assets"
  npm ci --no-audit --no-fund --loglevel=error
  touch node_modules/.installed
fi
