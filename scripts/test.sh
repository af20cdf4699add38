#!/usr/bin/env bash
# The README's test command. On a fresh machine it installs what the tests need (Node 22 under .tools/,
# npm packages, Prometheus + promtool, the collector built with ocb), then runs every check and test and
# ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
results="$root/.cache/test-results"
mkdir -p "$results"
rm -f "$results"/*

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
die() { echo "error: $*" >&2; exit 1; }

step "Node.js 22 (repository-local)"
source scripts/node-env.sh || die "could not set up Node.js 22"
node --version

# npm install, not npm ci: this registry serves no @biomejs/cli-* packages for other platforms, so npm
# writes a lock file without them and `npm ci` then refuses it as out of sync.
step "npm packages (npm install, from package-lock.json)"
npm install --no-audit --no-fund --loglevel=error || die "npm install failed"

step "Prometheus and promtool"
bash scripts/install-prometheus.sh || die "could not install Prometheus (apt-get install prometheus)"

step "OpenTelemetry Collector with the llmcost processor (ocb; cached)"
bash collector-config/build.sh || die "collector build failed"

step "build the packages"
npm run build --silent || die "build failed"

step "lint and format (biome)"
npx biome check . || die "biome found problems: run 'npx biome check --write .'"

step "typecheck"
npm run typecheck --silent || die "typecheck failed"

failed_steps=0

# Every copy of the telemetry contract (TS and Go tables, the traces-only collector config, the dashboards'
# metric names, the docs' tables) must be what packages/contract/telemetry.yaml generates.
step "telemetry contract: every generated copy matches packages/contract/telemetry.yaml"
node packages/contract/generate.mjs --check || failed_steps=$((failed_steps + 1))

# The bundled price data and the shared vectors must be what the recorded genai-prices release gives, and both
# pricers must agree with its reference implementation (calc_price) on the full differential. Python's venv and
# pip install that release into .cache/genai-prices-py/ (once).
step "price data and vectors: the recorded genai-prices release, through its reference implementation"
node packages/pricing/scripts/data.mjs --check || failed_steps=$((failed_steps + 1))

step "differential: every model x usage shapes x dates x contexts, reference vs the TypeScript pricer"
node packages/pricing/scripts/data.mjs --differential || failed_steps=$((failed_steps + 1))
export LLMCOST_DIFFERENTIAL="$root/.cache/differential.json"

step "Go: collector processor tests (incl. the shared pricing vectors and the built collector end to end)"
(cd packages/collector-processor && go vet -tags e2e ./... && go test -tags e2e -count=1 -json ./... > "$results/go.json")
go_rc=$?
node scripts/go-test-summary.mjs "$results/go.json" || true
[ $go_rc -eq 0 ] || failed_steps=$((failed_steps + 1))

step "TypeScript: unit, integration and end-to-end tests (vitest)"
npx vitest run --reporter=default --reporter=json --outputFile.json="$results/vitest.json"
vitest_rc=$?
[ $vitest_rc -eq 0 ] || failed_steps=$((failed_steps + 1))

step "Node.js 24: the pricing core and the Node package again (we support Node 22 and 24)"
(
  export LLMCOST_NODE_VERSION=24.21.0
  source scripts/node-env.sh && node --version &&
    npx vitest run --project pricing --project node --reporter=default --reporter=json \
      --outputFile.json="$results/vitest-node24.json"
)
[ $? -eq 0 ] || failed_steps=$((failed_steps + 1))

step "summary"
node scripts/test-summary.mjs "$results/go.json" "$results/vitest.json" "$results/vitest-node24.json"
summary_rc=$?
if [ $failed_steps -ne 0 ] || [ $summary_rc -ne 0 ]; then
  exit 1
fi
