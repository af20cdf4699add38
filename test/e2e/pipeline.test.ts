// The whole product, end to end, with real parts only: the sample Express app (packages/demo/app) with
// init() calls the real openai and @anthropic-ai/sdk clients against the local provider simulator; its spans
// and metrics go over OTLP/HTTP to the collector built with ocb (pipeline a); Prometheus scrapes the
// collector's prometheus exporter; then the spans, the counters, every dashboard panel and the CLI are
// checked against costs computed here by hand from the providers' official prices.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spend } from '@otel-llm-cost/cli';
import { type DemoStack, drive, ROUTE_MODELS, startDemoStack, type Visit, visits } from '@otel-llm-cost/demo';
import { type RunReport, runAllPanelQueries } from '@otel-llm-cost/grafana-dashboards/proof';
import { committedRuleFiles } from '@otel-llm-cost/grafana-dashboards/rule-files';
import { instantQuery, readSpans } from '@otel-llm-cost/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extrapolationFactor, rangeSpendExpectations } from './helpers/range-spend.ts';

// USD per call for the usage the simulator answers with (packages/demo/src/usage.ts), from official prices
// per 1M tokens: gpt-4o-mini $0.15 in / $0.075 cached / $0.60 out; text-embedding-3-small $0.02;
// gpt-4o served at the priority tier $4.25 / $17 (standard $2.50 / $10); gpt-6.1-sol $2 / $10 (reasoning is
// part of output); Claude Sonnet 5.5 $2 in / $0.10 cache read / $10 out (Anthropic's input_tokens excludes
// the cached part).
const COST_BY_HAND: Record<string, number | undefined> = {
  'gpt-4o-mini': (170 * 0.15 + 1280 * 0.075 + 180 * 0.6) / 1e6, // 0.0002295
  'text-embedding-3-small': (12 * 0.02) / 1e6, // 2.4e-7
  'gpt-4o': (620 * 4.25 + 240 * 17) / 1e6, // 0.006715, at priority
  'gpt-6.1-sol': (300 * 2 + 2600 * 10) / 1e6, // 0.0266
  'claude-sonnet-5-5': (100 * 2 + 1400 * 0.1 + 350 * 10) / 1e6, // 0.00384
  'ft:gpt-4o-mini:shop::review-triage': undefined, // not in the price data: unpriced
};
// What the cache reads saved against the uncached input price: cached tokens x (input - cache read price).
const SAVINGS_BY_HAND: Record<string, number> = {
  'gpt-4o-mini': (1280 * (0.15 - 0.075)) / 1e6, // 0.000096
  'claude-sonnet-5-5': (1400 * (2 - 0.1)) / 1e6, // 0.00266
};
const FEATURE: Record<string, string> = {
  '/api/support/chat': 'support-chat',
  '/api/search': 'semantic-search',
  '/api/research': 'research-agent',
  '/api/docs/summarize': 'doc-summary',
  '/api/moderate': 'moderation',
};

interface Call {
  /** The provider rejected it (HTTP 400): an error, no cost. */
  failed: boolean;
  model: string;
  route: string;
  feature: string;
  customer: string;
  team: string;
  user: string;
  cost?: number;
}

function callsOf(list: Visit[]): Call[] {
  return list.flatMap((v) =>
    ROUTE_MODELS[v.path]!.map((model) => ({
      failed: v.fails,
      model,
      route: v.path,
      feature: FEATURE[v.path]!,
      customer: v.headers['x-customer-id']!,
      team: v.headers['x-team']!,
      user: v.headers['x-user-id']!,
      cost: v.fails ? undefined : COST_BY_HAND[model],
    })),
  );
}

function sumBy(calls: Call[], key: (c: Call) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of calls) if (c.cost !== undefined) out[key(c)] = (out[key(c)] ?? 0) + c.cost;
  return out;
}
const answered = (list: Visit[]) => ({
  ok: list.filter((v) => !v.fails).length,
  failed: list.filter((v) => v.fails).length,
});
const total = (calls: Call[]) => calls.reduce((s, c) => s + (c.cost ?? 0), 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 + 1e-9 * Math.abs(b);

describe('end to end: app with init() -> collector -> Prometheus -> dashboards and CLI', () => {
  let stack: DemoStack;
  let warmup: Call[];
  let measured: Call[];
  let all: Call[];
  let start = 0;
  let end = 0;
  let report: RunReport;

  beforeAll(async () => {
    const workdir = mkdtempSync(join(tmpdir(), 'llmcost-e2e-'));
    stack = await startDemoStack({ workdir, ruleFiles: committedRuleFiles() });

    // Phase 1 creates every series (every customer calls every route): increase() cannot see a series'
    // first value, so the dashboards' range panels are checked on phase 2 only, over series that exist.
    const first = visits(6);
    warmup = callsOf(first);
    expect(await drive(stack.appUrl, first)).toEqual(answered(first));
    await stack.waitForCalls(warmup.length);
    await sleep(5000); // a flat stretch before phase 2
    // Three seconds into the flat stretch: the first sample in the window precedes phase 2 even if a scrape is missed.
    start = Math.floor(Date.now() / 1000) - 3;
    const second = visits(3);
    measured = callsOf(second);
    expect(await drive(stack.appUrl, second)).toEqual(answered(second));
    all = [...warmup, ...measured];
    await stack.waitForCalls(all.length);
    await sleep(8000); // a flat tail, so that increase() has nothing to extrapolate at the edges
    end = Math.floor(Date.now() / 1000);
    // increase() scales the growth it sees by Prometheus' extrapolation to the window's edges; with flat
    // edges the growth is exactly the phase-2 spend, so the panels must show that spend times this factor.
    const factor = await extrapolationFactor(stack.prometheus.url, end, end - start);
    report = await runAllPanelQueries(stack.prometheus.url, {
      start,
      time: end,
      rateInterval: '4s',
      expectations: rangeSpendExpectations(factor, {
        total: total(measured),
        byCustomer: sumBy(measured, (c) => c.customer),
        byModel: sumBy(measured, (c) => c.model),
      }),
    });
  }, 300_000);

  afterAll(async () => {
    await stack?.stop();
  });

  it('makes one span per LLM call, priced at the hand-computed price and attributed from the request span', () => {
    const llm = readSpans(stack.collector.tracesFile).filter((s) => s.attrs['gen_ai.request.model'] !== undefined);
    expect(llm).toHaveLength(all.length);
    expect(llm.filter((s) => s.attrs['error.type'] !== undefined)).toHaveLength(all.filter((c) => c.failed).length);
    for (const s of llm) {
      const model = s.attrs['gen_ai.request.model'] as string;
      const expected = COST_BY_HAND[model];
      if (s.attrs['error.type'] !== undefined) {
        expect(s.attrs, 'a rejected call costs nothing').not.toHaveProperty('gen_ai.usage.cost');
      } else if (expected === undefined) {
        expect(s.attrs, `${model} must be unpriced`).not.toHaveProperty('gen_ai.usage.cost');
        expect(s.attrs['llmcost.unpriced']).toBe(true);
      } else {
        expect(
          close(s.attrs['gen_ai.usage.cost'] as number, expected),
          `${model}: ${s.attrs['gen_ai.usage.cost']} vs ${expected}`,
        ).toBe(true);
        expect(s.attrs['llmcost.priced_by']).toBe('sdk');
        expect(s.attrs['llmcost.price_data.version']).toBe('genai-prices@0.2.3');
        if (model === 'gpt-4o') {
          expect(s.attrs['openai.response.service_tier']).toBe('priority');
          expect(s.attrs['llmcost.price.variant']).toBe('service_tier=priority');
        } else {
          expect(s.attrs).not.toHaveProperty('llmcost.price.variant');
        }
        const savings = SAVINGS_BY_HAND[model];
        if (savings === undefined) expect(s.attrs).not.toHaveProperty('llmcost.cost.cache_savings');
        else expect(close(s.attrs['llmcost.cost.cache_savings'] as number, savings), `${model} savings`).toBe(true);
      }
      for (const key of ['app.customer.id', 'app.team', 'app.feature', 'user.id', 'llmcost.route']) {
        expect(s.attrs[key], `${s.name} lacks ${key}`).toBeTypeOf('string');
      }
    }
  });

  it('counts exactly the known spend in Prometheus, by feature, customer, team and model', async () => {
    for (const [by, key] of [
      ['feature', (c: Call) => c.feature],
      ['customer', (c: Call) => c.customer],
      ['team', (c: Call) => c.team],
      ['model', (c: Call) => c.model],
      ['route', (c: Call) => c.route],
    ] as const) {
      const rows = await spend(stack.prometheus.url, { by, range: 'all' });
      const got = Object.fromEntries(rows.map((r) => [r.value, r.usd]));
      const want = sumBy(all, key);
      expect(Object.keys(got).sort(), by).toEqual(Object.keys(want).sort());
      for (const [k, v] of Object.entries(want)) expect(close(got[k]!, v), `${by}=${k}: ${got[k]} vs ${v}`).toBe(true);
    }
  });

  it('counts unpriced calls by model and never prices them at 0', async () => {
    const unpriced = all.filter((c) => c.cost === undefined && !c.failed).length;
    const now = Date.now() / 1000;
    const r = await instantQuery(
      stack.prometheus.url,
      'sum by (gen_ai_request_model) (llmcost_unpriced_requests_total)',
      now,
    );
    expect(r.map((s) => [s.metric.gen_ai_request_model, Number(s.value?.[1])])).toEqual([
      ['ft:gpt-4o-mini:shop::review-triage', unpriced],
    ]);
    expect(await instantQuery(stack.prometheus.url, 'llmcost_cost_USD_total{app_feature="moderation"}', now)).toEqual(
      [],
    );
  });

  it('every panel query of every dashboard returns data, and the range totals equal the phase-2 costs', () => {
    expect(report.results.length).toBeGreaterThan(30);
    expect(report.failures, report.failures.join('\n')).toEqual([]);
  });

  it('loads and evaluates every alert and recording rule on the real data without error', async () => {
    const res = await fetch(`${stack.prometheus.url}/api/v1/rules`);
    const body = (await res.json()) as {
      data: { groups: { rules: { name: string; health: string; lastError?: string }[] }[] };
    };
    const rules = body.data.groups.flatMap((g) => g.rules);
    expect(rules.length).toBeGreaterThan(20);
    expect(rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.lastError}`)).toEqual([]);
  });
});
