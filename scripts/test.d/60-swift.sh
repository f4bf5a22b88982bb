#!/usr/bin/env bash
# Swift package (bindings-mobile/swift): builds the Rust library, checks that the committed
# Swift bindings and C header are the ones it generates (uniffi library mode), then runs
# `swift test` (XCTest) in a Debian trixie chroot with Debian's Swift 6, set up once outside
# the repository: every shared vector, the error contract, and the partner flow against the
# local sandbox; then `swift build` of the repository's root Package.swift (what SwiftPM users
# add by URL) on Linux.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh
repo=$PWD
pkg=$repo/bindings-mobile/swift

step "Swift toolchain (chroot)"
root=$(bindings-mobile/scripts/swift-chroot.sh)

step "building the library and the sandbox; the committed Swift bindings are the library's"
cargo build --quiet -p lean-sandbox
# The generated sources are committed (SwiftPM builds a package added by URL from its files
# alone): regenerated into a temporary directory, they must be identical, or this fails
# naming the command that refreshes them.
bindings-mobile/scripts/swift-bindings.sh --check "$pkg/lib"
cp "${CARGO_TARGET_DIR:-$repo/target}/debug/lean-sandbox" "$pkg/lib/lean-sandbox"

step "swift test (in the chroot)"
# The chroot sees the repository and /dev through bind mounts made for this run and undone
# when it ends, even on failure, so that nothing outside stays reachable from the cache (an
# `rm -rf` of it must never reach /dev or the repository); its /proc is private to the run
# (below). Runs take turns (one lock).
mkdir -p "$root/repo" "$root/dev" "$root/proc"
exec 9>"$root/.lean-run.lock"
flock 9
unmount_all() {
  local m
  for m in "$root/repo" "$root/dev" "$root/proc"; do
    if mountpoint -q "$m"; then umount "$m" 2>/dev/null || umount -l "$m" || true; fi
  done
}
trap unmount_all EXIT
unmount_all
mount --bind /dev "$root/dev"
mount --bind "$repo" "$root/repo"
# libcurl's headers and pkg-config file, for the package's Linux-only `CurlTransport` (mutual
# TLS, which FoundationNetworking cannot do): installed once, under the lock, in the run's own
# PID namespace like the tests below.
if ! chroot "$root" dpkg-query -W -f='${Status}' libcurl4-openssl-dev pkgconf 2>/dev/null | grep -q '^install ok installed.*install ok installed$'; then
  step "libcurl4-openssl-dev (chroot)"
  unshare --pid --fork --kill-child --mount-proc="$root/proc" \
    chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
    bash -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends libcurl4-openssl-dev pkgconf" >&2
fi
rel=${pkg#"$repo"/}
# The run gets its own PID namespace, with its own /proc (swift reads /proc/<pid>, which must
# match): when the time limit ends it (or unshare is killed), the kernel kills every process
# in it (swift test starts its runners in new process groups, which a signal to one group
# would miss), and that /proc goes with its mount namespace: a hung test never outlives this.
timeout --kill-after=10 "${LEAN_SWIFT_TIMEOUT:-900}" \
  unshare --pid --fork --kill-child --mount-proc="$root/proc" \
  chroot "$root" /usr/bin/env -i HOME=/root PATH=/usr/local/bin:/usr/bin:/bin \
  LD_LIBRARY_PATH="/repo/$rel/lib" LEAN_SANDBOX="/repo/$rel/lib/lean-sandbox" LEAN_BENCH="${LEAN_BENCH:-}" \
  bash -c "cd /repo/$rel && swift test --disable-swift-testing -Xlinker -L/repo/$rel/lib ${LEAN_SWIFT_TEST_ARGS:-} 2>&1 &&
    echo '==> swift build of the root Package.swift (the package users add by URL)' &&
    cd /repo && swift build -Xlinker -L/repo/$rel/lib 2>&1" || {
  rc=$?
  [ "$rc" != 124 ] || echo "swift test did not finish within ${LEAN_SWIFT_TIMEOUT:-900}s (LEAN_SWIFT_TIMEOUT); every process of the run was ended" >&2
  exit "$rc"
}
