#!/usr/bin/env bash
# Installs the pinned official client libraries (openai, ollama) that model-service's compatibility suite
# (ClientCompatibilityIT) and agent-service's OpenAiCompatibleIT drive, into configs/compat-clients/node_modules (idempotent).
set -euo pipefail
cd "$(dirname "$0")"
command -v npm >/dev/null || { echo "install.sh: npm is required (apt-get install nodejs npm)" >&2; exit 1; }
if [ -d node_modules/openai ] && [ -d node_modules/ollama ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
  exit 0
fi
npm ci --no-audit --no-fund --loglevel=error
test -d node_modules/openai && test -d node_modules/ollama || { echo "install.sh: clients missing after npm ci" >&2; exit 1; }
