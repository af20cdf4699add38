// Writes the price data bundled in the pinned @pydantic/genai-prices package out as plain JSON, so that
// code in other languages (the Go collector processor) prices from exactly the same data.
//
// The package keeps its data in two module-level literals (providers, units) that it does not export.
// We evaluate just those literals in an empty VM context (no code of the package runs), then prove the
// copy is faithful: every provider must deep-equal what the package's own findProvider() returns.
//
// It also copies data/provider-aliases.json beside the Go copy.
//
// Usage: node scripts/extract-data.mjs [--check]   (--check fails when the committed files differ)
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import vm from 'node:vm';
import { findProvider } from '@pydantic/genai-prices';

const here = dirname(fileURLToPath(import.meta.url));
const repo = join(here, '..', '..', '..');
const require = createRequire(import.meta.url);
// The package exports no ./package.json; its CommonJS entry is dist/index.cjs, beside dist/index.js.
const distDir = dirname(require.resolve('@pydantic/genai-prices'));
const { version } = JSON.parse(readFileSync(join(distDir, '..', 'package.json'), 'utf8'));
const source = readFileSync(join(distDir, 'index.js'), 'utf8');

const head = /^const (\w+) = \[/.exec(source);
const end = source.indexOf('\nclass ');
const mid = /\n\], (\w+) = \{\n/.exec(source);
if (!head || !mid || end < 0 || mid.index > end) {
  throw new Error(
    `@pydantic/genai-prices@${version}: the data literals were not found where expected; ` +
      'update scripts/extract-data.mjs for this version of the package',
  );
}
const literals = source.slice(0, end);
const [providers, units] = vm.runInNewContext(`${literals}\n;[${head[1]}, ${mid[1]}]`, Object.create(null));

for (const provider of providers) {
  const fromPackage = findProvider({ providerId: provider.id });
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(fromPackage)), JSON.parse(JSON.stringify(provider)))) {
    throw new Error(`extracted provider ${provider.id} differs from the package's own data`);
  }
}

const out = `${JSON.stringify({ source: `@pydantic/genai-prices@${version}`, units, providers }, null, 1)}\n`;
const goData = join(repo, 'packages', 'collector-processor', 'internal', 'pricing', 'data');
const aliases = readFileSync(join(here, '..', 'data', 'provider-aliases.json'), 'utf8');
const targets = [
  [join(repo, 'packages', 'pricing', 'data', 'genai-prices.json'), out],
  // The unit table alone, for the TypeScript fast path (the package keeps it private).
  [
    join(repo, 'packages', 'pricing', 'data', 'units.json'),
    `${JSON.stringify({ source: `@pydantic/genai-prices@${version}`, units }, null, 1)}\n`,
  ],
  [join(goData, 'genai-prices.json'), out],
  [join(goData, 'provider-aliases.json'), aliases],
];
const check = process.argv.includes('--check');
let stale = 0;
for (const [target, out] of targets) {
  let current = null;
  try {
    current = readFileSync(target, 'utf8');
  } catch {}
  if (current === out) continue;
  if (check) {
    console.error(
      `stale: ${target} does not match @pydantic/genai-prices@${version}; run: npm run data -w @otel-llm-cost/pricing`,
    );
    stale++;
  } else {
    writeFileSync(target, out);
    console.log(`wrote ${target}`);
  }
}
const models = providers.reduce((n, p) => n + p.models.length, 0);
console.log(
  `genai-prices@${version}: ${providers.length} providers, ${models} models, ${Object.keys(units).length} units`,
);
if (stale) process.exit(1);
