#!/usr/bin/env bash
# Configures and builds leak-tidy into build/ (or $LEAK_TIDY_BUILD_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${LEAK_TIDY_BUILD_DIR:-build}
if [ ! -f "$BUILD/build.ninja" ]; then
  cmake -S . -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DCMAKE_C_COMPILER=clang-22 -DCMAKE_CXX_COMPILER=clang++-22 \
    -DLEAK_TIDY_WERROR=${LEAK_TIDY_WERROR:-ON} ${LEAK_TIDY_CMAKE_ARGS:-}
fi
cmake --build "$BUILD"
