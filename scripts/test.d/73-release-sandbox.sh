#!/usr/bin/env bash
# The lean-sandbox executable as Python and Node users get it, without Rust
# (scripts/release sandbox builds it):
# - the four wheels' tags and version; the x86_64 manylinux2014 one
#   pip-installed into a fresh venv, where `lean-sandbox` is on PATH, serves
#   on 127.0.0.1 and answers an authenticated payouts call (and refuses one
#   without the key);
# - the npm tarballs, installed offline into a fresh project (the platform
#   package by file path): `npx lean-sandbox` passes arguments and the exit
#   status, `npx lean-sandbox serve` serves and answers, the launcher passes
#   SIGTERM on to the binary, `binaryPath()` finds it, and the launcher
#   names the missing package, or the supported platforms, when it has none;
# - the npm packages' binaries: the static ones of the musllinux wheels;
#   the arm64 one serves and answers under qemu-user;
# - the aarch64 manylinux2014 binary: an AArch64 ELF needing no glibc symbol
#   newer than 2.17, which runs under qemu-user with Debian's arm64 glibc;
# - LICENSE-MIT and LICENSE-APACHE, identical to the root's, inside each.
# Builds into target/release-test-sandbox; cargo's cross-target directory is
# kept under $LEAN_CACHE, so that a re-run rebuilds only what changed. The
# four executables are built here without link-time optimisation (the
# release builds them with it): the same code and packaging, in a fraction
# of the time four full-LTO links of an HTTP server take on a small machine.
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh

LEAN_CACHE=${LEAN_CACHE:-$HOME/.cache/lean-sdk}
export LEAN_CACHE
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$LEAN_CACHE/target-release-sandbox}
export LEAN_DIST=$PWD/target/release-test-sandbox
export CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16
version=$(workspace_version)
key=sk_test_release_sandbox
unset LEAN_SANDBOX_BINARY

need readelf:binutils curl:curl npm:npm qemu-aarch64-static:qemu-user-static
# The arm64 glibc that the aarch64 binary loads under qemu-user.
[ -e /usr/aarch64-linux-gnu/lib/ld-linux-aarch64.so.1 ] || apt_install libc6-arm64-cross

rm -rf "$LEAN_DIST"
scripts/release sandbox
x86_64_wheel=$LEAN_DIST/lean_sandbox-$version-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl
aarch64_wheel=$LEAN_DIST/lean_sandbox-$version-py3-none-manylinux2014_aarch64.manylinux_2_17_aarch64.whl
x86_64_musl_wheel=$LEAN_DIST/lean_sandbox-$version-py3-none-musllinux_1_2_x86_64.whl
aarch64_musl_wheel=$LEAN_DIST/lean_sandbox-$version-py3-none-musllinux_1_2_aarch64.whl
launcher=$LEAN_DIST/lean-sandbox-$version.tgz
x64_package=$LEAN_DIST/lean-sdk-sandbox-linux-x64-$version.tgz
arm64_package=$LEAN_DIST/lean-sdk-sandbox-linux-arm64-$version.tgz
artifacts=("$x86_64_wheel" "$aarch64_wheel" "$x86_64_musl_wheel" "$aarch64_musl_wheel"
  "$launcher" "$x64_package" "$arm64_package")
for artifact in "${artifacts[@]}"; do
  [ -f "$artifact" ] || die "missing artifact $artifact: $(ls "$LEAN_DIST")"
done

work=$(mktemp -d)
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

step "release-sandbox: contents, tags and versions"
python3 - "$version" "${artifacts[@]}" <<'EOF'
import json, sys, tarfile, zipfile
version, paths = sys.argv[1], sys.argv[2:]
root = {name: open(name, "rb").read() for name in ("LICENSE-MIT", "LICENSE-APACHE")}
for path in paths:
    name = path.rsplit("/", 1)[-1]
    if path.endswith(".whl"):
        archive = zipfile.ZipFile(path)
        files = {n: archive.read(n) for n in archive.namelist()}
        arch = "x86_64" if "x86_64" in name else "aarch64"
        tags = sorted(l[5:] for l in files[f"lean_sandbox-{version}.dist-info/WHEEL"].decode().splitlines()
                      if l.startswith("Tag: "))
        expected = ([f"py3-none-musllinux_1_2_{arch}"] if "musllinux" in name else
                    [f"py3-none-manylinux2014_{arch}", f"py3-none-manylinux_2_17_{arch}"])
        assert tags == expected, (name, tags)
        metadata = files[f"lean_sandbox-{version}.dist-info/METADATA"].decode()
        assert f"\nVersion: {version}\n" in metadata and "\nName: lean-sandbox\n" in metadata, metadata
        assert f"lean_sandbox-{version}.data/scripts/lean-sandbox" in files, sorted(files)
        assert not any(n.endswith(".py") for n in files), sorted(files)
    else:
        archive = tarfile.open(path)
        files = {m.name: archive.extractfile(m).read() for m in archive.getmembers() if m.isfile()}
        package = json.loads(files["package/package.json"])
        assert package["version"] == version, (name, package["version"])
        assert "package/README.md" in files, (name, sorted(files))
        if package["name"] == "lean-sandbox":
            assert package["optionalDependencies"] == {
                "@lean-sdk/sandbox-linux-x64": version, "@lean-sdk/sandbox-linux-arm64": version}, package
        else:
            cpu = package["name"].rsplit("-", 1)[-1]
            assert package["os"] == ["linux"] and package["cpu"] == [cpu], package
            binary = archive.getmember("package/bin/lean-sandbox")
            assert binary.mode & 0o111, oct(binary.mode)
    for license, text in root.items():
        found = [n for n, body in files.items() if n.endswith("/" + license) and body == text]
        assert found, f"{name} carries no {license} identical to the root's"
    print(f"{name}: {len(files)} files, licenses, version {version}")
EOF

# serve NAME COMMAND...: starts COMMAND (a `serve`, which must say where it
# listens) as its own process group, and sets $pid and $url.
serve() {
  local name=$1 i
  shift
  setsid "$@" > "$work/$name.out" 2> "$work/$name.err" &
  pid=$!
  pids+=("$pid")
  for i in $(seq 1 300); do
    url=$(sed -n '1s/^listening on \(http:\/\/127\.0\.0\.1:[0-9]*\)$/\1/p' "$work/$name.out")
    [ -n "$url" ] && return 0
    kill -0 "$pid" 2>/dev/null || die "$name exited before listening: $(cat "$work/$name.err")"
    sleep 0.1
  done
  die "$name printed no 'listening on' line in 30 s: $(cat "$work/$name.out" "$work/$name.err")"
}

# answers NAME: one authenticated payouts call to $url and one without the key.
answers() {
  local name=$1 status
  status=$(curl -sS -o "$work/$name.body" -w '%{http_code}' -u "$key:" "$url/api/gig")
  [ "$status" = 200 ] && [ "$(cat "$work/$name.body")" = "[]" ] ||
    die "$name: GET /api/gig answered $status $(cat "$work/$name.body")"
  status=$(curl -sS -o /dev/null -w '%{http_code}' "$url/api/gig")
  [ "$status" = 401 ] || die "$name: GET /api/gig without the key answered $status"
  echo "$name at $url: GET /api/gig 200 [] with the key, 401 without"
}

# stop: SIGTERM to the process group of $pid (as Ctrl-C reaches every
# process of a terminal's job), then $url must refuse connections.
stop() {
  local _
  kill -TERM -- "-$pid"
  wait "$pid" || true
  for _ in $(seq 1 50); do
    curl -s -o /dev/null "$url/api/gig" || return 0
    sleep 0.1
  done
  die "something still answers at $url"
}

step "release-sandbox: $(basename "$x86_64_wheel") in a fresh venv"
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install -q --disable-pip-version-check --no-index "$x86_64_wheel"
out=$(PATH="$work/venv/bin:/usr/bin:/bin" lean-sandbox --version)
[ "$out" = "lean-sandbox $version" ] || die "lean-sandbox --version printed: $out"
[ "$(PATH="$work/venv/bin:/usr/bin:/bin" command -v lean-sandbox)" = "$work/venv/bin/lean-sandbox" ] ||
  die "pip put no lean-sandbox on the venv's PATH"
serve pip env PATH="$work/venv/bin:/usr/bin:/bin" lean-sandbox serve --port 0 --api-key "$key" --quiet
answers pip
stop

step "release-sandbox: the npm packages, installed offline into a fresh project"
mkdir "$work/project"
echo '{"name": "release-sandbox-test", "private": true}' > "$work/project/package.json"
(cd "$work/project" && npm install --offline --no-audit --no-fund --cache "$work/npm-cache" \
  "$launcher" "$x64_package" >/dev/null)
[ ! -e "$work/project/node_modules/@lean-sdk/sandbox-linux-arm64" ] ||
  die "npm installed the arm64 package on x64"
cd "$work/project"
out=$(npx --offline lean-sandbox --version)
[ "$out" = "lean-sandbox $version" ] || die "npx lean-sandbox --version printed: $out"
# A command-line error: the binary's status 2 and its message come through.
status=0
npx --offline lean-sandbox serve --port 0 2> "$work/usage.err" || status=$?
[ "$status" = 2 ] && grep -q -- '--api-key' "$work/usage.err" ||
  die "npx lean-sandbox serve without a key: status $status, $(cat "$work/usage.err")"
echo "npx lean-sandbox: --version and a command-line error (status 2) come through"
serve npx npx --offline lean-sandbox serve --port 0 --api-key "$key" --quiet
answers npx
stop

# The launcher alone (as a harness spawning node_modules/.bin/lean-sandbox
# runs it): a SIGTERM to it alone stops the binary, and it ends by SIGTERM.
serve launcher node_modules/.bin/lean-sandbox serve --port 0 --api-key "$key" --quiet
answers launcher
binary_pid=$(pgrep -P "$pid" -f 'sandbox-linux-x64/bin/lean-sandbox') || die "no binary under the launcher"
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
[ "$status" = 143 ] || die "the launcher ended with status $status after SIGTERM, not 143"
for _ in $(seq 1 50); do kill -0 "$binary_pid" 2>/dev/null || break; sleep 0.1; done
! kill -0 "$binary_pid" 2>/dev/null || die "the binary outlived its launcher's SIGTERM"
echo "launcher: SIGTERM passed on to the binary, status 143"

found=$(node -e 'process.stdout.write(require("lean-sandbox").binaryPath())')
[ "$found" = "$work/project/node_modules/@lean-sdk/sandbox-linux-x64/bin/lean-sandbox" ] ||
  die "binaryPath() found $found"
[ "$("$found" --version)" = "lean-sandbox $version" ] || die "$found does not run"

# Errors of the launcher: the platform package missing, a platform without one.
rm -rf node_modules/@lean-sdk/sandbox-linux-x64
status=0
node_modules/.bin/lean-sandbox --version 2> "$work/missing.err" || status=$?
[ "$status" = 1 ] && grep -q 'the package @lean-sdk/sandbox-linux-x64, which carries' "$work/missing.err" ||
  die "without its platform package: status $status, $(cat "$work/missing.err")"
cut -c 1-120 "$work/missing.err"
echo 'Object.defineProperty(process, "arch", { value: "s390x" });' > "$work/s390x.js"
status=0
NODE_OPTIONS="--require $work/s390x.js" node_modules/.bin/lean-sandbox --version 2> "$work/unsupported.err" || status=$?
[ "$status" = 1 ] && grep -q 'no prebuilt lean-sandbox binary for linux s390x: the packages are linux x64 (@lean-sdk/sandbox-linux-x64), linux arm64 (@lean-sdk/sandbox-linux-arm64)' "$work/unsupported.err" ||
  die "on an unsupported platform: status $status, $(cat "$work/unsupported.err")"
cut -c 1-120 "$work/unsupported.err"
cd - >/dev/null

step "release-sandbox: the npm packages' binaries"
# wheel_binary WHEEL FILE: extracts the wheel's lean-sandbox into FILE.
wheel_binary() {
  python3 -c 'import sys, zipfile; sys.stdout.buffer.write(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]))' \
    "$1" "lean_sandbox-$version.data/scripts/lean-sandbox" > "$2"
  chmod 755 "$2"
}
mkdir "$work/bin"
for cpu in x64 arm64; do
  case $cpu in x64) package=$x64_package wheel=$x86_64_musl_wheel machine='Advanced Micro Devices X86-64' ;;
    arm64) package=$arm64_package wheel=$aarch64_musl_wheel machine=AArch64 ;; esac
  mkdir "$work/bin/$cpu"
  tar -xzf "$package" -C "$work/bin/$cpu" package/bin/lean-sandbox
  wheel_binary "$wheel" "$work/bin/$cpu/from-wheel"
  cmp -s "$work/bin/$cpu/package/bin/lean-sandbox" "$work/bin/$cpu/from-wheel" ||
    die "the $cpu npm binary is not the one of $(basename "$wheel")"
  grep -q "Machine: *$machine\$" <<< "$(readelf -h "$work/bin/$cpu/from-wheel")" ||
    die "the $cpu binary is not an $machine ELF"
  ! grep -q INTERP <<< "$(readelf -l "$work/bin/$cpu/from-wheel")" || die "the $cpu binary needs a dynamic loader"
  grep -q 'no dynamic section' <<< "$(readelf -d "$work/bin/$cpu/from-wheel")" ||
    die "the $cpu binary needs shared libraries"
  echo "$cpu: the static $machine ELF of $(basename "$wheel")"
done
arm64_binary=$work/bin/arm64/package/bin/lean-sandbox
out=$(qemu-aarch64-static "$arm64_binary" --version)
[ "$out" = "lean-sandbox $version" ] || die "the arm64 binary under qemu-user printed: $out"
serve arm64 qemu-aarch64-static "$arm64_binary" serve --port 0 --api-key "$key" --quiet
answers arm64-qemu
stop

step "release-sandbox: $(basename "$aarch64_wheel")'s binary"
wheel_binary "$aarch64_wheel" "$work/bin/aarch64-glibc"
grep -q 'Machine:.*AArch64' <<< "$(readelf -h "$work/bin/aarch64-glibc")" || die "the aarch64 wheel's binary is not an AArch64 ELF"
newest=$(readelf -V --wide "$work/bin/aarch64-glibc" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -n 1)
[ -n "$newest" ] || die "no glibc symbol versions read from the aarch64 wheel's binary"
[ "$(printf '%s\n2.17\n' "$newest" | sort -V | tail -n 1)" = 2.17 ] ||
  die "the aarch64 wheel's binary needs glibc $newest, more than manylinux2014's 2.17"
out=$(qemu-aarch64-static -L /usr/aarch64-linux-gnu "$work/bin/aarch64-glibc" --version)
[ "$out" = "lean-sandbox $version" ] || die "the aarch64 wheel's binary under qemu-user printed: $out"
echo "an AArch64 ELF, newest glibc symbol version $newest; under qemu-user: $out"

step "release-sandbox: all checks passed"
(cd "$LEAN_DIST" && ls -l --time-style=+ -- *.whl *.tgz | awk '{print $5, $NF}')
