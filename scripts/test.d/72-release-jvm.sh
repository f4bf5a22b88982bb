#!/usr/bin/env bash
# The Kotlin/JVM release as users get it (scripts/release kotlin builds it, into a directory
# of its own):
# - the jar, its pom, sources and javadoc jars installed with `mvn install:install-file` into
#   a throwaway Maven repository, from which a fresh Maven project (Kotlin) gets it by its
#   coordinates alone, with its dependencies (JNA, Kotlin, coroutines) from the pom, and runs:
#   a gig validated, a webhook verified, a forged one refused;
# - the same from plain Java: javac and java with the jar and its dependencies on the class
#   path, nothing else;
# - the jar's native libraries: linux-x86-64 and linux-aarch64, the latter an AArch64 ELF, and
#   neither needing a glibc symbol newer than 2.17; when the arm64 Debian root of the release
#   test (70-release.sh) is there, the aarch64 library is loaded and called under qemu-user.
# The consumer's Maven repository for third-party artifacts is kept under $LEAN_CACHE (its
# copy of lean-sdk is removed first, so it always resolves the one just built).
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/lib.sh

LEAN_CACHE=${LEAN_CACHE:-$HOME/.cache/lean-sdk}
export LEAN_CACHE
export LEAN_DIST=${CARGO_TARGET_DIR:-$PWD/target}/release-test-jvm
M2=$LEAN_CACHE/release-jvm-m2
BULLSEYE_ARM64=$LEAN_CACHE/chroot-bullseye-arm64
version=$(workspace_version)

need readelf:binutils

rm -rf "$LEAN_DIST"
scripts/release kotlin
jar=$LEAN_DIST/lean-sdk-$version.jar
for artifact in "$jar" "$LEAN_DIST/lean-sdk-$version.pom" "$LEAN_DIST/lean-sdk-$version-sources.jar" \
  "$LEAN_DIST/lean-sdk-$version-javadoc.jar"; do
  [ -f "$artifact" ] || die "missing artifact $artifact: $(ls "$LEAN_DIST")"
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

step "release-jvm: the pom has what Maven Central requires"
python3 - "$LEAN_DIST/lean-sdk-$version.pom" "$version" <<'PY'
import sys, xml.etree.ElementTree as ET
ns = {"m": "http://maven.apache.org/POM/4.0.0"}
pom = ET.parse(sys.argv[1]).getroot()
text = lambda path: (pom.findtext(path, namespaces=ns) or "").strip()
coordinates = (text("m:groupId"), text("m:artifactId"), text("m:version"))
assert coordinates == ("com.withlean", "lean-sdk", sys.argv[2]), coordinates
for field in ("m:name", "m:description", "m:url", "m:scm/m:url", "m:scm/m:connection",
              "m:developers/m:developer/m:name"):
    assert text(field), f"the pom has no {field}"
licenses = [l.findtext("m:name", namespaces=ns) for l in pom.findall("m:licenses/m:license", ns)]
assert licenses == ["MIT", "Apache-2.0"], licenses
print("pom:", ":".join(coordinates), "licences", ", ".join(licenses))
PY

step "release-jvm: the native libraries (ELF machine, glibc floor)"
python3 - "$jar" "$work/native" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as jar:
    for platform in ("linux-x86-64", "linux-aarch64"):
        jar.extract(f"{platform}/liblean_sdk_mobile.so", sys.argv[2])
PY
for platform in linux-x86-64:X86-64 linux-aarch64:AArch64; do
  so=$work/native/${platform%%:*}/liblean_sdk_mobile.so
  readelf -h "$so" | grep -q "Machine:.*${platform#*:}" || die "${platform%%:*}: not an ${platform#*:} ELF"
  newest=$(readelf -V --wide "$so" | grep -o 'GLIBC_[0-9][0-9.]*' | sed 's/GLIBC_//' | sort -V | tail -n 1)
  [ -n "$newest" ] || die "no glibc symbol versions read from ${platform%%:*}'s library"
  [ "$(printf '%s\n2.17\n' "$newest" | sort -V | tail -n 1)" = 2.17 ] ||
    die "${platform%%:*}'s library needs glibc $newest, more than 2.17"
  echo "${platform%%:*}: ${platform#*:}, newest glibc symbol version $newest, $(stat -c %s "$so") bytes"
done
if command -v qemu-aarch64-static >/dev/null && [ -x "$BULLSEYE_ARM64/usr/bin/python3.9" ]; then
  step "release-jvm: the aarch64 library loads and answers on arm64 Debian bullseye (qemu-user)"
  (cd "$work/native/linux-aarch64" && env -i PATH=/usr/bin:/bin qemu-aarch64-static -L "$BULLSEYE_ARM64" \
    "$BULLSEYE_ARM64/usr/bin/python3.9" -c '
import ctypes, platform
lib = ctypes.CDLL("./liblean_sdk_mobile.so")
version = lib.ffi_lean_sdk_mobile_uniffi_contract_version()
print(platform.machine(), "glibc", platform.libc_ver()[1], "uniffi contract version", version)
assert platform.machine() == "aarch64" and version > 0
')
else
  echo "(no qemu-aarch64-static or $BULLSEYE_ARM64: the aarch64 library was not run; scripts/test release makes the root)"
fi

step "release-jvm: mvn install:install-file into a throwaway repository"
mvn -B -q -Dmaven.repo.local="$M2" org.apache.maven.plugins:maven-install-plugin:3.1.4:install-file \
  -Dfile="$jar" -DpomFile="$LEAN_DIST/lean-sdk-$version.pom" \
  -Dsources="$LEAN_DIST/lean-sdk-$version-sources.jar" -Djavadoc="$LEAN_DIST/lean-sdk-$version-javadoc.jar" \
  -DlocalRepositoryPath="$work/repo"
ls "$work/repo/com/withlean/lean-sdk/$version/"

step "release-jvm: a Kotlin user's Maven project, by coordinates"
cp -r bindings-mobile/kotlin/release-test "$work/user"
rm -rf "$M2/com/withlean"
(cd "$work/user" && mvn -B -q -Dmaven.repo.local="$M2" -Dlean.repository="file://$work/repo" \
  -Dlean.version="$version" package exec:exec dependency:build-classpath \
  -DexcludeGroupIds=com.withlean -Dmdep.outputFile="$work/dependencies.txt")
rm -rf "$M2/com/withlean"

step "release-jvm: plain Java (javac, java)"
classpath="$jar:$(cat "$work/dependencies.txt")"
mkdir -p "$work/java"
javac -d "$work/java" -cp "$classpath" bindings-mobile/kotlin/release-test/java/ReleaseSmoke.java
java -cp "$work/java:$classpath" ReleaseSmoke
step "release-jvm: all checks passed"
