#!/usr/bin/env bash
# Creates the Python environment of the interoperability tests in
# .cache/interop-python (once; again when requirements.txt changes) and
# prints its interpreter's path. Fails loudly: the tests must not skip.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../../.." && pwd)"
venv="$root/.cache/interop-python"
requirements="$here/requirements.txt"
die() { echo "interop python setup: $*" >&2; exit 1; }

python="${PROV_PYTHON:-python3}"
command -v "$python" >/dev/null 2>&1 || die "no $python on PATH: the interoperability tests need Python 3.9+ (set PROV_PYTHON to another interpreter)"
"$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' || die "$python is older than 3.9"

stamp="$venv/.requirements.sha256"
wanted="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$wanted" ]]; then
  echo "$venv/bin/python"
  exit 0
fi

if ! "$python" -m venv --help >/dev/null 2>&1 || ! "$python" -c 'import ensurepip' >/dev/null 2>&1; then
  # Debian splits venv/ensurepip into python3-venv; install it when we may.
  if [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "interop python setup: installing python3-venv from Debian's packages (once)" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3-venv >&2 ||
      die "could not install python3-venv"
  else
    die "$python has no venv/ensurepip module (Debian: apt-get install python3-venv)"
  fi
fi

rm -rf "$venv"
"$python" -m venv "$venv" >&2 || die "could not create a virtual environment in $venv"
"$venv/bin/python" -m pip install --disable-pip-version-check --quiet --requirement "$requirements" >&2 ||
  die "pip could not install $requirements (is PyPI reachable?)"
echo "$wanted" >"$stamp"
echo "$venv/bin/python"
