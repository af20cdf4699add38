import { labels, metrics } from '@otel-llm-cost/contract/prometheus';

/** Spend by one dimension, read from Prometheus with the metric and label names of the telemetry contract. */

export const DIMENSIONS = {
  feature: labels.feature,
  customer: labels.customer,
  team: labels.team,
  model: labels.model,
  provider: labels.provider,
  service: labels.service,
  environment: labels.environment,
  route: labels.route,
  operation: labels.operation,
  source: labels.costSource,
} as const;

export type Dimension = keyof typeof DIMENSIONS;

export const COST_METRIC = metrics.cost;

export interface SpendQuery {
  by: Dimension;
  /** A PromQL range such as `1h`, `7d`; `all` sums the counters' current values (spend since the apps started). */
  range: string;
  /** label=value filters, with dimension names or raw labels. */
  where?: Record<string, string>;
}

export interface SpendRow {
  value: string;
  usd: number;
}

function selector(where: Record<string, string> = {}): string {
  const matchers = Object.entries(where).map(([k, v]) => {
    const label = DIMENSIONS[k as Dimension] ?? k;
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(label))
      throw new Error(`"${k}" is not a dimension or a Prometheus label name`);
    return `${label}=${JSON.stringify(v)}`;
  });
  return `${COST_METRIC}{${matchers.join(',')}}`;
}

export function spendPromQL(q: SpendQuery): string {
  const label = DIMENSIONS[q.by];
  if (!label) throw new Error(`unknown dimension "${q.by}"; use one of ${Object.keys(DIMENSIONS).join(', ')}`);
  if (q.range !== 'all' && !/^\d+[smhdwy]$/.test(q.range)) {
    throw new Error(`range "${q.range}" is not a Prometheus duration such as 15m, 1h, 7d (or "all")`);
  }
  const series = q.range === 'all' ? selector(q.where) : `increase(${selector(q.where)}[${q.range}])`;
  return `sum by (${label}) (${series})`;
}

export interface VectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

/** An instant query, evaluated now or at `time` (unix seconds). */
export async function queryPrometheus(prometheusUrl: string, promql: string, time?: number): Promise<VectorSample[]> {
  const url = new URL('/api/v1/query', prometheusUrl);
  url.searchParams.set('query', promql);
  if (time !== undefined) url.searchParams.set('time', String(time));
  let res: Response;
  try {
    res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  } catch (err) {
    throw new Error(`cannot reach Prometheus at ${prometheusUrl} (${(err as Error).message}); pass --prometheus URL`);
  }
  const body = (await res.json().catch(() => ({}))) as {
    status?: string;
    error?: string;
    data?: { result: VectorSample[] };
  };
  if (!res.ok || body.status !== 'success') {
    throw new Error(`Prometheus at ${prometheusUrl} rejected ${promql}: ${body.error ?? `HTTP ${res.status}`}`);
  }
  return body.data!.result;
}

export async function spend(prometheusUrl: string, q: SpendQuery): Promise<SpendRow[]> {
  const label = DIMENSIONS[q.by];
  const samples = await queryPrometheus(prometheusUrl, spendPromQL(q));
  return samples
    .map((s) => ({ value: s.metric[label] ?? '(none)', usd: Number(s.value[1]) }))
    .sort((a, b) => b.usd - a.usd || a.value.localeCompare(b.value));
}

export function formatTable(title: string, rows: SpendRow[]): string {
  const total = rows.reduce((n, r) => n + r.usd, 0);
  const width = Math.max(title.length, 7, ...rows.map((r) => r.value.length));
  const line = (a: string, b: string, c: string) => `${a.padEnd(width)}  ${b.padStart(14)}  ${c.padStart(6)}`;
  const usd = (n: number) => `$${n.toFixed(6)}`;
  return [
    line(title, 'spend (USD)', 'share'),
    line('-'.repeat(width), '-'.repeat(14), '-'.repeat(6)),
    ...rows.map((r) => line(r.value, usd(r.usd), total > 0 ? `${((100 * r.usd) / total).toFixed(1)}%` : '-')),
    line('total', usd(total), ''),
  ].join('\n');
}
