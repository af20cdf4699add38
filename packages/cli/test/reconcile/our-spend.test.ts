import { afterEach, describe, expect, it } from 'vitest';
import { lastValuePromQL, ourSpend } from '../../src/reconcile/our-spend.js';
import { fakePrometheus, type Series } from './fake-prometheus.js';
import { startServer } from './server.js';

const D1 = Date.parse('2026-11-29T00:00:00Z') / 1000;
const D2 = D1 + 86400;
const D3 = D2 + 86400;
const H = 3600;
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

const base = { gen_ai_provider_name: 'openai', gen_ai_operation_name: 'chat', job: 'api' };
const cost = (model: string, extra: Record<string, string>, samples: Array<[number, number]>): Series => ({
  metric: {
    __name__: 'llmcost_cost_USD_total',
    ...base,
    gen_ai_request_model: model,
    llmcost_cost_source: 'pricing_data',
    ...extra,
  },
  samples,
});

describe('our spend from Prometheus', () => {
  it('asks for each series last sample, per boundary, with the contract names', () => {
    expect(lastValuePromQL('llmcost_cost_USD_total', 'anthropic', 86400)).toBe(
      'last_over_time(llmcost_cost_USD_total{gen_ai_provider_name="anthropic"}[86400s])',
    );
  });

  it('takes, per series, the last sample of the day minus the last before it (0 for a new series; the end value after a reset)', async () => {
    const series: Series[] = [
      // runs through both days: 1.0 before D1, 3.5 at the end of D1, 4.0 at the end of D2
      cost('gpt-4o', { app_feature: 'chat' }, [
        [D1 - 60, 1.0],
        [D1 + 6 * H, 2.0],
        [D2 - 15, 3.5],
        [D2 + H, 3.6],
        [D3 - 15, 4.0],
      ]),
      // starts inside D1 (counts from 0), stops before D2
      cost('gpt-4o', { app_feature: 'search' }, [
        [D1 + 12 * H, 0.2],
        [D1 + 13 * H, 0.7],
      ]),
      // restarts inside D2: the end value is below the start value
      cost('gpt-4o-mini', { job: 'worker' }, [
        [D2 - 30, 5.0],
        [D2 + 2 * H, 0.1],
        [D2 + 20 * H, 1.2],
      ]),
      // another provider: never read
      {
        ...cost('claude-sonnet-4-5', {}, [[D1 + H, 9]]),
        metric: { ...cost('x', {}, []).metric, gen_ai_provider_name: 'anthropic' },
      },
      {
        metric: {
          __name__: 'llmcost_tokens_total',
          ...base,
          gen_ai_request_model: 'gpt-4o',
          llmcost_token_type: 'input',
        },
        samples: [
          [D1 - 60, 100],
          [D2 - 15, 1100],
          [D3 - 15, 1600],
        ],
      },
      {
        metric: {
          __name__: 'llmcost_tokens_total',
          ...base,
          gen_ai_request_model: 'gpt-4o',
          llmcost_token_type: 'cache_read',
        },
        samples: [[D2 - 15, 300]],
      },
      {
        metric: {
          __name__: 'llmcost_tokens_total',
          ...base,
          gen_ai_request_model: 'gpt-4o',
          llmcost_token_type: 'output',
        },
        samples: [
          [D1 - 60, 10],
          [D2 - 15, 60],
        ],
      },
      {
        metric: {
          __name__: 'llmcost_unpriced_requests_total',
          ...base,
          gen_ai_request_model: 'ft:gpt-4o:acme',
          llmcost_unpriced_reason: 'unknown_model',
        },
        samples: [[D1 + H, 3]],
      },
      {
        metric: { __name__: 'llmcost_request_cost_USD_count', ...base, gen_ai_request_model: 'gpt-4o' },
        samples: [
          [D1 - 60, 4],
          [D2 - 15, 9],
        ],
      },
    ];
    const prom = fakePrometheus(series);
    const s = await startServer((req) => prom(req) ?? { status: 404, body: {} });
    close = s.close;
    const rows = await ourSpend(s.url, 'openai', ['2026-11-29', '2026-11-30'], D3 + 10 * H);

    const at = (day: string, model: string) => rows.find((r) => r.day === day && r.model === model);
    expect(at('2026-11-29', 'gpt-4o')!.costUsd).toBeCloseTo(2.5 + 0.7, 10);
    expect(at('2026-11-29', 'gpt-4o')).toMatchObject({
      tokens: { input: 1000, output: 50, cacheRead: 300, cacheWrite: 0 },
      requests: 5,
      unpriced: 0,
    });
    expect(at('2026-11-30', 'gpt-4o')!.costUsd).toBeCloseTo(0.5, 10);
    expect(at('2026-11-30', 'gpt-4o')!.tokens.input).toBe(500);
    expect(at('2026-11-30', 'gpt-4o-mini')!.costUsd).toBeCloseTo(1.2, 10);
    expect(at('2026-11-29', 'ft:gpt-4o:acme')).toMatchObject({ costUsd: 0, unpriced: 3, requests: 3 });
    expect(rows.some((r) => r.model.startsWith('claude'))).toBe(false);
    expect(at('2026-11-29', 'gpt-4o-mini')!.costUsd).toBe(5); // began inside D1
    expect(rows).toHaveLength(5);
    // three boundaries per metric: the start of each day and the end of the last
    const times = [...new Set(s.seen.map((r) => r.query.get('time')))].sort();
    expect(times).toEqual([String(D1), String(D2), String(D3)]);
  });

  it('reads today up to now', async () => {
    const prom = fakePrometheus([
      cost('gpt-4o', {}, [
        [D1 - 60, 1],
        [D1 + H, 1.25],
        [D1 + 3 * H, 2],
      ]),
    ]);
    const s = await startServer((req) => prom(req) ?? { status: 404, body: {} });
    close = s.close;
    const rows = await ourSpend(s.url, 'openai', ['2026-11-29'], D1 + 2 * H);
    expect(rows).toEqual([
      {
        day: '2026-11-29',
        model: 'gpt-4o',
        costUsd: 0.25,
        tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
        requests: 0,
        unpriced: 0,
      },
    ]);
    expect(
      s.seen.some((r) => r.query.get('time') === String(D1 + 2 * H) && r.query.get('query')!.endsWith('[7200s])')),
    ).toBe(true);
  });

  it('says when Prometheus is down, and how to point at it', async () => {
    await expect(ourSpend('http://127.0.0.1:1', 'openai', ['2026-11-29'], D2)).rejects.toThrow(
      /cannot reach Prometheus at http:\/\/127\.0\.0\.1:1 .*\n {2}fix: start Prometheus or pass --prometheus URL/s,
    );
  });
});
