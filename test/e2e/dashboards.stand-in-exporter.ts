// STAND-IN for the OpenTelemetry Collector's `prometheus` exporter: an HTTP endpoint serving, in the Prometheus
// text format, the cumulative metrics that the Node package would send for the known calls, under exactly the
// names and labels of docs/telemetry.md (llmcost_cost_USD_total, llmcost_request_cost_USD_bucket, ...; service
// as `job`). It exists until the real pipeline (Node package -> collector -> prometheus exporter) is wired into
// this test; then the scrape target becomes the collector's exporter endpoint and this file goes away.
//
// One deliberate difference: every series is exposed at 0 before the first call (the real exporter shows a
// series first with the value after its first call, and Prometheus' increase() cannot count that first value).
import { createServer, type Server } from 'node:http';
import type { KnownCall } from './dashboards.traffic.ts';

const REQUEST_COST_BUCKETS = [1e-6, 5e-6, 1e-5, 5e-5, 1e-4, 5e-4, 1e-3, 5e-3, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];
const DURATION_BUCKETS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
const TOKEN_BUCKETS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];
const SCOPE = { otel_scope_name: '@otel-llm-cost/node', otel_scope_version: '0.1.0' };

type Labels = Record<string, string>;

function baseLabels(c: KnownCall): Labels {
  const l: Labels = {
    job: c.job,
    deployment_environment_name: c.environment,
    gen_ai_provider_name: c.provider,
    gen_ai_operation_name: 'chat',
    gen_ai_request_model: c.model,
    ...SCOPE,
  };
  if (c.feature) l.app_feature = c.feature;
  if (c.team) l.app_team = c.team;
  if (c.customer) l.app_customer_id = c.customer;
  if (c.route) l.llmcost_route = c.route;
  return l;
}

const key = (l: Labels) =>
  Object.keys(l)
    .sort()
    .map((k) => `${k}="${l[k]!.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`)
    .join(',');

class Registry {
  private counters = new Map<string, { type: string; series: Map<string, number> }>();

  add(name: string, type: 'counter' | 'histogram', labels: Labels, value: number): void {
    let m = this.counters.get(name);
    if (!m) {
      m = { type, series: new Map() };
      this.counters.set(name, m);
    }
    const k = key(labels);
    m.series.set(k, (m.series.get(k) ?? 0) + value);
  }

  observe(stem: string, buckets: number[], labels: Labels, value: number, count: 0 | 1): void {
    for (const le of buckets)
      this.add(`${stem}_bucket`, 'histogram', { ...labels, le: String(le) }, value <= le ? count : 0);
    this.add(`${stem}_bucket`, 'histogram', { ...labels, le: '+Inf' }, count);
    this.add(`${stem}_sum`, 'histogram', labels, count * value);
    this.add(`${stem}_count`, 'histogram', labels, count);
  }

  /** Records a call; with `times = 0` only creates its series at 0. */
  record(c: KnownCall, times: 0 | 1): void {
    const l = baseLabels(c);
    const dl = c.errorType ? { ...l, error_type: c.errorType } : l;
    this.observe('gen_ai_client_operation_duration_seconds', DURATION_BUCKETS, dl, c.durationSeconds, times);
    if (c.errorType) return;
    if (c.costUsd !== undefined) {
      this.add('llmcost_cost_USD_total', 'counter', { ...l, llmcost_cost_source: 'pricing_data' }, times * c.costUsd);
      this.observe('llmcost_request_cost_USD', REQUEST_COST_BUCKETS, l, c.costUsd, times);
    } else {
      this.add(
        'llmcost_unpriced_requests_total',
        'counter',
        { ...l, llmcost_unpriced_reason: c.unpricedReason ?? 'unknown_model' },
        times,
      );
    }
    const tokens: Array<[string, number | undefined]> = [
      ['input', c.inputTokens],
      ['output', c.outputTokens],
      ['cache_read', c.cacheReadTokens],
    ];
    for (const [type, n] of tokens) {
      if (n !== undefined) this.add('llmcost_tokens_total', 'counter', { ...l, llmcost_token_type: type }, times * n);
    }
    for (const [type, n] of [
      ['input', c.inputTokens],
      ['output', c.outputTokens],
    ] as const) {
      this.observe('gen_ai_client_token_usage', TOKEN_BUCKETS, { ...l, gen_ai_token_type: type }, n, times);
    }
    if (c.cacheSavingsUsd !== undefined)
      this.add('llmcost_cache_savings_USD_total', 'counter', l, times * c.cacheSavingsUsd);
  }

  exposition(): string {
    const lines: string[] = [];
    const families = new Map<string, string>();
    for (const [name, m] of this.counters) {
      const family = m.type === 'histogram' ? name.replace(/_(bucket|sum|count)$/, '') : name.replace(/_total$/, '');
      if (!families.has(family)) {
        families.set(family, m.type);
        lines.push(`# TYPE ${m.type === 'counter' ? name : family} ${m.type}`);
      }
      for (const [k, v] of m.series) lines.push(`${name}{${k}} ${v}`);
    }
    return `${lines.join('\n')}\n`;
  }
}

export interface StandInExporter {
  target: string;
  /** Creates every series of these calls at 0 (before any traffic). */
  declare(calls: KnownCall[]): void;
  record(calls: KnownCall[]): void;
  close(): Promise<void>;
}

export async function startStandInExporter(): Promise<StandInExporter> {
  const reg = new Registry();
  const server: Server = createServer((req, res) => {
    if (req.url !== '/metrics') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(reg.exposition());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    target: `127.0.0.1:${port}`,
    declare: (calls) => {
      for (const c of calls) reg.record(c, 0);
    },
    record: (calls) => {
      for (const c of calls) reg.record(c, 1);
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
}
