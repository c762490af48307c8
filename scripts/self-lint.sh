#!/usr/bin/env bash
# Lints leak-tidy's own sources (checks/, lib/, test/unit/) with the project's
# .clang-tidy, using clang-tidy 22 and the build's compile_commands.json.
# Exits non-zero on any warning.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${LEAK_TIDY_BUILD_DIR:-build}
[ -f "$BUILD/compile_commands.json" ] || bash scripts/build.sh >/dev/null
files=$(git ls-files 'checks/*.cpp' 'lib/*.cpp')
out=$(/usr/lib/llvm-22/bin/run-clang-tidy -quiet -p "$BUILD" -j "$(nproc)" $files 2>&1 || true)
warnings=$(printf '%s\n' "$out" | grep -E ': (warning|error):' | sort -u || true)
if [ -n "$warnings" ]; then
  printf '%s\n' "$warnings"
  echo "self-lint: $(printf '%s\n' "$warnings" | wc -l) findings"
  exit 1
fi
echo "self-lint: clean ($(echo $files | wc -w) files)"
