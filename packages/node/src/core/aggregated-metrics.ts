import type { Attributes, HrTime } from '@opentelemetry/api';
import { hrTime } from '@opentelemetry/core';
import type { LlmMetrics, LlmSeries } from './metrics.js';
import { ATTR, METRIC_SPECS } from './names.js';

/**
 * The contract's metrics aggregated in process: one table entry per call label set, found with one map lookup
 * per call, holding every instrument's sums and histograms for that set. Nothing here hashes attributes per
 * point, as the SDK's synchronous instruments do on every record; LlmCostMetricProducer (metric-producer.ts)
 * turns the table into metric data when a reader collects.
 */

/** A sum or a histogram of one point: its full attributes (the label set plus the instrument's own label). */
export interface PointEntry<V> {
  readonly attributes: Attributes;
  readonly startTime: HrTime;
  value: V;
}

/** An explicit-bucket histogram (counts[i]: values in (boundaries[i-1], boundaries[i]], the last one above all). */
export class HistogramValue {
  readonly counts: number[];
  sum = 0;
  count = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;

  constructor(readonly boundaries: readonly number[]) {
    this.counts = new Array<number>(boundaries.length + 1).fill(0);
  }

  record(value: number): void {
    const b = this.boundaries;
    let i = 0;
    while (i < b.length && value > b[i]!) i++;
    this.counts[i]!++;
    this.sum += value;
    this.count++;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
  }
}

const BUCKETS = {
  requestCost: METRIC_SPECS.REQUEST_COST.buckets,
  tokenUsage: METRIC_SPECS.TOKEN_USAGE.buckets,
  duration: METRIC_SPECS.DURATION.buckets,
  timeToFirstChunk: METRIC_SPECS.TIME_TO_FIRST_CHUNK.buckets,
} as const;

type Sums = Map<string, PointEntry<number>>;
type Histograms = Map<string, PointEntry<HistogramValue>>;

/** Every instrument's points of one label set; keyed by the instrument's own label ('' when it has none). */
export class AggregatedSeries implements LlmSeries {
  readonly tokensBy: Sums = new Map();
  readonly tokenUsageBy: Histograms = new Map();
  readonly costBy: Sums = new Map();
  readonly requestCostBy: Histograms = new Map();
  readonly billedBy: Sums = new Map();
  readonly cacheSavingsBy: Sums = new Map();
  readonly unpricedBy: Sums = new Map();
  readonly durationBy: Histograms = new Map();
  readonly timeToFirstChunkBy: Histograms = new Map();
  readonly attributionMissingBy: Sums = new Map();

  constructor(readonly attributes: Attributes) {}

  private attributesWith(label: string | undefined, key: string): Attributes {
    return label === undefined ? this.attributes : { ...this.attributes, [label]: key };
  }

  private add(map: Sums, key: string, label: string | undefined, n: number): void {
    const e = map.get(key);
    if (e) e.value += n;
    else map.set(key, { attributes: this.attributesWith(label, key), startTime: hrTime(), value: n });
  }

  private observe(map: Histograms, key: string, label: string | undefined, buckets: readonly number[], v: number) {
    let e = map.get(key);
    if (!e) {
      e = { attributes: this.attributesWith(label, key), startTime: hrTime(), value: new HistogramValue(buckets) };
      map.set(key, e);
    }
    e.value.record(v);
  }

  tokens(type: string, n: number): void {
    this.add(this.tokensBy, type, ATTR.LLMCOST_TOKEN_TYPE, n);
  }
  tokenUsage(type: 'input' | 'output', n: number): void {
    this.observe(this.tokenUsageBy, type, ATTR.TOKEN_TYPE, BUCKETS.tokenUsage, n);
  }
  cost(source: string, usd: number): void {
    this.add(this.costBy, source, ATTR.COST_SOURCE, usd);
    this.observe(this.requestCostBy, '', undefined, BUCKETS.requestCost, usd);
  }
  billed(source: string, usd: number): void {
    this.add(this.billedBy, source, ATTR.COST_SOURCE, usd);
  }
  cacheSavings(usd: number): void {
    this.add(this.cacheSavingsBy, '', undefined, usd);
  }
  unpriced(reason: string): void {
    this.add(this.unpricedBy, reason, ATTR.UNPRICED_REASON, 1);
  }
  duration(seconds: number, errorType: string | undefined): void {
    if (errorType) this.observe(this.durationBy, errorType, ATTR.ERROR_TYPE, BUCKETS.duration, seconds);
    else this.observe(this.durationBy, '', undefined, BUCKETS.duration, seconds);
  }
  timeToFirstChunk(seconds: number): void {
    this.observe(this.timeToFirstChunkBy, '', undefined, BUCKETS.timeToFirstChunk, seconds);
  }
  attributionMissing(dimension: string): void {
    this.add(this.attributionMissingBy, dimension, ATTR.DIMENSION, 1);
  }
}

/** Series per scope, as the SDK's default aggregation cardinality limit: past it, one overflow series. */
const MAX_SERIES = 2000;
const OVERFLOW_ATTRIBUTES: Attributes = { 'otel.metric.overflow': true };

/** The label set's key in the order its keys were set (the same code builds the same order: one concatenation). */
function fastKey(labels: Attributes): string {
  let key = '';
  for (const k in labels) {
    const v = labels[k];
    key += `${k}\u0000${typeof v === 'string' ? v : `${typeof v}:${JSON.stringify(v)}`}\u0001`;
  }
  return key;
}

/** The label set's key whatever the order of its keys (so that one set is one series). */
function canonicalKey(labels: Attributes): string {
  return JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k]]),
  );
}

/** The aggregated metrics of one instrumentation scope. */
export class AggregatedMetrics implements LlmMetrics {
  /** canonical key -> series */
  readonly table = new Map<string, AggregatedSeries>();
  private readonly byFastKey = new Map<string, AggregatedSeries>();
  private overflow: AggregatedSeries | undefined;

  constructor(readonly scope: { name: string; version?: string }) {}

  series(labels: Attributes): LlmSeries {
    const fast = fastKey(labels);
    const found = this.byFastKey.get(fast);
    if (found) return found;
    const canonical = canonicalKey(labels);
    let series = this.table.get(canonical);
    if (!series) {
      if (this.table.size >= MAX_SERIES) {
        this.overflow ??= new AggregatedSeries(OVERFLOW_ATTRIBUTES);
        return this.overflow;
      }
      series = new AggregatedSeries(Object.freeze({ ...labels }));
      this.table.set(canonical, series);
    }
    if (this.byFastKey.size < 4 * MAX_SERIES) this.byFastKey.set(fast, series);
    return series;
  }

  /** Every series, the overflow one last. */
  allSeries(): AggregatedSeries[] {
    const all = [...this.table.values()];
    if (this.overflow) all.push(this.overflow);
    return all;
  }
}

/**
 * A runtime's aggregated metrics, one AggregatedMetrics per instrumentation scope. Exists once something asks
 * for it (LlmCostMetricProducer); from then on the runtime's instrumentations and processors record here and
 * not on their meters, so that each point is exported once.
 */
export class MetricAggregator {
  private readonly scopes = new Map<string, AggregatedMetrics>();

  scope(name: string, version?: string): AggregatedMetrics {
    const key = `${name}@${version ?? ''}`;
    let m = this.scopes.get(key);
    if (!m) {
      m = new AggregatedMetrics({ name, version });
      this.scopes.set(key, m);
    }
    return m;
  }

  allScopes(): AggregatedMetrics[] {
    return [...this.scopes.values()];
  }
}
