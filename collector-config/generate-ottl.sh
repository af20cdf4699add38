#!/usr/bin/env bash
# Prints a contrib `transform` processor config (OTTL) that prices the listed models, from the price data
# bundled with the llmcost processor, for a stock otelcol-contrib. Limits: see README.md#ottl-alternative.
#
# Usage: bash collector-config/generate-ottl.sh [-at YYYY-MM-DD] provider:model ... > llmcost-ottl.yaml
#   e.g. bash collector-config/generate-ottl.sh openai:gpt-4o openai:gpt-4o-mini anthropic:claude-sonnet-4-0
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
command -v go >/dev/null || { echo "error: go not found on PATH; install Go >= 1.25 (https://go.dev/dl/)" >&2; exit 1; }
cd "$here/../packages/collector-processor"
exec go run ./cmd/llmcost-ottl "$@"
