#!/usr/bin/env bash
# The release artifacts as users get them (scripts/release builds them):
# - the x86_64 manylinux2014 wheel, pip-installed with its dependency into a
#   fresh venv inside a Debian bullseye chroot (glibc 2.31, Python 3.9, the
#   oldest of the distributions users ask for), where the smoke test of the
#   Python package runs (a gig validated, a webhook verified, ...);
# - the aarch64 manylinux2014 wheel: its tags, ELF machine, and no glibc
#   symbol newer than 2.17; then the same smoke test on an arm64 bullseye
#   root under qemu-user, with the wheel and httpx installed by pip;
# - the sdist: pip builds a wheel from it (maturin from its build-system
#   table) and the smoke test runs on that wheel in a fresh venv;
# - LICENSE-MIT and LICENSE-APACHE, identical to the root's, inside both
#   wheels, the sdist and the npm tarball.
# Builds only these (into target/, not dist/); the chroot and the build tools
# are kept under $LEAN_CACHE and reused.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh

LEAN_CACHE=${LEAN_CACHE:-$HOME/.cache/lean-sdk}
export LEAN_CACHE
export LEAN_DIST=${CARGO_TARGET_DIR:-$PWD/target}/release-test
BULLSEYE=$LEAN_CACHE/chroot-bullseye-amd64
BULLSEYE_ARM64=$LEAN_CACHE/chroot-bullseye-arm64
version=$(workspace_version)

need debootstrap:debootstrap readelf:binutils npm:npm qemu-aarch64-static:qemu-user-static

rm -rf "$LEAN_DIST"
scripts/release wheel-x86_64-manylinux wheel-aarch64-manylinux sdist
step "release: npm tarball (its packing rules)"
(cd bindings-wasm/npm && npm pack --silent --pack-destination "$LEAN_DIST" >/dev/null)
x86_64_wheel=$LEAN_DIST/lean_sdk-$version-cp39-abi3-manylinux2014_x86_64.manylinux_2_17_x86_64.whl
aarch64_wheel=$LEAN_DIST/lean_sdk-$version-cp39-abi3-manylinux2014_aarch64.manylinux_2_17_aarch64.whl
for artifact in "$x86_64_wheel" "$aarch64_wheel" "$LEAN_DIST/lean_sdk-$version.tar.gz" "$LEAN_DIST/lean-sdk-$version.tgz"; do
  [ -f "$artifact" ] || die "missing artifact $artifact: $(ls "$LEAN_DIST")"
done

step "release: LICENSE-MIT and LICENSE-APACHE inside each artifact"
python3 - "$x86_64_wheel" "$aarch64_wheel" "$LEAN_DIST/lean_sdk-$version.tar.gz" "$LEAN_DIST/lean-sdk-$version.tgz" <<'EOF'
import sys, tarfile, zipfile
root = {name: open(name, "rb").read() for name in ("LICENSE-MIT", "LICENSE-APACHE")}
for path in sys.argv[1:]:
    if path.endswith(".whl"):
        archive = zipfile.ZipFile(path)
        members = {n: archive.read(n) for n in archive.namelist() if n.rsplit("/", 1)[-1] in root}
    else:
        archive = tarfile.open(path)
        members = {m.name: archive.extractfile(m).read() for m in archive.getmembers()
                   if m.isfile() and m.name.rsplit("/", 1)[-1] in root}
    for name, text in root.items():
        found = [m for m, body in members.items() if m.endswith("/" + name) and body == text]
        assert found, f"{path} carries no {name} identical to the root's (has: {sorted(members)})"
        print(f"{path.rsplit('/', 1)[-1]}: {', '.join(found)}")
EOF

step "release: the aarch64 wheel's tags and glibc symbol versions"
aarch64_dir=$(mktemp -d)
trap 'rm -rf "$aarch64_dir"' EXIT
python3 -c 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])' "$aarch64_wheel" "$aarch64_dir"
tags=$(sed -n 's/^Tag: //p' "$aarch64_dir"/lean_sdk-"$version".dist-info/WHEEL | sort | tr '\n' ' ')
[ "$tags" = "cp39-abi3-manylinux2014_aarch64 cp39-abi3-manylinux_2_17_aarch64 " ] ||
  die "the aarch64 wheel is tagged: $tags"
so=$(ls "$aarch64_dir"/lean_sdk/_native*.so)
readelf -h "$so" | grep -q 'Machine:.*AArch64' || die "$(basename "$so") is not an AArch64 ELF"
newest=$(readelf -V --wide "$so" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -n 1)
[ -n "$newest" ] || die "no glibc symbol versions read from $(basename "$so")"
[ "$(printf '%s\n2.17\n' "$newest" | sort -V | tail -n 1)" = 2.17 ] ||
  die "the aarch64 wheel needs glibc $newest, more than manylinux2014's 2.17"
echo "tags: $tags; newest glibc symbol version: $newest"

# An arm64 Debian bullseye root for qemu-user, made once without running
# arm64 code: debootstrap's first stage, then Python's packages unpacked.
if ! qemu-aarch64-static -L "$BULLSEYE_ARM64" "$BULLSEYE_ARM64/usr/bin/python3.9" -c pass 2>/dev/null; then
  step "release: arm64 Debian bullseye root at $BULLSEYE_ARM64 (debootstrap, once)"
  rm -rf "$BULLSEYE_ARM64.partial"
  debootstrap --arch=arm64 --foreign --variant=minbase --include=python3 bullseye \
    "$BULLSEYE_ARM64.partial" http://deb.debian.org/debian >/dev/null
  for deb in "$BULLSEYE_ARM64.partial"/var/cache/apt/archives/*.deb; do
    dpkg-deb -x "$deb" "$BULLSEYE_ARM64.partial"
  done
  rm -rf "$BULLSEYE_ARM64"
  mv "$BULLSEYE_ARM64.partial" "$BULLSEYE_ARM64"
fi
step "release: $(basename "$aarch64_wheel") on arm64 Debian bullseye (qemu-user)"
# pip of this machine installs the wheel and httpx for CPython 3.9 on aarch64.
"$LEAN_CACHE/venv-release/bin/pip" install -q --disable-pip-version-check \
  --target "$aarch64_dir/site-packages" --only-binary=:all: --implementation cp \
  --python-version 3.9 --platform manylinux2014_aarch64 "$aarch64_wheel"
cp bindings-python/tests/smoke.py "$aarch64_dir/"
(cd "$aarch64_dir" && env -i PATH=/usr/bin:/bin qemu-aarch64-static -L "$BULLSEYE_ARM64" \
  "$BULLSEYE_ARM64/usr/bin/python3.9" -c '
import platform, sys
print("Python", platform.python_version(), platform.machine(), "glibc", platform.libc_ver()[1])
assert platform.machine() == "aarch64" and platform.libc_ver()[1] == "2.31"
sys.path.insert(0, "site-packages")
exec(compile(open("smoke.py").read(), "smoke.py", "exec"))
')

# A Debian bullseye root with Python 3.9 and venv, made once.
bullseye_works() {
  [ -x "$BULLSEYE/usr/bin/python3" ] &&
    chroot "$BULLSEYE" /usr/bin/python3 -c 'import ensurepip, venv, sys; assert sys.version_info[:2] == (3, 9)' 2>/dev/null
}
if ! bullseye_works; then
  debian_root "$BULLSEYE" bullseye python3 python3-venv
  bullseye_works || die "no Python 3.9 with venv in $BULLSEYE"
fi

step "release: $(basename "$x86_64_wheel") in Debian bullseye"
work=/tmp/lean-release-test
rm -rf "${BULLSEYE:?}$work"
mkdir -p "$BULLSEYE$work"
cp "$x86_64_wheel" bindings-python/tests/smoke.py "$BULLSEYE$work/"
# pip inside the root reaches the package index for httpx with the host's
# name server and certificate authorities.
cp /etc/resolv.conf "$BULLSEYE/etc/resolv.conf"
cp /etc/ssl/certs/ca-certificates.crt "$BULLSEYE$work/ca.crt"
chroot "$BULLSEYE" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
  PIP_CERT="$work/ca.crt" PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_DEFAULT_TIMEOUT=120 \
  sh -euc "
    cd $work
    python3 -c 'import platform, sys; print(\"Python\", platform.python_version(), \"glibc\", platform.libc_ver()[1]); assert platform.libc_ver()[1] == \"2.31\"'
    python3 -m venv venv
    venv/bin/pip install -q $(basename "$x86_64_wheel")
    venv/bin/python smoke.py
    venv/bin/python -c 'import lean_sdk; print(\"imported\", lean_sdk.__file__)'
  "
rm -rf "${BULLSEYE:?}$work"

step "release: the sdist builds from source and works"
# Unpacked at the same place each time with the archive's own timestamps,
# so that cargo, in its own target directory, rebuilds only what changed.
sdist_dir=$LEAN_CACHE/release-test-sdist
rm -rf "$sdist_dir/src" "$sdist_dir/wheel" "$sdist_dir/venv"
mkdir -p "$sdist_dir/src"
tar -xzf "$LEAN_DIST/lean_sdk-$version.tar.gz" -C "$sdist_dir/src"
# pip builds it as a user's pip would: maturin from its build-system table.
CARGO_TARGET_DIR=$sdist_dir/target "$LEAN_CACHE/venv-release/bin/pip" wheel -q \
  --disable-pip-version-check --no-deps -w "$sdist_dir/wheel" "$sdist_dir/src/lean_sdk-$version"
python3 -m venv "$sdist_dir/venv"
"$sdist_dir/venv/bin/pip" install -q --disable-pip-version-check "$sdist_dir"/wheel/lean_sdk-*.whl
(cd "$sdist_dir" && venv/bin/python "$OLDPWD/bindings-python/tests/smoke.py")
rm -rf "$sdist_dir/src" "$sdist_dir/wheel" "$sdist_dir/venv"
step "release: all checks passed"
