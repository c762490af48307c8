# shellcheck shell=bash
# Sourced by bench/run.sh and bench/aside.sh: apt set-up for the corpus.
# bench_apt_setup PKG...: makes sure a deb-src entry exists (adding one file of
# our own, /etc/apt/sources.list.d/leak-tidy-src.sources; the distribution's
# files are never edited), that `apt-get source` works, and that the given
# Debian packages are installed (only the missing ones are installed).
# Needs root or passwordless sudo when something is missing.
bench_apt_setup() {
  local sudo="" pkg codename have_src=0 updated=0 need=()
  if [ "$(id -u)" != 0 ]; then sudo="sudo -n"; fi
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
  done
  local src_list=/etc/apt/sources.list.d/leak-tidy-src.sources
  if grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null; then
    have_src=1
  fi
  if [ "$have_src" = 0 ]; then
    codename="$(. /etc/os-release && echo "${VERSION_CODENAME:-bookworm}")"
    echo "[bench] adding $src_list (deb-src for $codename)"
    $sudo tee "$src_list" >/dev/null <<EOT
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $codename
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOT
    $sudo apt-get update -q
    updated=1
  fi
  if [ "$updated" = 0 ] && ! apt-cache showsrc leveldb 2>/dev/null | grep -q '^Package:'; then
    $sudo apt-get update -q
    updated=1
  fi
  if [ "${#need[@]}" -gt 0 ]; then
    echo "[bench] installing: ${need[*]}"
    [ "$updated" = 1 ] || $sudo apt-get update -q
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${need[@]}"
  fi
}
