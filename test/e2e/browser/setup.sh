#!/usr/bin/env bash
# Installs Debian's Chromium for the explorer's browser test when it is
# missing (once) and prints its path. Fails loudly: the test must not skip.
set -euo pipefail
die() { echo "browser setup: $*" >&2; exit 1; }

chromium="${PROV_CHROMIUM:-/usr/bin/chromium}"
if [[ -x "$chromium" ]]; then
  echo "$chromium"
  exit 0
fi
[[ -n "${PROV_CHROMIUM:-}" ]] && die "PROV_CHROMIUM=$chromium is not an executable"
command -v apt-get >/dev/null 2>&1 || die "no $chromium and no apt-get: install Chromium and set PROV_CHROMIUM to it"
[[ "$(id -u)" -eq 0 ]] || die "no $chromium: install it (Debian: apt-get install chromium) or run as root"
echo "browser setup: installing chromium from Debian's packages (once)" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update >&2 || die "apt-get update failed"
apt-get install -y --no-install-recommends chromium fonts-dejavu-core >&2 || die "could not install chromium"
[[ -x "$chromium" ]] || die "chromium was installed but $chromium is missing"
echo "$chromium"
