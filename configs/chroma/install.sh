#!/usr/bin/env bash
# Installs the pinned Chroma server into configs/chroma/node_modules (idempotent).
# The native binding is pinned to 1.0.5 in package.json: newer ones need glibc 2.38 (Debian 12 has 2.36).
set -euo pipefail
cd "$(dirname "$0")"
command -v npm >/dev/null || { echo "install.sh: npm is required (apt-get install nodejs npm)" >&2; exit 1; }
if [ -x node_modules/.bin/chroma ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
test -x node_modules/.bin/chroma || { echo "install.sh: chroma binary missing after npm ci" >&2; exit 1; }
