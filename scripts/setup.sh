#!/usr/bin/env bash
# Shared set-up of both README commands: dependencies and the local servers. Idempotent and cached:
# node_modules is reused when package-lock.json has not changed; downloads live in ~/.cache/vigil.
set -euo pipefail
stamp=node_modules/.vigil-lock-hash
hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f $stamp || "$(cat "$stamp")" != "$hash" ]]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund
  echo "$hash" > "$stamp"
fi
echo "== infra up (Kafka, schema registry, ClickHouse on loopback)"
npm run -s infra -- up
