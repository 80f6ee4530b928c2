#!/usr/bin/env bash
# The whole test suite on a fresh machine: installs, provisions the real servers, checks, tests.
# README: `npm run test:all`. CI (.ci/run) calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
echo "== contracts: generated types match schemas/avro"; npm run -s codegen -- --check
echo "== format (prettier)"; npm run -s format:check
echo "== lint";          npm run -s lint
echo "== layering";      npm run -s lint:layers
echo "== typecheck";     npm run -s typecheck && npm run -s typecheck -w @vigil/web
echo "== type coverage"; npm run -s typecheck:coverage
echo "== tests (unit + integration against the real servers), with line and branch coverage"
npx vitest run --coverage
