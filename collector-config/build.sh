#!/usr/bin/env bash
# Builds the otelcol-llmcost distribution (manifest.yaml) with ocb from the Go module proxy.
# Output: .cache/collector/otelcol-llmcost (repo root). Rebuilds only when the manifest or the
# processor sources change (sha256 of both, stored beside the binary). Go modules and the Go build
# cache stay in their usual places (go env GOMODCACHE / GOCACHE): cache those in CI.
#
# Usage: bash collector-config/build.sh [--force]
set -euo pipefail

OCB_VERSION=v0.161.0
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/.." && pwd)"
out="$repo/.cache/collector"
bin="$out/otelcol-llmcost"
stamp="$out/otelcol-llmcost.sha256"
force=0
[ "${1:-}" = "--force" ] && force=1

command -v go >/dev/null || { echo "error: go not found on PATH; install Go >= 1.26 (https://go.dev/dl/; collector v0.161.0 requires it)" >&2; exit 1; }

hash_inputs() {
  (
    cd "$repo"
    sha256sum collector-config/manifest.yaml
    echo "ocb $OCB_VERSION $(go env GOVERSION)"
    find packages/collector-processor -type f \( -name '*.go' -o -name 'go.mod' -o -name 'go.sum' -o -name '*.json' \) \
      ! -name '*_test.go' ! -path '*/testdata/*' | LC_ALL=C sort | xargs sha256sum
  ) | sha256sum | cut -d' ' -f1
}

want="$(hash_inputs)"
if [ "$force" = 0 ] && [ -x "$bin" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "==> otelcol-llmcost is up to date ($bin)"
  exit 0
fi

gobin="$(go env GOPATH)/bin"
ocb="$gobin/builder"
if [ ! -x "$ocb" ] || ! "$ocb" version 2>&1 | grep -q "${OCB_VERSION#v}"; then
  echo "==> installing ocb $OCB_VERSION (go install go.opentelemetry.io/collector/cmd/builder@$OCB_VERSION)"
  go install "go.opentelemetry.io/collector/cmd/builder@$OCB_VERSION"
fi

mkdir -p "$out"
start=$(date +%s)
echo "==> building otelcol-llmcost with ocb $OCB_VERSION (cold builds take several minutes)"
(cd "$here" && "$ocb" --config manifest.yaml)
cp "$out/src/otelcol-llmcost" "$bin.tmp" && mv "$bin.tmp" "$bin"
echo "$want" > "$stamp"
echo "==> built $bin in $(( $(date +%s) - start ))s"
