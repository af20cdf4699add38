#!/usr/bin/env bash
# Regenerates the processor's metadata and telemetry code from metadata.yaml with mdatagen, as contrib
# components do: internal/metadata/generated_*.go, internal/metadatatest/, documentation.md and the
# generated_*_test.go files. mdatagen is built once into .cache/tools/ at the collector release that
# go.mod uses (go.opentelemetry.io/collector/processor/processorhelper's version).
#
# `go install go.opentelemetry.io/collector/cmd/mdatagen@vX` does not work with this module proxy (it
# asks for the module's version list, which the proxy does not serve), and mdatagen v0.161.0 requires
# go.opentelemetry.io/collector/internal/schemagen v0.161.0, which the proxy refuses (403). So mdatagen is
# built from a throw-away module that requires it at that release and replaces schemagen (used only to
# generate config schemas, which this processor does not) with the nearest served release.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
version=$(awk '$1 == "go.opentelemetry.io/collector/processor/processorhelper" { print $2 }' "$here/go.mod")
[ -n "$version" ] || { echo "generate.sh: no processorhelper version in go.mod" >&2; exit 1; }
schemagen=${LLMCOST_SCHEMAGEN_VERSION:-v0.159.0}
tools="$root/.cache/tools"
bin="$tools/mdatagen-$version"

if [ ! -x "$bin" ]; then
  work=$(mktemp -d)
  cat > "$work/go.mod" <<EOF
module mdatagen-tool

go 1.26.0

require go.opentelemetry.io/collector/cmd/mdatagen $version

replace go.opentelemetry.io/collector/internal/schemagen => go.opentelemetry.io/collector/internal/schemagen $schemagen
EOF
  mkdir -p "$tools"
  (cd "$work" && GOFLAGS=-mod=mod go build -o "$bin" go.opentelemetry.io/collector/cmd/mdatagen)
fi

# mdatagen names the package of the generated files after the directory (collector-processor is not a Go
# name): run it through a symlink named like the package.
link=$(mktemp -d)
trap 'rm -rf "$link" ${work:-}' EXIT
ln -s "$here" "$link/llmcostprocessor"
(cd "$link/llmcostprocessor" && "$bin" metadata.yaml)
cd "$here"
gofmt -w internal/metadata internal/metadatatest generated_*_test.go
echo "generate.sh: generated with mdatagen $version"
