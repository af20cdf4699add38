/**
 * What our telemetry counted, per UTC day and requested model, read from Prometheus exactly.
 *
 * The counters are cumulative per process. A day's value of one series is its last sample in the day
 * minus its last sample before the day (0 when the series starts inside the day); the per-series
 * differences are then summed by model. `increase()` is not used: it extrapolates to the window's edges.
 * A counter that restarts inside a day is seen only when its end value is below its start value (then
 * the end value is taken); the part counted before a reset inside the same day is lost (docs/reconciliation.md).
 */
import { labels, metrics } from '@otel-llm-cost/contract/prometheus';
import { queryPrometheus, type VectorSample } from '../spend.js';
import { DAY_SECONDS, dayStart } from './days.js';
import { ReconcileError } from './http.js';
import { emptyTokens, type OurModelDay, type Provider } from './types.js';

/** The `gen_ai_provider_name` value of each provider (semconv). */
export const PROVIDER_LABEL: Record<Provider, string> = { openai: 'openai', anthropic: 'anthropic' };

type Query = (promql: string, time: number) => Promise<VectorSample[]>;

function seriesKey(metric: Record<string, string>): string {
  return JSON.stringify(Object.entries(metric).sort(([a], [b]) => a.localeCompare(b)));
}

/** The PromQL of one boundary: each series' last sample in the `windowSeconds` before the evaluation time. */
export function lastValuePromQL(metric: string, provider: Provider, windowSeconds: number): string {
  return `last_over_time(${metric}{${labels.provider}=${JSON.stringify(PROVIDER_LABEL[provider])}}[${windowSeconds}s])`;
}

/** Per series, the counter's growth over each interval between consecutive boundaries. */
export async function growthPerInterval(
  query: Query,
  metric: string,
  provider: Provider,
  boundaries: number[],
): Promise<Array<Array<{ metric: Record<string, string>; delta: number }>>> {
  const snapshots = await Promise.all(
    boundaries.map((t, i) => {
      const window = i === 0 ? DAY_SECONDS : Math.max(1, t - boundaries[i - 1]!);
      return query(lastValuePromQL(metric, provider, window), t);
    }),
  );
  const maps = snapshots.map((samples) => {
    const m = new Map<string, { metric: Record<string, string>; value: number }>();
    for (const s of samples) m.set(seriesKey(s.metric), { metric: s.metric, value: Number(s.value[1]) });
    return m;
  });
  const out: Array<Array<{ metric: Record<string, string>; delta: number }>> = [];
  for (let i = 1; i < maps.length; i++) {
    const rows: Array<{ metric: Record<string, string>; delta: number }> = [];
    for (const [key, end] of maps[i]!) {
      const start = maps[i - 1]!.get(key)?.value;
      // no sample before the interval: the series started inside it, from 0; below the start: it was reset.
      const delta = start === undefined || end.value < start ? end.value : end.value - start;
      if (delta !== 0 && Number.isFinite(delta)) rows.push({ metric: end.metric, delta });
    }
    out.push(rows);
  }
  return out;
}

export async function ourSpend(
  prometheusUrl: string,
  provider: Provider,
  days: string[],
  now: number = Math.floor(Date.now() / 1000),
  query: Query = (promql, time) => queryPrometheus(prometheusUrl, promql, time),
): Promise<OurModelDay[]> {
  const starts = days.map(dayStart);
  if (starts[starts.length - 1]! > now)
    throw new ReconcileError(`${days[days.length - 1]} has not begun yet`, 'pass --to today or earlier');
  const boundaries = [...starts, starts[starts.length - 1]! + DAY_SECONDS].map((t) => Math.min(t, now));
  const guarded: Query = async (promql, time) => {
    try {
      return await query(promql, time);
    } catch (err) {
      throw new ReconcileError(
        (err as Error).message,
        'start Prometheus or pass --prometheus URL (or set PROMETHEUS_URL)',
      );
    }
  };
  const [cost, tokens, unpriced, priced] = await Promise.all([
    growthPerInterval(guarded, metrics.cost, provider, boundaries),
    growthPerInterval(guarded, metrics.tokens, provider, boundaries),
    growthPerInterval(guarded, metrics.unpriced, provider, boundaries),
    growthPerInterval(guarded, metrics.requestCostCount, provider, boundaries),
  ]);
  const rows = new Map<string, OurModelDay>();
  const entry = (day: string, model: string) => {
    const key = `${day}\u0000${model}`;
    let r = rows.get(key);
    if (!r) {
      r = { day, model, costUsd: 0, tokens: emptyTokens(), requests: 0, unpriced: 0 };
      rows.set(key, r);
    }
    return r;
  };
  const model = (m: Record<string, string>) => m[labels.model] ?? '(none)';
  days.forEach((day, i) => {
    for (const s of cost[i]!) entry(day, model(s.metric)).costUsd += s.delta;
    for (const s of tokens[i]!) {
      const t = entry(day, model(s.metric)).tokens;
      const type = s.metric[labels.tokenType];
      if (type === 'input') t.input += s.delta;
      else if (type === 'output') t.output += s.delta;
      else if (type === 'cache_read') t.cacheRead += s.delta;
      else if (type === 'cache_creation') t.cacheWrite += s.delta;
    }
    for (const s of unpriced[i]!) {
      const r = entry(day, model(s.metric));
      r.unpriced += s.delta;
      r.requests += s.delta;
    }
    for (const s of priced[i]!) entry(day, model(s.metric)).requests += s.delta;
  });
  return [...rows.values()].sort((a, b) => a.day.localeCompare(b.day) || a.model.localeCompare(b.model));
}
