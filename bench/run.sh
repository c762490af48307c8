#!/usr/bin/env bash
# leak-tidy benchmark, one command: bench/run.sh
#
# Fetches the corpus (apt-get source, into the git-ignored bench/cache/),
# makes a compile_commands.json per project, measures clang-tidy 22 on a
# seeded sample of TUs in three configurations (floor, floor + leak-*,
# clang-analyzer-*), runs the scaling test, and writes bench/RESULTS.md and
# bench/FINDINGS.md. Needs root (or passwordless sudo) for apt the first time.
#
# Environment (all optional):
#   BENCH_TUS_PER_PROJECT  TUs sampled per project (default 8; 0 = all)
#   BENCH_REPEAT           runs of (a) and (b) per TU, minimum kept (default 2)
#   BENCH_BUDGET           seconds after which no new corpus TU is started (default 900)
#   BENCH_SEED             sampling seed (default leak-tidy-bench-1)
#   BENCH_PROJECTS         space-separated subset of: leveldb spdlog cpp-httplib zeromq3 i2pd
#   BENCH_SKIP_SCALE=1     skip the scaling test;  BENCH_NO_ANALYZER=1  skip run (c)
#   BENCH_NOTE             a line put at the top of RESULTS.md and FINDINGS.md
#   LEAK_TIDY_BUILD        build directory of the plugin (default build/; built if missing)
#   CLANG_TIDY             default /usr/lib/llvm-22/bin/clang-tidy
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
BUILD="${LEAK_TIDY_BUILD:-$ROOT/build}"
CLANG_TIDY="${CLANG_TIDY:-/usr/lib/llvm-22/bin/clang-tidy}"
START=$(date +%s)

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo -n"; fi

# 1. Tools the harness needs (Debian package names). Installed only if missing.
need=()
for pkg in cmake ninja-build time dpkg-dev python3 clang-22 clang-tidy-22 clang-tools-22 libclang-22-dev \
           llvm-22-dev llvm-22-tools \
           libfmt-dev libboost-dev libboost-system-dev libboost-filesystem-dev libboost-date-time-dev \
           libboost-program-options-dev libssl-dev zlib1g-dev; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done

# 2. A deb-src entry of our own (never edits the distribution's files).
SRC_LIST=/etc/apt/sources.list.d/leak-tidy-src.sources
have_src=0
if grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null; then
  have_src=1
fi
updated=0
if [ "$have_src" = 0 ]; then
  codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")"
  echo "[bench] adding $SRC_LIST (deb-src for $codename)"
  $SUDO tee "$SRC_LIST" >/dev/null <<EOF
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $codename
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
  $SUDO apt-get update -q
  updated=1
fi
if [ "$updated" = 0 ] && ! apt-cache showsrc leveldb 2>/dev/null | grep -q '^Package:'; then
  $SUDO apt-get update -q
  updated=1
fi
if [ "${#need[@]}" -gt 0 ]; then
  echo "[bench] installing: ${need[*]}"
  [ "$updated" = 1 ] || $SUDO apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
fi

# 3. The plugin.
if [ ! -f "$BUILD/lib/LeakTidy.so" ]; then
  echo "[bench] building the plugin in $BUILD"
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22
  ninja -C "$BUILD" -j2 LeakTidy
fi

# 4. Measure and report.
args=(--clang-tidy "$CLANG_TIDY" --plugin "$BUILD/lib/LeakTidy.so"
      --tus-per-project "${BENCH_TUS_PER_PROJECT:-8}" --repeat "${BENCH_REPEAT:-2}"
      --budget "${BENCH_BUDGET:-900}" --seed "${BENCH_SEED:-leak-tidy-bench-1}")
if [ -n "${BENCH_PROJECTS:-}" ]; then
  # shellcheck disable=SC2206
  args+=(--projects $BENCH_PROJECTS)
fi
[ -z "${BENCH_NO_ANALYZER:-}" ] || args+=(--no-analyzer)
export BENCH_COMMAND="${BENCH_COMMAND:-bench/run.sh (BENCH_TUS_PER_PROJECT=${BENCH_TUS_PER_PROJECT:-8} BENCH_REPEAT=${BENCH_REPEAT:-2} BENCH_BUDGET=${BENCH_BUDGET:-900})}"
rm -f "$HERE/out/corpus.json" "$HERE/out/scale.json"
python3 "$HERE/bench.py" corpus "${args[@]}"
if [ -z "${BENCH_SKIP_SCALE:-}" ]; then
  python3 "$HERE/bench.py" scale "${args[@]}"
fi
python3 "$HERE/bench.py" report "${args[@]}"
echo "[bench] done in $(( $(date +%s) - START )) s: bench/RESULTS.md, bench/FINDINGS.md"
