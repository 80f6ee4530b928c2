#!/usr/bin/env bash
# Sourced by scripts/setup.sh (both README commands and CI): puts Node 24 LTS first on PATH.
# A machine whose own Node is 24+ keeps it. Otherwise the official Node 24 binary (with its headers, which the
# tfjs-node addon build needs) comes from the npm registry's `node-linux-<arch>` package: pinned, its sha512
# checked, unpacked once under ~/.cache/vigil/node/<version>. npm has no Node of its own: the machine's npm runs
# on whichever `node` is first on PATH, so everything after this line (npm ci, tsx, vitest, the services) runs on 24.
VIGIL_NODE_VERSION=24.22.3
declare -A VIGIL_NODE_SHA512=(
  [x64]=KHsob+Fv9YerATvYujMbiyJqnRCvLtrcr/eTNqRqiOSGp97EOiRP1yP47+knGgQ/xnc3XY8xzkW587dlZzNqRA==
)
vigil_node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if (( vigil_node_major < 24 )); then
  case "$(uname -m)" in x86_64) vigil_arch=x64 ;; aarch64) vigil_arch=arm64 ;; *) vigil_arch=unknown ;; esac
  vigil_node_dir="${XDG_CACHE_HOME:-$HOME/.cache}/vigil/node/$VIGIL_NODE_VERSION-linux-$vigil_arch"
  if [[ ! -x "$vigil_node_dir/bin/node" ]]; then
    expected=${VIGIL_NODE_SHA512[$vigil_arch]:-}
    [[ -n $expected ]] || { echo "no pinned Node $VIGIL_NODE_VERSION for $(uname -m): install Node 24 yourself" >&2; return 1 2>/dev/null || exit 1; }
    echo "== Node $VIGIL_NODE_VERSION from the npm registry (node-linux-$vigil_arch, once per machine)"
    tmp=$(mktemp -d)
    (cd "$tmp" && npm pack "node-linux-$vigil_arch@$VIGIL_NODE_VERSION" --silent >/dev/null)
    tarball=$(ls "$tmp"/*.tgz)
    actual=$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)
    if [[ $actual != "$expected" ]]; then
      echo "node-linux-$vigil_arch@$VIGIL_NODE_VERSION: sha512 $actual, expected $expected" >&2; rm -rf "$tmp"
      return 1 2>/dev/null || exit 1
    fi
    mkdir -p "$vigil_node_dir.partial" && tar -xzf "$tarball" -C "$vigil_node_dir.partial" --strip-components=1
    rm -rf "$vigil_node_dir" && mv "$vigil_node_dir.partial" "$vigil_node_dir" && rm -rf "$tmp"
  fi
  export PATH="$vigil_node_dir/bin:$PATH"
fi
echo "== Node $(node -v) ($(command -v node))"
