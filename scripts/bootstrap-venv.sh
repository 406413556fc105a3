#!/usr/bin/env bash
# Create the virtual environment (installing python3-venv on Debian if needed) and install OneDoor.
set -euo pipefail
python="${1:-python3}"
venv="${2:-.venv}"

if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "error: OneDoor needs Python 3.11 or newer ($python is $("$python" --version 2>&1))" >&2
    exit 1
fi
if [ ! -x "$venv/bin/python" ]; then
    if ! "$python" -m venv "$venv" 2>/dev/null; then
        rm -rf "$venv"
        if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
            echo "installing python3-venv (Debian ships venv separately)"
            apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
            "$python" -m venv "$venv"
        else
            echo "error: '$python -m venv' failed; install python3-venv (apt-get install python3-venv)" >&2
            exit 1
        fi
    fi
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
# Editable: the top-level packages map to their folders, so code changes need no reinstall.
"$venv/bin/python" -m pip install --quiet -e '.[dev]'
