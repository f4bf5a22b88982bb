# Shared helpers for the project's scripts. Source it; do not run it.

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# rustfmt and clippy come with rustup's default profile, but not always.
ensure_rust_components() {
  command -v cargo >/dev/null || die "cargo is missing: install Rust with rustup (https://rustup.rs)"
  cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt
  cargo clippy --version >/dev/null 2>&1 || rustup component add clippy
}

# The workspace's version, from [workspace.package] in Cargo.toml.
workspace_version() {
  sed -n '/^\[workspace.package\]/,/^\[/s/^version = "\(.*\)"$/\1/p' Cargo.toml
}

# Installs Debian packages, quietly.
apt_install() {
  step "install $* (Debian)"
  apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# `need COMMAND:PACKAGE...`: installs the Debian package of each command
# that is missing, in one apt-get run.
need() {
  local pair missing=()
  for pair in "$@"; do
    command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
  done
  [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
}

# `serve_sandbox BINARY [--mtls] ARGS...`: starts `BINARY serve` with ARGS
# on a free loopback port, quietly (with --mtls, an mTLS listener too, its
# certificates in $SANDBOX_TLS_DIR), waits until it listens, and stops it
# (and every other one started so) when the script exits. Sets SANDBOX_URL
# (and SANDBOX_MTLS_URL).
SANDBOX_PIDS=()
SANDBOX_WORKS=()
serve_sandbox() {
  local binary=$1 ready='^listening on ' tls=() work
  shift
  work=$(mktemp -d)
  SANDBOX_WORKS+=("$work")
  trap stop_sandboxes EXIT
  if [ "${1:-}" = --mtls ]; then
    shift
    SANDBOX_TLS_DIR=$work/tls
    mkdir "$SANDBOX_TLS_DIR"
    tls=(--tls-port 0 --tls-dir "$SANDBOX_TLS_DIR")
    ready='^listening (mTLS) on '
  fi
  "$binary" serve --port 0 --quiet "${tls[@]}" "$@" >"$work/out" &
  SANDBOX_PIDS+=($!)
  for _ in $(seq 100); do grep -q "$ready" "$work/out" && break; sleep 0.1; done
  SANDBOX_URL=$(sed -n 's/^listening on //p' "$work/out" | head -n 1)
  SANDBOX_MTLS_URL=$(sed -n 's/^listening (mTLS) on //p' "$work/out" | head -n 1)
  [ -n "$SANDBOX_URL" ] || die "the sandbox did not start"
  [ ${#tls[@]} -eq 0 ] || [ -n "$SANDBOX_MTLS_URL" ] || die "the sandbox's mTLS listener did not start"
}

# Stops the sandboxes serve_sandbox started and removes their files.
stop_sandboxes() {
  local pid
  for pid in "${SANDBOX_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "${SANDBOX_WORKS[@]}"
}

# `debian_root ROOT SUITE PACKAGE...`: installs PACKAGEs into a Debian
# SUITE root at ROOT, made with debootstrap the first time.
debian_root() {
  local root=$1 suite=$2
  shift 2
  if [ ! -x "$root/usr/bin/apt-get" ]; then
    step "Debian $suite root at $root (debootstrap, once)"
    rm -rf "$root.partial"
    debootstrap --variant=minbase "$suite" "$root.partial" http://deb.debian.org/debian >/dev/null
    mv "$root.partial" "$root"
  fi
  step "$* into $root"
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin sh -c \
    "apt-get update -qq && apt-get install -y -qq --no-install-recommends $* >/dev/null"
}
