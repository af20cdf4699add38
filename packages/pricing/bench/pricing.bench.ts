// Prints ns per pricing lookup (hot: model seen before; cold: first time), genai-prices' calcPrice for
// comparison, and the heap the price table takes. Run: npm run bench -w @otel-llm-cost/pricing
import { execFileSync } from 'node:child_process';
import { calcPrice } from '@pydantic/genai-prices';
import { createPricer } from '../src/index.js';

function nsPerOp(n: number, fn: (i: number) => void): number {
  for (let i = 0; i < Math.min(n, 10_000); i++) fn(i); // warm up
  const start = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  return Number(process.hrtime.bigint() - start) / n;
}

const usage = { inputTokens: 10_000, cacheReadTokens: 4000, outputTokens: 2000 };
const models = ['gpt-4o', 'gpt-4o-mini', 'o3', 'claude-sonnet-4-20250514', 'gemini-2.5-pro', 'deepseek-chat'];
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
const genai = nsPerOp(100_000, (i) => {
  const k = i % models.length;
  calcPrice({ input_tokens: 10_000, cache_read_tokens: 4000, output_tokens: 2000 }, models[k]!, {
    providerId: ['openai', 'openai', 'openai', 'anthropic', 'google', 'deepseek'][k],
  });
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
console.log(
  `price(), hot (model seen before)         ${f(hotPlain)}  (${(1e9 / hotPlain / 1e6).toFixed(2)} M calls/s)`,
);
console.log(`price(), hot, with cache reads (+savings) ${f(hot)}`);
console.log(`price(), hot, unknown model (memoized)   ${f(hotUnknown)}`);
console.log(`price(), cold (first lookup, by provider) ${f(cold)}`);
console.log(`price(), cold (model-based match)        ${f(coldModelMatch)}`);
console.log(`genai-prices calcPrice() per call        ${f(genai)}  (${(genai / hot).toFixed(0)}x the hot path)`);
console.log(`heap taken by the loaded price table     ${((loaded - base) / 1024 / 1024).toFixed(1).padStart(8)} MiB`);
