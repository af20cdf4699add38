// Prints ns per pricing lookup (hot: model seen before; cold: first time), with and without a price variant,
// the one-time load of the bundled document, and the heap the price table takes.
// Run: npm run bench -w @otel-llm-cost/pricing
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const loadStart = performance.now();
const { createPricer, PRICE_DATA_VERSION } = await import('../src/index.js');
createPricer().price({ provider: 'openai', model: 'gpt-4o', usage: { inputTokens: 1, outputTokens: 1 } });
const firstLoadMs = performance.now() - loadStart;

function nsPerOp(n: number, fn: (i: number) => void): number {
  for (let i = 0; i < Math.min(n, 10_000); i++) fn(i); // warm up
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  return Number(process.hrtime.bigint() - start) / n;
}

const usage = { inputTokens: 10_000, cacheReadTokens: 4000, outputTokens: 2000 };
const models = ['gpt-6.1-sol', 'gpt-4o-mini', 'o3', 'claude-sonnet-5-5', 'gemini-4-argon', 'deepseek-chat'];
const providers = ['openai', 'openai', 'openai', 'anthropic', 'gcp.gemini', 'deepseek'];
const pricer = createPricer();
const time = new Date();

const hot = nsPerOp(2_000_000, (i) => {
  const k = i % models.length;
  pricer.price({ provider: providers[k], model: models[k], usage, time });
});
const plainUsage = { inputTokens: 1234, outputTokens: 567 };
const hotPlain = nsPerOp(2_000_000, (i) => {
  const k = i % models.length;
  pricer.price({ provider: providers[k], model: models[k], usage: plainUsage, time });
});
const priority = { service_tier: 'priority' };
const hotVariant = nsPerOp(2_000_000, () => {
  pricer.price({ provider: 'openai', model: 'gpt-5.5', usage: plainUsage, time, context: priority });
});
const hotUnknown = nsPerOp(1_000_000, () => {
  pricer.price({ provider: 'openai', model: 'no-such-model', usage, time });
});
const cold = nsPerOp(3000, (i) => {
  const k = i % models.length;
  createPricer().price({ provider: providers[k], model: models[k], usage, time });
});
const coldModelMatch = nsPerOp(3000, () => {
  createPricer().price({ model: 'zai-org/GLM-4.5', usage, time });
});
const coldLast = nsPerOp(3000, () => {
  // the last provider's last model: the longest scan of the table
  createPricer().price({ provider: 'zhipuai', model: 'no-such-glm', usage, time });
});

// Heap of the loaded table, in a fresh process: after import and one price() vs an empty baseline.
const heap = (code: string) =>
  Number(
    execFileSync(
      process.execPath,
      [
        '--expose-gc',
        '--import',
        'tsx',
        '--input-type=module',
        '-e',
        `${code}; globalThis.gc(); globalThis.gc(); console.log(process.memoryUsage().heapUsed)`,
      ],
      { encoding: 'utf8', cwd: import.meta.dirname },
    ),
  );
const base = heap("await import('node:fs')");
const loaded = heap(
  "const p = await import('../src/index.ts'); globalThis.keep = p.createPricer(); globalThis.keep.price({provider:'openai',model:'gpt-4o',usage:{inputTokens:1,outputTokens:1}})",
);

const f = (ns: number) => `${ns.toFixed(0).padStart(8)} ns`;
console.log(`machine: ${process.version} ${process.arch}, ${(await import('node:os')).cpus()[0]?.model}`);
console.log(`price data: ${PRICE_DATA_VERSION}`);
console.log(`first load (import + parse the bundled document) ${firstLoadMs.toFixed(1).padStart(6)} ms`);
console.log(
  `price(), hot (model seen before)         ${f(hotPlain)}  (${(1e9 / hotPlain / 1e6).toFixed(2)} M calls/s)`,
);
console.log(`price(), hot, with cache reads (+savings) ${f(hot)}`);
console.log(`price(), hot, unknown model (memoized)   ${f(hotUnknown)}`);
console.log(`price(), cold (first lookup, by provider) ${f(cold)}`);
console.log(`price(), hot, served tier priority       ${f(hotVariant)}`);
console.log(`price(), cold (model-based match)        ${f(coldModelMatch)}`);
console.log(`price(), cold (unknown, whole provider)  ${f(coldLast)}`);
console.log(`heap taken by the loaded price table     ${((loaded - base) / 1024 / 1024).toFixed(1).padStart(8)} MiB`);
