#!/usr/bin/env bash
# The Python package: build the wheel with maturin, install it as a user
# would, then run its tests (the shared vectors of both APIs, end-to-end
# against the sandbox over HTTP and its mTLS listener, webhook recipes,
# README samples, stubs and mypy --strict) and a smoke test in a fresh
# virtual environment.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh
source bindings-python/scripts/env.sh

py_prepare

# The wheel is abi3 (CPython 3.9+): smoke-test it on this venv's Python and
# on the oldest and newest supported versions when the machine has them.
interpreters=("$PY_VENV/bin/python")
for version in 3.9 3.13; do
  for candidate in "$(command -v "python$version" || true)" \
      "$(ls -d "${PYENV_ROOT:-$HOME/.pyenv}"/versions/"$version".*/bin/python"$version" 2>/dev/null | tail -n 1)"; do
    if [ -n "$candidate" ] && "$candidate" -c pass 2>/dev/null; then interpreters+=("$candidate"); break; fi
  done
done
fresh=$(mktemp -d)
trap 'rm -rf "$fresh"' EXIT
for python in "${interpreters[@]}"; do
  step "python: smoke test of $(basename "$PY_WHEEL") in a fresh venv ($("$python" --version))"
  rm -rf "$fresh/venv"
  "$python" -m venv "$fresh/venv"
  # With its one dependency (httpx) from the package index, as pip install does.
  "$fresh/venv/bin/pip" install -q --disable-pip-version-check "$PY_WHEEL"
  (cd "$fresh" && "$fresh/venv/bin/python" "$OLDPWD/bindings-python/tests/smoke.py")
done

step "python: pytest against the installed wheel"
cd bindings-python/tests
LEAN_SANDBOX_BIN="$PY_SANDBOX" LEAN_REQUIRE_SANDBOX=1 \
  "$PY_VENV/bin/python" -I -m pytest -q -p no:cacheprovider --rootdir=.. -c ../pyproject.toml .
