#!/usr/bin/env bash
# Prepares (once) a Debian trixie chroot with Debian's `swiftlang` (Swift 6), outside the
# repository, and prints its path. The base image has no Swift; this is the verified way to
# run the Swift package's tests on Linux here (see the project's toolchain notes).
# Env: LEAN_CACHE (default ~/.cache/lean-sdk); the chroot is $LEAN_CACHE/swift-chroot.
set -euo pipefail
root="${LEAN_CACHE:-$HOME/.cache/lean-sdk}/swift-chroot"
if [ -x "$root/usr/bin/swift" ] && [ -e "$root/.lean-ready" ]; then
  echo "$root"
  exit 0
fi
[ "$(id -u)" = 0 ] || { echo "setting up the Swift chroot needs root (debootstrap, chroot)" >&2; exit 1; }
if ! command -v debootstrap >/dev/null; then
  apt-get update -qq >&2 && apt-get install -y -qq debootstrap >&2
fi
mkdir -p "$root"
if [ ! -x "$root/bin/bash" ]; then
  debootstrap --variant=minbase trixie "$root" >&2
fi
mountpoint -q "$root/proc" || mount -t proc proc "$root/proc"
trap 'umount "$root/proc" 2>/dev/null || true' EXIT
chroot "$root" /usr/bin/env DEBIAN_FRONTEND=noninteractive bash -c \
  "apt-get update -qq && apt-get install -y -qq --no-install-recommends swiftlang libc6-dev libstdc++-14-dev ca-certificates" >&2
touch "$root/.lean-ready"
echo "$root"
