#!/usr/bin/env bash
# Installs what leak-tidy needs to build and test on Debian 12 (bookworm):
# LLVM/Clang 22 (from bookworm-security), the real framework headers the tests
# include, GoogleTest, and the tools of the integration tests. Idempotent:
# installs only what is missing. Needs root (or sudo).
set -euo pipefail
PKGS=(
  # toolchain and LLVM 22 (clang-tidy 22, its headers, lit and FileCheck)
  cmake ninja-build python3 pkg-config git ca-certificates
  clang-22 clang-tidy-22 clang-tools-22 libclang-22-dev llvm-22-dev llvm-22-tools
  # unit tests
  libgtest-dev
  # real framework headers used by the lit tests
  libboost-dev libboost-fiber-dev libboost-thread-dev libasio-dev qtbase5-dev
  libuv1-dev libglib2.0-dev libevent-dev
  # integration tests: pre-commit hook, SARIF schema validation
  pre-commit python3-jsonschema
  # integration test of leak-tidy-run --html in a real browser (headless)
  chromium chromium-driver python3-selenium
  # leak-clangd: Debian's clangd libraries are built with the remote index,
  # so linking them needs gRPC and protobuf
  libgrpc++-dev libprotobuf-dev protobuf-compiler-grpc
  # the shared ASan/UBSan runtime for the sanitized test run
  libclang-rt-22-dev
)
PKGS+=(${LEAK_TIDY_EXTRA_PKGS:-})
fetch_sarif_schema() {
  # The official SARIF 2.1.0 JSON schema, for the SARIF validation test. It is
  # shipped inside an npm package (@microsoft/jest-sarif); no other download.
  local root dest tmp
  root=$(cd "$(dirname "$0")/.." && pwd)
  dest="$root/.cache/sarif-2.1.0.json"
  [ -f "$dest" ] && return 0
  command -v npm >/dev/null || { echo "deps: npm not found; SARIF is checked by structure only"; return 0; }
  tmp=$(mktemp -d)
  if (cd "$tmp" && npm pack --silent @microsoft/jest-sarif@1.0.0-beta.0 >/dev/null 2>&1 && tar xzf ./*.tgz); then
    mkdir -p "$root/.cache"
    cp "$tmp/package/lib/schemas/sarif-2.1.0-rtm.5.json" "$dest"
    echo "deps: SARIF 2.1.0 schema in .cache/"
  else
    echo "deps: could not fetch the SARIF schema from npm; SARIF is checked by structure only"
  fi
  rm -rf "$tmp"
}
trap fetch_sarif_schema EXIT

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: all ${#PKGS[@]} packages present"
  exit 0
fi
echo "deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "deps: run as root or install: ${missing[*]}" >&2; exit 1; }
  SUDO=sudo
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
