#!/usr/bin/env bash
# Installs what the tests need (Debian's chromium for the real-browser tests, the Python test extra)
# into a local virtual environment and runs the whole suite. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ]; then sudo=""; else sudo="sudo"; fi
  echo "chromium ontbreekt: installeren met apt-get (Debian-pakket chromium)"
  if ! { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core; }; then
    echo "chromium kon niet worden geïnstalleerd; browsertests worden overgeslagen (in CI falen ze)" >&2
  fi
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"
exec .venv/bin/python -m pytest "$@"
