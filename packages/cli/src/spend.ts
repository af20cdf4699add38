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
  version: labels.version,
  'service-version': labels.serviceVersion,
  operation: labels.operation,
  source: labels.costSource,
} as const;

export type Dimension = keyof typeof DIMENSIONS;

export const COST_METRIC = metrics.cost;
/** What calls are billed to customers under the markup config (docs/markup.md); same labels as the cost. */
export const BILLED_METRIC = metrics.billed;

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
  /** With --billed: what this value's calls were billed (absent when none was: no markup rule applied). */
  billedUsd?: number;
  /** With --billed: billed minus the cost of the billed calls (the calls without a billed price are left out). */
  marginUsd?: number;
}

function selector(metric: string, where: Record<string, string> = {}): string {
  const matchers = Object.entries(where).map(([k, v]) => {
    const label = DIMENSIONS[k as Dimension] ?? k;
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(label))
      throw new Error(`"${k}" is not a dimension or a Prometheus label name`);
    return `${label}=${JSON.stringify(v)}`;
  });
  return `${metric}{${matchers.join(',')}}`;
}

/** The dimension's label, after checking the query (dimension and range). */
function labelOf(q: SpendQuery): string {
  const label = DIMENSIONS[q.by];
  if (!label) throw new Error(`unknown dimension "${q.by}"; use one of ${Object.keys(DIMENSIONS).join(', ')}`);
  if (q.range !== 'all' && !/^\d+[smhdwy]$/.test(q.range)) {
    throw new Error(`range "${q.range}" is not a Prometheus duration such as 15m, 1h, 7d (or "all")`);
  }
  return label;
}

/** One counter's series over the query's range (or as they stand, for "all"). */
function series(metric: string, q: SpendQuery): string {
  return q.range === 'all' ? selector(metric, q.where) : `increase(${selector(metric, q.where)}[${q.range}])`;
}

export function spendPromQL(q: SpendQuery): string {
  const label = labelOf(q);
  return `sum by (${label}) (${series(COST_METRIC, q)})`;
}

/** What the calls were billed, by the dimension. */
export function billedPromQL(q: SpendQuery): string {
  const label = labelOf(q);
  return `sum by (${label}) (${series(BILLED_METRIC, q)})`;
}

/**
 * Billed minus cost, by the dimension. The subtraction matches series one to one (the billed counter has the
 * cost counter's labels), so only the cost of calls that were billed is subtracted: a customer without a markup
 * rule adds nothing, rather than a loss of its whole cost.
 */
export function marginPromQL(q: SpendQuery): string {
  const label = labelOf(q);
  return `sum by (${label}) (${series(BILLED_METRIC, q)} - ${series(COST_METRIC, q)})`;
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

export interface SpendOptions {
  /** Also read the billed counter: billed and margin per row (`llm-cost spend --billed`). */
  billed?: boolean;
}

export async function spend(prometheusUrl: string, q: SpendQuery, opts: SpendOptions = {}): Promise<SpendRow[]> {
  const label = labelOf(q);
  const valueIn = (s: VectorSample) => s.metric[label] ?? '(none)';
  const [cost, billed, margin] = await Promise.all([
    queryPrometheus(prometheusUrl, spendPromQL(q)),
    opts.billed ? queryPrometheus(prometheusUrl, billedPromQL(q)) : [],
    opts.billed ? queryPrometheus(prometheusUrl, marginPromQL(q)) : [],
  ]);
  const rows = new Map<string, SpendRow>(cost.map((s) => [valueIn(s), { value: valueIn(s), usd: Number(s.value[1]) }]));
  const row = (value: string) => rows.get(value) ?? rows.set(value, { value, usd: 0 }).get(value)!;
  for (const s of billed) row(valueIn(s)).billedUsd = Number(s.value[1]);
  for (const s of margin) row(valueIn(s)).marginUsd = Number(s.value[1]);
  return [...rows.values()].sort((a, b) => b.usd - a.usd || a.value.localeCompare(b.value));
}

export function formatTable(title: string, rows: SpendRow[], opts: SpendOptions = {}): string {
  const sum = (f: (r: SpendRow) => number | undefined) => rows.reduce((n, r) => n + (f(r) ?? 0), 0);
  const total = sum((r) => r.usd);
  const anyBilled = rows.some((r) => r.billedUsd !== undefined);
  const totals: Omit<SpendRow, 'value'> = {
    usd: total,
    billedUsd: anyBilled ? sum((r) => r.billedUsd) : undefined,
    marginUsd: anyBilled ? sum((r) => r.marginUsd) : undefined,
  };
  const width = Math.max(title.length, 7, ...rows.map((r) => r.value.length));
  const usd = (n: number | undefined) => (n === undefined ? '-' : `$${n.toFixed(6)}`);
  const money = (r: Omit<SpendRow, 'value'>) =>
    opts.billed ? [usd(r.usd), usd(r.billedUsd), usd(r.marginUsd)] : [usd(r.usd)];
  const heads = opts.billed ? ['spend (USD)', 'billed (USD)', 'margin (USD)'] : ['spend (USD)'];
  const line = (name: string, cells: string[], share: string) =>
    [name.padEnd(width), ...cells.map((c) => c.padStart(14)), share.padStart(6)].join('  ');
  return [
    line(title, heads, 'share'),
    line(
      '-'.repeat(width),
      heads.map(() => '-'.repeat(14)),
      '-'.repeat(6),
    ),
    ...rows.map((r) => line(r.value, money(r), total > 0 ? `${((100 * r.usd) / total).toFixed(1)}%` : '-')),
    line('total', money(totals), ''),
  ].join('\n');
}
