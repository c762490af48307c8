#!/usr/bin/env bash
# The main job: set up, build, and lint the bundled examples/ with every leak
# check, printing the findings. Each example names its compile flags on a line
# `// leak-tidy-flags: ...`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
bash scripts/build.sh >/dev/null
BUILD=${LEAK_TIDY_BUILD_DIR:-build}
total=0
for f in examples/*.c examples/*.cpp; do
  [ -f "$f" ] || continue
  flags=$(sed -n 's|^// leak-tidy-flags:||p' "$f" | head -n1)
  [ -n "$flags" ] || flags="-std=c++17"
  echo "== $f"
  # shellcheck disable=SC2086
  out=$("$BUILD/bin/leak-tidy" --checks='-*,leak-*' --quiet "$f" -- $(eval echo $flags) 2>&1 || true)
  printf '%s\n' "$out" | grep -v "warnings generated" || true
  n=$(printf '%s\n' "$out" | grep -c ': warning: .*\[leak-' || true)
  total=$((total + n))
done
echo "leak-tidy: $total findings in examples/"
