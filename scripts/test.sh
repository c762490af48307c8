#!/usr/bin/env bash
# The whole test suite: set up, build (warnings are errors), then ctest runs
# the lit suite (every check against the real framework headers, the
# integration tests) and the unit tests of lib/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
bash scripts/build.sh
ctest --test-dir "${LEAK_TIDY_BUILD_DIR:-build}" --output-on-failure
