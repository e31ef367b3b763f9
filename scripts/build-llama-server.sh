#!/usr/bin/env bash
# Builds upstream llama.cpp's `llama-server` once per pinned version and prints the binary's path (last line of
# stdout). Idempotent: a finished build is found and reused in well under a second.
#
#   scripts/build-llama-server.sh [DATA_DIR]        -> DATA_DIR/llama.cpp/<version>/bin/llama-server
#   scripts/build-llama-server.sh --version         -> the pinned version (the cache directory's name)
#
# DATA_DIR defaults to $JERRY_DATA_DIR, else .jerry/ in the checkout. The source is the llama.cpp git bundle that the
# npm package node-llama-cpp ships (pinned below by version and SHA-256 of the package tarball), so the only
# downloads are one npm tarball (~35 MB) and nothing during the build. Needs: cmake >= 3.14, a C/C++ compiler
# (g++ or clang++), git, tar, and npm or curl. Environment:
#   JERRY_LLAMA_NATIVE=ON|OFF   optimize for this machine's CPU (default ON; OFF for images that run elsewhere)
#   JERRY_LLAMA_GPU=auto|cuda|vulkan|none   GPU backend (default auto: CUDA when nvcc is found, Vulkan when glslc and
#                               the Vulkan headers are, else CPU only)
#   JERRY_LLAMA_TARGETS         extra cmake targets, e.g. "llama-bench llama-quantize" for the bench
#   JERRY_LLAMA_JOBS            parallel compile jobs (default: number of CPUs)
# Everything it writes is under DATA_DIR/llama.cpp/ (the download and the source tree are removed after the build).
set -euo pipefail

# ---- the pin: change all four together ----
NPM_PACKAGE=node-llama-cpp
NPM_VERSION=3.22.1
NPM_SHA256=a0d9dd80eacd2ab1cfe71aee57ac8a806487fd70b3d2a38fbec637752d9e5c5f
LLAMA_COMMIT=de3ff815ea7d559ee917f063901b8986f038abc6 # llama.cpp release of 2026-09-28 (tag v0.5.0 in the package)
VERSION=v0.5.0-${LLAMA_COMMIT:0:7}

say() { printf 'build-llama-server: %s\n' "$*" >&2; }
die() { printf 'build-llama-server: %s\n' "$*" >&2; exit 1; }

if [ "${1:-}" = --version ]; then echo "$VERSION"; exit 0; fi

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DATA=${1:-${JERRY_DATA_DIR:-$ROOT/.jerry}}
DEST=$DATA/llama.cpp/$VERSION
BIN=$DEST/bin/llama-server
TARGETS="llama-server ${JERRY_LLAMA_TARGETS:-}"

built() { # every wanted target is in bin/
  local t
  for t in $TARGETS; do [ -x "$DEST/bin/$t" ] || return 1; done
}

if built; then echo "$BIN"; exit 0; fi

missing() { die "cannot build llama-server: $1 is missing ($2); or set JERRY_LLAMA_SERVER to a llama-server binary"; }
command -v cmake >/dev/null || missing cmake "Debian/Ubuntu: apt-get install cmake; Fedora: dnf install cmake; macOS: brew install cmake"
CXX_BIN=${CXX:-}
if [ -z "$CXX_BIN" ]; then
  for c in c++ g++ clang++; do command -v "$c" >/dev/null && { CXX_BIN=$c; break; }; done
fi
[ -n "$CXX_BIN" ] || missing "a C++ compiler (g++ or clang++)" "Debian/Ubuntu: apt-get install g++; Fedora: dnf install gcc-c++; macOS: xcode-select --install"
command -v git >/dev/null || missing git "apt-get install git"
command -v tar >/dev/null || missing tar "apt-get install tar"
command -v sha256sum >/dev/null || command -v shasum >/dev/null || missing sha256sum "apt-get install coreutils"
command -v npm >/dev/null || command -v curl >/dev/null || missing "npm or curl" "apt-get install curl"

mkdir -p "$DATA/llama.cpp"
# one build at a time: model-service, ./jerry up and CI may ask at once; the others wait and reuse it
exec 9>"$DATA/llama.cpp/.build.lock"
if command -v flock >/dev/null; then
  flock -n 9 || { say "another build of llama-server $VERSION is running; waiting for it"; flock 9; }
fi
if built; then echo "$BIN"; exit 0; fi

WORK=$DEST/work
rm -rf "$WORK"
mkdir -p "$WORK" "$DEST/bin"
cpus=$(getconf _NPROCESSORS_ONLN 2>/dev/null || echo 2)
JOBS=${JERRY_LLAMA_JOBS:-$cpus}
minutes=$((20 / JOBS)); [ "$minutes" -ge 3 ] || minutes=3
say "building llama-server $VERSION from source, once: about $minutes minutes with $JOBS compile jobs (later starts reuse it): $DEST"

# ---- the source: the git bundle inside the pinned npm package, checked against the pinned SHA-256 ----
tgz=$WORK/$NPM_PACKAGE-$NPM_VERSION.tgz
if command -v npm >/dev/null; then
  (cd "$WORK" && npm pack --silent "$NPM_PACKAGE@$NPM_VERSION" >/dev/null) || die "npm pack $NPM_PACKAGE@$NPM_VERSION failed (no access to the npm registry?)"
else
  curl -fsSL -o "$tgz" "https://registry.npmjs.org/$NPM_PACKAGE/-/$NPM_PACKAGE-$NPM_VERSION.tgz" \
    || die "downloading $NPM_PACKAGE-$NPM_VERSION.tgz from registry.npmjs.org failed"
fi
if command -v sha256sum >/dev/null; then sum=$(sha256sum "$tgz" | cut -d' ' -f1); else sum=$(shasum -a 256 "$tgz" | cut -d' ' -f1); fi
[ "$sum" = "$NPM_SHA256" ] || die "$NPM_PACKAGE-$NPM_VERSION.tgz has SHA-256 $sum, expected $NPM_SHA256: refusing to build it"
tar -xzf "$tgz" -C "$WORK" package/llama/gitRelease.bundle
git clone -q "$WORK/package/llama/gitRelease.bundle" "$WORK/llama.cpp" 2>/dev/null || die "cannot clone the llama.cpp bundle"
(cd "$WORK/llama.cpp" && git -c advice.detachedHead=false checkout -q "$LLAMA_COMMIT") \
  || die "the bundle does not hold llama.cpp commit $LLAMA_COMMIT"
rm -f "$tgz" "$WORK/package/llama/gitRelease.bundle"

# ---- configure: CPU (native flags by default), plus a GPU backend when its toolchain is here ----
flags=(-DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_COMPILER="$CXX_BIN" -DBUILD_SHARED_LIBS=OFF
  -DGGML_NATIVE="${JERRY_LLAMA_NATIVE:-ON}" -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF
  -DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_BUILD_UI=OFF -DLLAMA_OPENSSL=OFF -DLLAMA_CURL=OFF)
gpu=${JERRY_LLAMA_GPU:-auto}
if [ "$gpu" = auto ]; then
  # a toolkit alone is not enough (CI machines often have nvcc and no GPU): it needs a device too
  gpu=none
  if command -v nvcc >/dev/null && nvidia-smi -L 2>/dev/null | grep -q GPU; then gpu=cuda
  elif command -v glslc >/dev/null && [ -e /usr/include/vulkan/vulkan.h ] && vulkaninfo --summary >/dev/null 2>&1; then gpu=vulkan; fi
fi
case "$gpu" in
  cuda) gpu_flags=(-DGGML_CUDA=ON) ;;
  vulkan) gpu_flags=(-DGGML_VULKAN=ON) ;;
  none) gpu_flags=() ;;
  *) die "JERRY_LLAMA_GPU must be auto, cuda, vulkan or none, got '$gpu'" ;;
esac
say "configuring (cmake, GPU: $gpu, native CPU flags: ${JERRY_LLAMA_NATIVE:-ON}); log: $DEST/build.log"
if ! cmake -S "$WORK/llama.cpp" -B "$WORK/build" "${flags[@]}" "${gpu_flags[@]}" >"$DEST/build.log" 2>&1; then
  [ "$gpu" != none ] || { tail -n 20 "$DEST/build.log" >&2; die "cmake could not configure llama.cpp (log: $DEST/build.log)"; }
  say "cmake could not configure the $gpu build (see $DEST/build.log); building for the CPU only"
  rm -rf "$WORK/build"
  cmake -S "$WORK/llama.cpp" -B "$WORK/build" "${flags[@]}" >"$DEST/build.log" 2>&1 \
    || { tail -n 20 "$DEST/build.log" >&2; die "cmake could not configure llama.cpp (log: $DEST/build.log)"; }
fi

# ---- build, with a progress line every 10 % ----
start=$(date +%s)
last=-10
set +e
cmake --build "$WORK/build" --target $TARGETS -j "$JOBS" 2>&1 | while IFS= read -r line; do
  printf '%s\n' "$line" >>"$DEST/build.log"
  if [[ $line =~ ^\[\ *([0-9]+)%\] ]]; then
    pct=${BASH_REMATCH[1]}
    if [ "$pct" -ge $((last + 10)) ]; then
      last=$pct
      say "compiling: $pct % ($(($(date +%s) - start)) s)"
    fi
  fi
done
status=${PIPESTATUS[0]}
set -e
[ "$status" = 0 ] || { tail -n 20 "$DEST/build.log" >&2; die "the build failed (log: $DEST/build.log)"; }

for t in $TARGETS; do install -m 0755 "$WORK/build/bin/$t" "$DEST/bin/$t"; done
rm -rf "$WORK"
say "built llama-server $VERSION in $(($(date +%s) - start)) s: $BIN"
echo "$BIN"
