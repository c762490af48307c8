#!/usr/bin/env bash
# Cost of project facts (issue 18): whole-project leak-tidy-run with facts (phase 1 + merge + phase 2) against
# --no-facts (today's single pass), without the result cache, on bench projects' compile databases.
#   bench/facts_bench.sh [-j N] PROJECT...      e.g. bench/facts_bench.sh spdlog leveldb memcached
# Needs bench/cache/build/<PROJECT>/compile_commands.json (bench/run.sh, or bench.py's fetch and compdb steps).
# Environment: LEAK_TIDY_BUILD (default build/), BENCH_CACHE (default bench/cache), OUT (default /tmp/leak-facts-bench).
# Prints per project and mode: CPU s (user+sys of leak-tidy-run and every clang-tidy it starts, /usr/bin/time),
# wall s, exit code, TUs re-checked, the store's size; the findings of both modes are in OUT/<p>-<mode>/out.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BUILD="${LEAK_TIDY_BUILD:-$HERE/../build}"
CACHE="${BENCH_CACHE:-$HERE/cache}"
OUT="${OUT:-/tmp/leak-facts-bench}"
J=2
if [ "${1:-}" = -j ]; then J=$2; shift 2; fi
for p in "$@"; do
  for mode in no-facts facts; do
    d="$OUT/$p-$mode"
    rm -rf "$d"; mkdir -p "$d"
    if [ $mode = facts ]; then opt=(--facts-dir "$d/store"); else opt=(--no-facts); fi
    rc=0
    /usr/bin/time -f "%U %S %e" -o "$d/time" "$BUILD/bin/leak-tidy-run" -p "$CACHE/build/$p" -j "$J" --no-cache \
      --no-progress --verbose "${opt[@]}" >"$d/out" 2>"$d/err" || rc=$?
    read -r u s e < <(tail -1 "$d/time")
    store=$( [ -f "$d/store/facts.idx" ] && du -sb "$d/store" | cut -f1 || echo 0)
    rechecked=$(grep -o 'project facts: [0-9]* re-checked' "$d/err" | grep -o '[0-9]*' || echo -)
    printf '%-12s %-9s cpu=%6.1f s wall=%6.1f s exit=%s findings=%s re-checked=%s store=%s bytes\n' "$p" "$mode" \
      "$(awk "BEGIN{print $u + $s}")" "$e" "$rc" "$(grep -c ': warning:' "$d/out" || true)" "$rechecked" "$store"
  done
  if diff -q "$OUT/$p-no-facts/out" "$OUT/$p-facts/out" >/dev/null; then echo "$p: same findings"; else
    echo "$p: findings differ:"; diff "$OUT/$p-no-facts/out" "$OUT/$p-facts/out" | grep '^[<>].*warning:' || true; fi
done
