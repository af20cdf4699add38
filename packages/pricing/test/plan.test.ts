/**
 * The compiled fast path must give exactly what genai-prices' own calcPrice gives, for every model of the
 * bundled data, at several dates, for every usage shape we produce.
 */
import { calcPrice, type Provider } from '@pydantic/genai-prices';
import { describe, expect, it } from 'vitest';
import data from '../data/genai-prices.json' with { type: 'json' };
import { compilePlan, runPlan } from '../src/plan.js';
import { pricesAt, toGenaiUsage } from '../src/pricer.js';
import type { TokenUsage } from '../src/types.js';

const USAGES: TokenUsage[] = [
  { inputTokens: 1234, outputTokens: 0 },
  { inputTokens: 10_000, cacheReadTokens: 4000, outputTokens: 2000 },
  {
    inputTokens: 30_500,
    cacheReadTokens: 20_000,
    cacheWriteTokens: 10_000,
    cacheWrite1hTokens: 4000,
    outputTokens: 800,
  },
  { inputTokens: 250_000, cacheReadTokens: 50_000, outputTokens: 7000, reasoningTokens: 5000 },
  { inputTokens: 3, cacheWriteTokens: 2, outputTokens: 1_000_001, reasoningTokens: 1_000_000 },
];
const TIMES = ['2025-01-15T03:00:00Z', '2026-11-20T10:00:00Z', '2026-11-20T20:00:00Z', '2027-06-01T12:00:00Z'].map(
  (t) => new Date(t),
);

type Model = { id: string; prices: Parameters<typeof pricesAt>[0] };
const models = (
  data.providers as unknown as { id: string; name: string; api_pattern: string; models: Model[] }[]
).flatMap((p) => p.models.map((m) => ({ provider: p, model: m })));

describe('compiled plan vs genai-prices calcPrice', () => {
  it(`covers all ${models.length} models of the data`, () => {
    expect(models.length).toBeGreaterThan(1500);
  });

  it('is identical to the bit for every model, usage shape and date', () => {
    let compared = 0;
    for (const { provider, model } of models) {
      const single = { ...provider, models: [model] } as unknown as Provider;
      for (const time of TIMES) {
        const plan = compilePlan(pricesAt(model.prices, time));
        for (const usage of USAGES) {
          const genai = toGenaiUsage(usage);
          let expected: { input: number; output: number; total: number } | string;
          try {
            const r = calcPrice(genai, model.id, { provider: single, timestamp: time });
            expected = r ? { input: r.input_price, output: r.output_price, total: r.total_price } : 'no match';
          } catch (err) {
            expected = `error: ${(err as Error).message}`;
          }
          if (typeof expected === 'string') {
            // The package refuses some usage for some price shapes; so must we.
            if (expected === 'no match') continue;
            expect(() => runPlan(plan, genai), `${provider.id}/${model.id} ${expected}`).toThrow();
            continue;
          }
          expect(runPlan(plan, genai), `${provider.id}/${model.id} at ${time.toISOString()}`).toEqual(expected);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(25_000);
  });
});
