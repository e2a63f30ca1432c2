#!/usr/bin/env bash
# Install the independent verifiers used by tests/interop: first the 1EdTech OB 2.0 validator (Python, its own
# venv interop/.venv-ob2: see ob2/setup.sh), then the browser for tests/pages/test_browser.py (Debian's chromium and
# playwright-core: see browser/setup.sh), then the Node.js verifiers (exact versions from package-lock.json).
# Idempotent: `npm ci` runs only when node_modules is missing or older than package.json/package-lock.json
# (a stamp file inside node_modules records their hash). Called by `make interop` (and so by `make test`).
# Without node/npm: a warning and exit 0, so the Python suite still runs (tests/interop then skip);
# with CI=true that is an error. A failing `npm ci` is always an error.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

# The OB 2.0 validator and the browser first: the Node.js part below may exit early (stamp, or no node without
# CI=true).
bash "$here/ob2/setup.sh"
bash "$here/browser/setup.sh"

stamp="node_modules/.savoirs-interop-stamp"

missing() {
    if [ "${CI:-}" = "true" ]; then
        echo "interop/setup.sh: ERROR: $1 (CI=true: the interop verifiers are required)" >&2
        exit 1
    fi
    echo "interop/setup.sh: WARNING: $1; the interop tests will be skipped" >&2
    exit 0
}

command -v node >/dev/null 2>&1 || missing "node is not installed (Node.js >= 20 needed)"
command -v npm >/dev/null 2>&1 || missing "npm is not installed"
major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$major" -lt 20 ]; then
    missing "Node.js $(node --version) is too old (>= 20 needed)"
fi

want="$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1) node$major"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    exit 0
fi

echo "interop/setup.sh: installing the Node.js verifiers (npm ci)…" >&2
# --ignore-scripts: every package here is plain JavaScript; none needs an install script.
if ! npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; then
    echo "interop/setup.sh: ERROR: npm ci failed in $here" >&2
    exit 1
fi
node -e 'import("@digitalbazaar/vc").then(() => import("@digitalcredentials/verifier-core")).then(() => import("jose"))' \
    || { echo "interop/setup.sh: ERROR: the installed verifiers do not load" >&2; exit 1; }
echo "$want" > "$stamp"
