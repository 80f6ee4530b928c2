#!/usr/bin/env bash
# The main job on a fresh machine: installs, starts the servers, runs the pipeline. README: `npm start`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
echo "== smoke run"
npx tsx scripts/smoke.ts
