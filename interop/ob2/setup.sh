#!/usr/bin/env bash
# Install the 1EdTech Open Badges 2.0 validator (`openbadges` 1.1.2) into its own virtualenv, interop/.venv-ob2,
# with `pip install --no-deps` from interop/ob2/requirements.txt (exact versions). Called by interop/setup.sh.
# Idempotent: a stamp inside the venv records the hash of requirements.txt and the Python version; on a mismatch
# the venv is rebuilt from scratch. Without a usable Python 3 (>= 3.9, with venv): a warning and exit 0
# (tests/interop/test_ob2_validator.py then skips); with CI=true that is an error. A failing install is an error.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
venv="$(dirname "$here")/.venv-ob2"
stamp="$venv/.savoirs-ob2-stamp"
requirements="$here/requirements.txt"

missing() {
    if [ "${CI:-}" = "true" ]; then
        echo "interop/ob2/setup.sh: ERROR: $1 (CI=true: the OB 2.0 validator is required)" >&2
        exit 1
    fi
    echo "interop/ob2/setup.sh: WARNING: $1; the OB 2.0 validator test will be skipped" >&2
    exit 0
}

python="${OB2_PYTHON:-$(command -v python3.11 || command -v python3 || true)}"
{ [ -n "$python" ] && command -v "$python" >/dev/null 2>&1; } || missing "python3 is not installed${python:+ ($python)}"
version="$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')" || missing "$python does not run"
"$python" -c 'import sys; sys.exit(sys.version_info < (3, 9))' || missing "Python $version is too old (>= 3.9 needed)"
"$python" -c 'import venv, ensurepip' 2>/dev/null || missing "$python has no venv/ensurepip module"

want="$(sha256sum "$requirements" | cut -d' ' -f1) python$version"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$venv/bin/python" ]; then
    exit 0
fi

echo "interop/ob2/setup.sh: installing the OB 2.0 validator into $venv…" >&2
rm -rf "$venv"
"$python" -m venv "$venv"
if ! "$venv/bin/python" -m pip install --quiet --no-deps --no-input -r "$requirements"; then
    echo "interop/ob2/setup.sh: ERROR: pip install failed into $venv" >&2
    exit 1
fi
"$venv/bin/python" -c 'import openbadges, openbadges_bakery; from jose import jws; from openbadges.verifier import verify' \
    || { echo "interop/ob2/setup.sh: ERROR: the installed validator does not import" >&2; exit 1; }
echo "$want" > "$stamp"
