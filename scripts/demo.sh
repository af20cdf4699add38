#!/usr/bin/env bash
# The README's demo command: builds what is needed, then runs packages/demo/src/run.ts (collector, Prometheus,
# the LLM simulator and a sample Express app on loopback; prints spend by feature, customer, team and model).
set -euo pipefail
cd "$(dirname "$0")/.."
step() { printf '\033[1m==>\033[0m %s\n' "$*"; }

step "Node.js 22 (repository-local, under .tools/)"
source scripts/node-env.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  step "installing npm packages"
  npm install --no-audit --no-fund --loglevel=error  # not npm ci: see scripts/test.sh
fi
step "Prometheus (Debian package, once)"
bash scripts/install-prometheus.sh
step "the collector (built once with ocb, then cached)"
bash collector-config/build.sh
step "building the packages"
npm run build --silent
exec npx tsx packages/demo/src/run.ts
