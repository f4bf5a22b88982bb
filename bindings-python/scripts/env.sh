# Shared by scripts/test.d/40-python.sh and scripts/demo.d/40-python.sh.
# Source it from the repository root after scripts/lib.sh. Everything it
# installs lives outside the repository, under $LEAN_CACHE.

LEAN_CACHE=${LEAN_CACHE:-$HOME/.cache/lean-sdk}
PY_VENV=${PY_VENV:-$LEAN_CACHE/venv-python}
PY_TARGET=${CARGO_TARGET_DIR:-$PWD/target}
# Tools of the build and the tests (never dependencies of the package).
PY_REQUIREMENTS="maturin>=1.5,<2 pytest mypy httpx rich flask fastapi django pydantic>=2"

# A virtual environment with the build and test tools, installed once.
py_venv() {
  local python=${PYTHON:-python3}
  command -v "$python" >/dev/null || die "python3 is missing: install Python 3.9 or later"
  if [ ! -x "$PY_VENV/bin/python" ]; then
    "$python" -m venv "$PY_VENV" 2>/dev/null || {
      apt-get update -qq && apt-get install -y -qq python3-venv >/dev/null
      "$python" -m venv "$PY_VENV"
    }
  fi
  if [ "$(cat "$PY_VENV/.requirements" 2>/dev/null)" != "$PY_REQUIREMENTS" ]; then
    # shellcheck disable=SC2086
    "$PY_VENV/bin/pip" install -q --disable-pip-version-check $PY_REQUIREMENTS
    echo "$PY_REQUIREMENTS" > "$PY_VENV/.requirements"
  fi
}

# Builds the release wheel with maturin (cargo skips what is up to date)
# and prints its path.
py_wheel() {
  local out=$PY_TARGET/wheels-python
  rm -rf "$out"
  (cd bindings-python && "$PY_VENV/bin/maturin" build --release --quiet \
    -i "$PY_VENV/bin/python" -o "$out" >&2)
  ls "$out"/lean_sdk-*.whl
}

# Builds the sandbox (debug, as its README says) and prints the binary.
py_sandbox() {
  cargo build -q -p lean-sandbox >&2
  echo "$PY_TARGET/debug/lean-sandbox"
}

# What the tests and the demo both start from: the tools' venv with the
# freshly built wheel installed in it as a user would (no dependency
# fetched again), and the sandbox. Sets PY_WHEEL and PY_SANDBOX.
py_prepare() {
  py_venv
  PY_WHEEL=$(py_wheel)
  "$PY_VENV/bin/pip" install -q --disable-pip-version-check --force-reinstall --no-deps "$PY_WHEEL"
  PY_SANDBOX=$(py_sandbox)
}
