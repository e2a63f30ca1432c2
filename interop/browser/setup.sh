#!/usr/bin/env bash
# Install what tests/pages/test_browser.py needs: Debian's Chromium at /usr/bin/chromium (apt-get, as root; with
# poppler-utils, whose pdftoppm renders the holders' PDF certificates in tests/holders), and
# playwright-core, the exact version in package-lock.json, in interop/browser/node_modules (npm ci; it downloads
# no browser). Idempotent: apt-get runs only when /usr/bin/chromium is missing, npm ci only when node_modules does
# not match package.json/package-lock.json (a stamp file). Called by interop/setup.sh.
# A missing piece is a warning and exit 0 (the browser test then skips); with CI=true it is an error.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

problem() {
    if [ "${CI:-}" = "true" ]; then
        echo "interop/browser/setup.sh: ERROR: $1 (CI=true: the browser test is required)" >&2
        exit 1
    fi
    echo "interop/browser/setup.sh: WARNING: $1; the browser test will be skipped" >&2
    exit 0
}

install_chromium() {
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium poppler-utils >&2
}

if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/pdftoppm ]; then
    if [ "$(id -u)" != "0" ] || ! command -v apt-get >/dev/null 2>&1; then
        problem "/usr/bin/chromium is missing (install the Debian package chromium as root)"
    fi
    echo "interop/browser/setup.sh: installing Debian's chromium (apt-get)…" >&2
    # The package lists may be missing or stale on a new machine: update them once, then try again.
    install_chromium || { apt-get update -q >&2 && install_chromium; } || problem "apt-get could not install chromium"
fi
/usr/bin/chromium --version >/dev/null 2>&1 || problem "/usr/bin/chromium does not run"
/usr/bin/pdftoppm -v >/dev/null 2>&1 || problem "/usr/bin/pdftoppm (poppler-utils) does not run"

command -v node >/dev/null 2>&1 || problem "node is not installed (Node.js >= 20 needed)"
command -v npm >/dev/null 2>&1 || problem "npm is not installed"
major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$major" -lt 20 ]; then
    problem "Node.js $(node --version) is too old (>= 20 needed)"
fi

stamp="node_modules/.savoirs-browser-stamp"
want="$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1) node$major"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    exit 0
fi
echo "interop/browser/setup.sh: installing playwright-core (npm ci)…" >&2
if ! npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; then
    echo "interop/browser/setup.sh: ERROR: npm ci failed in $here" >&2
    exit 1
fi
node -e 'import("playwright-core").then((m) => { if (!m.chromium) process.exit(1); })' \
    || { echo "interop/browser/setup.sh: ERROR: playwright-core does not load" >&2; exit 1; }
echo "$want" > "$stamp"
