// Reconciliation with the provider's bill, end to end with real parts: the sample app (init(), the real openai
// and @anthropic-ai/sdk clients) calls the provider simulator, its cost metrics go through the collector to a
// real Prometheus, and the simulator, as the provider's billing side, bills what it served with its own price
// list (hand-entered from the price pages, not our pricer). `llm-cost reconcile` must find no drift; then a
// hidden caller the app never saw, and a price change, must each be found and explained.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Report, reconcile, runReconcile } from '@otel-llm-cost/cli';
import { type DemoStack, drive, ROUTE_MODELS, startDemoStack, visits } from '@otel-llm-cost/demo';
import { committedRuleFiles } from '@otel-llm-cost/grafana-dashboards/rule-files';
import { instantQuery, waitFor } from '@otel-llm-cost/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const workdir = mkdtempSync(join(tmpdir(), 'llmcost-reconcile-'));
// The fine-tuned model is not in the price data: the app prices it from an overrides file, as a user would,
// at OpenAI's fine-tuned gpt-4o-mini price ($0.30 in / $0.15 cached / $1.20 out per 1M).
const overrides = join(workdir, 'prices.yaml');
writeFileSync(
  overrides,
  'models:\n  - model: ft:gpt-4o-mini:shop::review-triage\n    provider: openai\n' +
    '    prices: { input_mtok: 0.30, output_mtok: 1.20, cache_read_mtok: 0.15 }\n',
);
const env = { OPENAI_ADMIN_KEY: 'sk-admin-reconcile-test', ANTHROPIC_ADMIN_KEY: 'sk-ant-admin01-reconcile-test' };
const day = () => new Date().toISOString().slice(0, 10);

let stack: DemoStack;
let calls = 0;

async function report(provider: 'openai' | 'anthropic'): Promise<Report> {
  const d = day();
  return reconcile(
    { provider, from: d, to: d, prometheus: stack.prometheus.url, tolerancePct: 1, baseUrl: stack.simulator.url },
    { env },
  );
}

async function exitCode(
  provider: 'openai' | 'anthropic',
  extra: string[] = [],
): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runReconcile(
    ['--provider', provider, '--prometheus', stack.prometheus.url, '--base-url', stack.simulator.url, ...extra],
    { env, out: (t) => (out += `${t}\n`), err: (t) => (out += `${t}\n`) },
  );
  return { code, out };
}

beforeAll(async () => {
  stack = await startDemoStack({
    workdir,
    ruleFiles: committedRuleFiles(),
    env: { LLMCOST_PRICE_OVERRIDES: overrides },
  });
  const list = visits(2);
  await drive(stack.appUrl, list);
  calls = list.reduce((n, v) => n + ROUTE_MODELS[v.path]!.length, 0);
  await stack.waitForCalls(calls);
  // One more scrape after the last export, so that Prometheus holds the final counter values.
  await new Promise((r) => setTimeout(r, 2500));
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('llm-cost reconcile against the provider simulator', () => {
  it('OpenAI: every model of the day reconciles with the bill (drift 0.00% within rounding)', async () => {
    const r = await report('openai');
    const models = r.rows.map((row) => row.model).sort();
    expect(models).toEqual(
      ['ft:gpt-4o-mini:shop::review-triage', 'gpt-4o', 'gpt-4o-mini', 'gpt-6.1-sol', 'text-embedding-3-small'].sort(),
    );
    for (const row of r.rows) {
      expect(row.matched, row.model).toBe(true);
      expect(row.billedUsd, row.model).toBeGreaterThan(0);
      expect(Math.abs(row.diffUsd), row.model).toBeLessThan(1e-9);
      expect(row.billedTokens, row.model).toEqual(row.oursTokens);
      expect(row.cause, row.model).toBeNull();
    }
    expect(r.ok).toBe(true);
    expect((await exitCode('openai')).code).toBe(0);
  });

  it('Anthropic: the day reconciles too', async () => {
    const r = await report('anthropic');
    expect(r.rows.map((row) => row.model)).toEqual(['claude-sonnet-5-5']);
    const [row] = r.rows;
    // Claude Sonnet 5.5 at $2 in / $0.10 cache read / $10 out per 1M, 100 uncached + 1400 cached in, 350 out.
    const perCall = (100 * 2 + 1400 * 0.1 + 350 * 10) / 1e6;
    const claudeCalls = stack.simulator.billing.entries.filter((e) => e.provider === 'anthropic').length;
    expect(row!.billedUsd).toBeCloseTo(perCall * claudeCalls, 10);
    expect(Math.abs(row!.diffUsd)).toBeLessThan(1e-9);
    expect(r.ok).toBe(true);
  });

  it('a hidden caller (billed, never instrumented) is found on the right day and model, with its cause', async () => {
    // 200,000 input and 20,000 output tokens of claude-sonnet-5-5 that no instrumented process made:
    // 0.2 x $2 + 0.02 x $10 = $0.60.
    stack.simulator.billing.add({
      provider: 'anthropic',
      model: 'claude-sonnet-5-5',
      usage: { inputTokens: 200_000, outputTokens: 20_000 },
    });
    const r = await report('anthropic');
    const row = r.rows.find((x) => x.model === 'claude-sonnet-5-5')!;
    expect(row.day).toBe(day());
    expect(row.diffUsd).toBeCloseTo(-0.6, 9);
    expect(row.billedTokens.input - row.oursTokens.input).toBe(200_000);
    expect(row.billedTokens.output - row.oursTokens.output).toBe(20_000);
    expect(row.cause).toBe('uninstrumented');
    expect(r.ok).toBe(false);
    // The nightly job fails on it, and says why.
    const { code, out } = await exitCode('anthropic');
    expect(code).toBe(1);
    expect(out).toMatch(/claude-sonnet-5-5.*uninstrumented/);
  });

  it("--otlp sends the day's drift to the collector; the committed LLMCostReconciliationDrift alert fires on it", async () => {
    const r = await report('anthropic');
    const d = r.days.find((x) => x.day === day())!;
    const { code, out } = await exitCode('anthropic', ['--otlp', stack.collector.otlpUrl]);
    expect(code, out).toBe(1);
    expect(out).toMatch(/sent the drift of 1 day/);
    // (ours - billed) / billed, with billed = the served calls + the hidden caller's $0.60.
    const want = d.diffUsd / d.billedUsd;
    expect(want).toBeLessThan(-0.01);
    const series = await waitFor('the drift in Prometheus', async () => {
      const got = await instantQuery(stack.prometheus.url, 'llmcost_reconciliation_drift_ratio', Date.now() / 1000);
      return got.length ? got : undefined;
    });
    expect(series).toHaveLength(1);
    expect(series[0]!.metric).toMatchObject({
      job: 'llm-cost-reconcile',
      gen_ai_provider_name: 'anthropic',
      llmcost_reconciliation_day: day(),
    });
    expect(Number(series[0]!.value![1])).toBeCloseTo(want, 9);
    const firing = await waitFor('LLMCostReconciliationDrift to fire', async () => {
      const res = await fetch(`${stack.prometheus.url}/api/v1/alerts`);
      const body = (await res.json()) as { data: { alerts: { labels: Record<string, string>; state: string }[] } };
      const alert = body.data.alerts.find((a) => a.labels.alertname === 'LLMCostReconciliationDrift');
      return alert?.state === 'firing' ? alert : undefined;
    });
    expect(firing.labels).toMatchObject({ gen_ai_provider_name: 'anthropic', llmcost_reconciliation_day: day() });
  });

  it('a price change the price data does not know is a price mismatch on the same tokens', async () => {
    // From now on the provider bills gpt-4o-mini at $0.30 / $0.15 cached / $1.20 out instead of $0.15 / $0.075 /
    // $0.60: the calls made after it cost twice what our price data says.
    stack.simulator.billing.setPrice({
      provider: 'openai',
      model: 'gpt-4o-mini',
      price: { input: 0.3, cachedInput: 0.15, output: 1.2 },
      from: Date.now(),
    });
    const before = (await report('openai')).rows.find((x) => x.model === 'gpt-4o-mini')!;
    const list = visits(1).filter((v) => ROUTE_MODELS[v.path]!.includes('gpt-4o-mini') && !v.fails);
    await drive(stack.appUrl, list);
    calls += list.reduce((n, v) => n + ROUTE_MODELS[v.path]!.length, 0);
    await stack.waitForCalls(calls);
    await new Promise((r) => setTimeout(r, 2500));
    const after = (await report('openai')).rows.find((x) => x.model === 'gpt-4o-mini')!;
    const newCalls = list.filter((v) => ROUTE_MODELS[v.path]!.includes('gpt-4o-mini')).length;
    // Each new call: 170 uncached + 1280 cached in, 180 out; billed at the new price, ours at the data's.
    const oursPerCall = (170 * 0.15 + 1280 * 0.075 + 180 * 0.6) / 1e6;
    expect(after.oursUsd - before.oursUsd).toBeCloseTo(oursPerCall * newCalls, 10);
    expect(after.billedUsd - before.billedUsd).toBeCloseTo(2 * oursPerCall * newCalls, 10);
    expect(after.billedTokens).toEqual(after.oursTokens);
    expect(after.cause).toBe('price_mismatch');
  });

  it('a standard key where an admin key is needed is a clear error (exit 2), sent nowhere', async () => {
    let out = '';
    const code = await runReconcile(
      ['--provider', 'openai', '--prometheus', stack.prometheus.url, '--base-url', stack.simulator.url],
      { env: { OPENAI_ADMIN_KEY: 'sk-proj-abc' }, out: (t) => (out += t), err: (t) => (out += t) },
    );
    expect(code).toBe(2);
    expect(out).toMatch(/OPENAI_ADMIN_KEY/);
    expect(out).toMatch(/admin key/);
  });
});
