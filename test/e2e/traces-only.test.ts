// Pipeline (b), apps that send only traces (a Python service with OpenInference, say): the real collector
// (config.traces-only.yaml) prices the spans with the llmcost processor and derives the cost metrics from
// them with signal_to_metrics; Prometheus scrapes them; the dashboards' spend panels must show the costs
// computed here by hand, and a span our SDK already metered (llmcost.sdk.metrics) must not count twice.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spend } from '@otel-llm-cost/cli';
import { type RunReport, runAllPanelQueries } from '@otel-llm-cost/grafana-dashboards/proof';
import {
  type Collector,
  instantQuery,
  type RunningPrometheus,
  startCollector,
  startPrometheus,
  waitFor,
} from '@otel-llm-cost/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extrapolationFactor, rangeSpendExpectations } from './helpers/range-spend.ts';

interface PySpan {
  model: string;
  prompt: number;
  completion: number;
  feature: string;
  customer: string;
  /** app.version: the prompt version the call ran with. */
  version: string;
  /** By hand from official prices per 1M tokens. */
  usd: number;
}
// gpt-4o-mini $0.15 / $0.60; gpt-4o $2.50 / $10.
const MINI: Omit<PySpan, 'feature' | 'customer' | 'version'> = {
  model: 'gpt-4o-mini',
  prompt: 2000,
  completion: 500,
  usd: 0.0006,
};
const FOUR_O: Omit<PySpan, 'feature' | 'customer' | 'version'> = {
  model: 'gpt-4o',
  prompt: 1000,
  completion: 200,
  usd: 0.0045,
};
const SERIES: PySpan[] = [
  { ...MINI, feature: 'rag-answer', customer: 'acme', version: 'rag-v1' },
  { ...FOUR_O, feature: 'rag-answer', customer: 'globex', version: 'rag-v2' },
  { ...FOUR_O, feature: 'report-writer', customer: 'acme', version: 'report-v4' },
];

let ids = 0;
const str = (key: string, v: string) => ({ key, value: { stringValue: v } });
const int = (key: string, v: number) => ({ key, value: { intValue: String(v) } });

/** OTLP/JSON traces as the OpenInference instrumentation of a Python app sends them. */
function otlp(spans: PySpan[], sdkMetered = 0): unknown {
  const now = BigInt(Date.now()) * 1_000_000n;
  const span = (attributes: unknown[]) => {
    ids++;
    return {
      traceId: ids.toString(16).padStart(32, '0'),
      spanId: ids.toString(16).padStart(16, '0'),
      name: 'ChatCompletion',
      kind: 3,
      startTimeUnixNano: String(now - 500_000_000n),
      endTimeUnixNano: String(now),
      attributes,
    };
  };
  const llm = spans.map((s) =>
    span([
      str('openinference.span.kind', 'LLM'),
      str('llm.provider', 'openai'),
      str('llm.system', 'openai'),
      str('llm.model_name', s.model),
      int('llm.token_count.prompt', s.prompt),
      int('llm.token_count.completion', s.completion),
      str('app.feature', s.feature),
      str('app.customer.id', s.customer),
      str('app.team', 'ml'),
      str('app.version', s.version),
    ]),
  );
  // Spans from an app running our Node package: priced and metered already; the collector must skip them.
  const metered = Array.from({ length: sdkMetered }, () =>
    span([
      str('gen_ai.provider.name', 'openai'),
      str('gen_ai.request.model', 'gpt-4o'),
      int('gen_ai.usage.input_tokens', 1000),
      int('gen_ai.usage.output_tokens', 200),
      { key: 'gen_ai.usage.cost', value: { doubleValue: 0.0045 } },
      { key: 'llmcost.sdk.metrics', value: { boolValue: true } },
      str('app.feature', 'rag-answer'),
      str('app.customer.id', 'acme'),
    ]),
  );
  return {
    resourceSpans: [
      {
        resource: {
          attributes: [
            str('service.name', 'py-rag-service'),
            str('deployment.environment.name', 'prod'),
            str('service.version', '5.2.0'),
          ],
        },
        scopeSpans: [{ scope: { name: 'openinference.instrumentation.openai' }, spans: [...llm, ...metered] }],
      },
    ],
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const total = (spans: PySpan[]) => spans.reduce((s, x) => s + x.usd, 0);
const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 + 1e-9 * Math.abs(b);

describe('end to end, pipeline (b): traces only -> collector prices and derives metrics -> Prometheus', () => {
  let collector: Collector;
  let prometheus: RunningPrometheus;
  let all: PySpan[];
  let measured: PySpan[];
  let report: RunReport;

  async function send(spans: PySpan[], sdkMetered = 0): Promise<void> {
    const res = await fetch(`${collector.otlpUrl}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(otlp(spans, sdkMetered)),
    });
    expect(res.status, await res.text()).toBe(200);
  }

  async function counted(usd: number): Promise<void> {
    await waitFor(`Prometheus to count ${usd} USD`, async () => {
      const r = await instantQuery(prometheus.url, 'sum(llmcost_cost_USD_total)', Date.now() / 1000);
      return close(Number(r[0]?.value?.[1] ?? Number.NaN), usd) ? true : undefined;
    });
  }

  beforeAll(async () => {
    const workdir = mkdtempSync(join(tmpdir(), 'llmcost-traces-only-'));
    collector = await startCollector({ workdir, pipeline: 'traces-only' });
    prometheus = await startPrometheus({ targets: [collector.metricsTarget] });
    // Phase 1 creates every series; the range panels are checked on phase 2 (see pipeline.test.ts).
    await send(SERIES, 2);
    await counted(total(SERIES));
    await sleep(5000);
    const start = Math.floor(Date.now() / 1000) - 3;
    measured = [...SERIES, ...SERIES, SERIES[1]!];
    await send(measured, 3);
    all = [...SERIES, ...measured];
    await counted(total(all));
    await sleep(8000);
    const end = Math.floor(Date.now() / 1000);
    const factor = await extrapolationFactor(prometheus.url, end, end - start);
    report = await runAllPanelQueries(prometheus.url, {
      start,
      time: end,
      rateInterval: '4s',
      expectations: rangeSpendExpectations(factor, {
        total: total(measured),
        byCustomer: {
          acme: total(measured.filter((s) => s.customer === 'acme')),
          globex: total(measured.filter((s) => s.customer === 'globex')),
        },
      }),
    });
  }, 180_000);

  afterAll(async () => {
    await prometheus?.stop();
    await collector?.stop();
  });

  it('derives exactly the known spend by feature and customer, and skips spans the SDK metered already', async () => {
    for (const [by, key] of [
      ['feature', (s: PySpan) => s.feature],
      ['customer', (s: PySpan) => s.customer],
    ] as const) {
      const want: Record<string, number> = {};
      for (const s of all) want[key(s)] = (want[key(s)] ?? 0) + s.usd;
      const rows = await spend(prometheus.url, { by, range: 'all' });
      expect(Object.fromEntries(rows.map((r) => [r.value, r.usd])), by).toEqual(
        Object.fromEntries(Object.entries(want).map(([k, v]) => [k, expect.closeTo(v, 12)])),
      );
    }
    const services = await spend(prometheus.url, { by: 'service', range: 'all' });
    expect(services.map((r) => r.value)).toEqual(['py-rag-service']);
  });

  it('labels the derived metrics like the SDK does: environment, team, provider, model', async () => {
    const r = await instantQuery(
      prometheus.url,
      'sum by (deployment_environment_name, app_team, gen_ai_provider_name, gen_ai_request_model) (llmcost_cost_USD_total)',
      Date.now() / 1000,
    );
    expect(
      r.map((s) => s.metric).sort((a, b) => a.gen_ai_request_model!.localeCompare(b.gen_ai_request_model!)),
    ).toEqual([
      {
        deployment_environment_name: 'prod',
        app_team: 'ml',
        gen_ai_provider_name: 'openai',
        gen_ai_request_model: 'gpt-4o',
      },
      {
        deployment_environment_name: 'prod',
        app_team: 'ml',
        gen_ai_provider_name: 'openai',
        gen_ai_request_model: 'gpt-4o-mini',
      },
    ]);
  });

  it('labels the derived metrics with service_version (from the resource) and app_version (from the span)', async () => {
    const now = Date.now() / 1000;
    const byVersion = async (query: string) =>
      Object.fromEntries(
        (await instantQuery(prometheus.url, query, now)).map((s) => [
          `${s.metric.service_version}/${s.metric.app_version}`,
          Number(s.value?.[1]),
        ]),
      );
    const want = (value: (s: PySpan) => number) => {
      const out: Record<string, number> = {};
      for (const s of all) out[`5.2.0/${s.version}`] = (out[`5.2.0/${s.version}`] ?? 0) + value(s);
      return out;
    };
    const cost = await byVersion('sum by (service_version, app_version) (llmcost_cost_USD_total)');
    expect(cost).toEqual(
      Object.fromEntries(Object.entries(want((s) => s.usd)).map(([k, v]) => [k, expect.closeTo(v, 12)])),
    );
    expect(
      await byVersion('sum by (service_version, app_version) (llmcost_tokens_total{llmcost_token_type="input"})'),
    ).toEqual(want((s) => s.prompt));
    expect(
      await byVersion('sum by (service_version, app_version) (gen_ai_client_operation_duration_seconds_count)'),
    ).toEqual(want(() => 1));
    // llm-cost spend --by version / --by service-version reads the same labels.
    const versions = await spend(prometheus.url, { by: 'version', range: 'all' });
    expect(Object.fromEntries(versions.map((r) => [`5.2.0/${r.value}`, r.usd]))).toEqual(cost);
    const deploys = await spend(prometheus.url, { by: 'service-version', range: 'all' });
    expect(deploys.map((r) => r.value)).toEqual(['5.2.0']);
  });

  it('the spend panels of the overview dashboard show the known phase-2 spend', () => {
    const spendFailures = report.failures.filter((f) => / shows | expected /.test(f) && !/no data/.test(f));
    expect(spendFailures).toEqual([]);
    const spendPanel = report.results.find((q) => q.dashboard === 'LLM cost overview' && q.panel === 'Spend in range');
    expect(spendPanel?.samples.length).toBe(1);
    const customers = report.results.find(
      (q) => q.dashboard === 'LLM cost overview' && q.panel === 'Top customers in range',
    );
    expect(customers?.samples.length).toBe(2);
  });

  it('every other panel query returns data on derived metrics (tokens, duration, per-request cost, rates)', () => {
    // Without data here by design: budgets (no rule files loaded in this test), unpriced calls, cache and
    // errors (this traffic has none of them), and the billed price and margin (a markup is the SDK's: the
    // collector prices without one, so traces-only spend has no billed side).
    const unexpected = report.failures.filter(
      (f) =>
        !/^LLM cost (budgets|overview \/ (Unpriced|Cache|Error rate)|attribution drill-down \/ (Billed|Margin))/.test(
          f,
        ),
    );
    expect(unexpected).toEqual([]);
    expect(report.results.length).toBeGreaterThan(30);
  });
});
