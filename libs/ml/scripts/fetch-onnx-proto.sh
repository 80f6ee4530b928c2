#!/usr/bin/env bash
# Refreshes libs/ml/src/onnx/onnx.proto, the official ONNX IR schema (Apache-2.0), from the `onnx` wheel on
# PyPI. The file is vendored (committed) so installs never need this; run it only to move to a newer ONNX.
# Usage: bash libs/ml/scripts/fetch-onnx-proto.sh [version]   (default 1.17.0, IR version 10)
set -euo pipefail
version=${1:-1.17.0}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m pip download --no-deps --only-binary=:all: --disable-pip-version-check -q \
  --platform manylinux2014_x86_64 --python-version 3.11 --implementation cp --abi cp311 -d "$work" "onnx==$version"
python3 - "$work" "$(dirname "$0")/../src/onnx/onnx.proto" <<'PY'
import glob, sys, zipfile
wheel = glob.glob(sys.argv[1] + '/onnx-*.whl')[0]
with zipfile.ZipFile(wheel) as z, open(sys.argv[2], 'wb') as out:
    out.write(z.read('onnx/onnx.proto'))
PY
sha256sum "$(dirname "$0")/../src/onnx/onnx.proto"
