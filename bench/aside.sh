#!/usr/bin/env bash
# The set-aside corpus (projects.py entries with an "aside" group): real code
# the leak checks were never tuned on, for one final, honest precision run per
# group. Group 1 ("aside": True: civetweb nng memcached nghttp2 cpprest
# thrift), group 2 ("aside": 2: poco znc aria2) and group 3 ("aside": 3:
# rocksdb librdkafka qbittorrent) and group 4 ("aside": 4: fastdds
# mongo-c-driver czmq) were read once already.
#
#   bench/aside.sh [--group N]        prepare only: fetch (apt-get source,
#                           into the git-ignored bench/cache/), configure /
#                           generate each compile_commands.json, report TU
#                           counts and how many TUs parse with clang-tidy 22
#                           with NO leak check and no plugin. Shows no leak
#                           finding.
#   bench/aside.sh --run [--group N]  the final run: prepare (without the
#                           parse check), then tools/leak-tidy-run -p <compdb
#                           dir> --leak-tidy <build>/bin/leak-tidy -j2 over the
#                           chosen TUs of each project of the group (every TU,
#                           or a seeded sample of the project's max_tus in
#                           projects.py, else 200); raw findings into
#                           bench/out/aside-findings.txt (group 1) or
#                           bench/out/aside<N>-findings.txt (not committed).
#   --group N               the set-aside group (default 1)
#
# Environment (optional):
#   LEAK_TIDY_BUILD   build directory of the plugin (default build/; must hold bin/leak-tidy for --run)
#   ASIDE_JOBS        parallel clang-tidy processes (default 2)
#   ASIDE_MAX_TUS     sample size for larger projects (default: the project's max_tus, else 200; 0 = every TU)
#   ASIDE_PARSE_SAMPLE  prepare: parse-check only a seeded sample of this many TUs per project (default 0 = all)
#   ASIDE_PARSE_CHECK=0 prepare: fetch and make the compile DBs only, no clang-tidy at all (to stage a final run)
#   ASIDE_PROJECTS    space-separated subset of the group's projects
#   CLANG_TIDY        default /usr/lib/llvm-22/bin/clang-tidy
# Needs root (or passwordless sudo) for apt the first time.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
BUILD="${LEAK_TIDY_BUILD:-$ROOT/build}"
RUN=0
GROUP=1
while [ $# -gt 0 ]; do
  case "$1" in
    --run) RUN=1 ;;
    --group)
      [ $# -ge 2 ] || { echo "aside.sh: --group needs a number" >&2; exit 2; }
      GROUP="$2"; shift ;;
    --group=*) GROUP="${1#--group=}" ;;
    -h|--help) sed -n '2,33p' "$0"; exit 0 ;;
    *) echo "aside.sh: unknown argument $1 (only --run and --group N)" >&2; exit 2 ;;
  esac
  shift
done
case "$GROUP" in
  ''|*[!0-9]*) echo "aside.sh: --group takes a number, not '$GROUP'" >&2; exit 2 ;;
esac

# 1. Tools, the libraries the group's configure steps need ("needs" in
# projects.py), and deb-src (bench/apt.sh, shared with bench/run.sh).
needs_out="$(python3 "$HERE/aside.py" needs --group "$GROUP")"
proj_needs=()
if [ -n "$needs_out" ]; then mapfile -t proj_needs <<<"$needs_out"; fi
# shellcheck source=bench/apt.sh
. "$HERE/apt.sh"
bench_apt_setup cmake ninja-build dpkg-dev pkg-config python3 clang-22 clang-tidy-22 ${proj_needs[@]+"${proj_needs[@]}"}

args=(--group "$GROUP" --jobs "${ASIDE_JOBS:-2}" --clang-tidy "${CLANG_TIDY:-/usr/lib/llvm-22/bin/clang-tidy}")
if [ -n "${ASIDE_MAX_TUS:-}" ]; then
  args+=(--max-tus "$ASIDE_MAX_TUS")
fi
if [ -n "${ASIDE_PROJECTS:-}" ]; then
  # shellcheck disable=SC2206
  args+=(--projects $ASIDE_PROJECTS)
fi

if [ "$RUN" = 0 ]; then
  if [ "${ASIDE_PARSE_CHECK:-1}" = 0 ]; then
    args+=(--no-parse-check)
  fi
  python3 "$HERE/aside.py" prepare "${args[@]}" --parse-sample "${ASIDE_PARSE_SAMPLE:-0}"
  exit 0
fi

# 3. The final run.
if [ ! -x "$BUILD/bin/leak-tidy" ] || [ ! -f "$BUILD/lib/LeakTidy.so" ]; then
  echo "aside.sh: $BUILD/bin/leak-tidy or $BUILD/lib/LeakTidy.so missing: build the plugin first" \
       "(bash scripts/build.sh) or set LEAK_TIDY_BUILD" >&2
  exit 2
fi
python3 "$HERE/aside.py" run "${args[@]}" --leak-tidy "$BUILD/bin/leak-tidy" --runner "$ROOT/tools/leak-tidy-run"
