#!/usr/bin/env bash
# The set-aside corpus (projects.py entries with "aside": True): real code the
# leak checks were never tuned on, for one final, honest precision run.
#
#   bench/aside.sh          prepare only: fetch (apt-get source, into the
#                           git-ignored bench/cache/), configure / generate
#                           each compile_commands.json, report TU counts and
#                           how many TUs parse with clang-tidy 22 with NO leak
#                           check and no plugin. Shows no leak finding.
#   bench/aside.sh --run    the final run: prepare (without the parse check),
#                           then tools/leak-tidy-run -p <compdb dir>
#                           --leak-tidy <build>/bin/leak-tidy -j2 over every TU
#                           of each project (a seeded sample of 200 TUs where
#                           there are more); raw findings into
#                           bench/out/aside-findings.txt (not committed).
#
# Environment (optional):
#   LEAK_TIDY_BUILD   build directory of the plugin (default build/; must hold bin/leak-tidy for --run)
#   ASIDE_JOBS        parallel clang-tidy processes (default 2)
#   ASIDE_MAX_TUS     sample size for larger projects (default 200; 0 = every TU)
#   ASIDE_PARSE_SAMPLE  prepare: parse-check only a seeded sample of this many TUs per project (default 0 = all)
#   ASIDE_PROJECTS    space-separated subset of: civetweb nng memcached nghttp2 cpprest thrift
#   CLANG_TIDY        default /usr/lib/llvm-22/bin/clang-tidy
# Needs root (or passwordless sudo) for apt the first time.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$HERE")"
BUILD="${LEAK_TIDY_BUILD:-$ROOT/build}"
RUN=0
for a in "$@"; do
  case "$a" in
    --run) RUN=1 ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "aside.sh: unknown argument $a (only --run)" >&2; exit 2 ;;
  esac
done

# 1. Tools, the libraries the projects' configure steps need ("needs" in
# projects.py), and deb-src (bench/apt.sh, shared with bench/run.sh).
mapfile -t proj_needs < <(cd "$HERE" && python3 -c '
from projects import PROJECTS
print("\n".join(sorted({n for p in PROJECTS if p.get("aside") for n in p.get("needs", [])})))')
# shellcheck source=bench/apt.sh
. "$HERE/apt.sh"
bench_apt_setup cmake ninja-build dpkg-dev pkg-config python3 clang-22 clang-tidy-22 "${proj_needs[@]}"

args=(--jobs "${ASIDE_JOBS:-2}" --max-tus "${ASIDE_MAX_TUS:-200}"
      --clang-tidy "${CLANG_TIDY:-/usr/lib/llvm-22/bin/clang-tidy}")
if [ -n "${ASIDE_PROJECTS:-}" ]; then
  # shellcheck disable=SC2206
  args+=(--projects $ASIDE_PROJECTS)
fi

if [ "$RUN" = 0 ]; then
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
