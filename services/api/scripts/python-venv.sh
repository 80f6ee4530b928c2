#!/usr/bin/env bash
# The Python tools the API's contract checks use, in a venv cached under ~/.cache/vigil (created once):
# confluent-kafka with its schema-registry Avro deserializer (the downstream-client test) and schemathesis
# (the OpenAPI fuzz run). Prints the venv's python.
#
#   PY=$(bash services/api/scripts/python-venv.sh)
set -euo pipefail
VENV="${VIGIL_API_VENV:-$HOME/.cache/vigil/venv-api}"
STAMP="$VENV/.vigil-requirements-v1"
if [[ ! -f "$STAMP" ]]; then
  python3 -m venv "$VENV" >&2
  "$VENV/bin/pip" install --quiet --disable-pip-version-check 'confluent-kafka[avro,schemaregistry]==2.12.*' 'schemathesis==4.*' >&2
  touch "$STAMP"
fi
echo "$VENV/bin/python"
