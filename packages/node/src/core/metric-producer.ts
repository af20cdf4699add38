import { type HrTime, ValueType } from '@opentelemetry/api';
import { hrTime } from '@opentelemetry/core';
import { emptyResource } from '@opentelemetry/resources';
import {
  AggregationTemporality,
  type AggregationTemporalitySelector,
  type CollectionResult,
  DataPointType,
  type Histogram,
  InstrumentType,
  type MetricData,
  type MetricProducer,
} from '@opentelemetry/sdk-metrics';
import type { AggregatedSeries, MetricAggregator, PointEntry } from './aggregated-metrics.js';
import { METRIC, METRIC_SPECS } from './names.js';
import { defaultRuntime, type LlmCostRuntime } from './runtime.js';

export interface LlmCostMetricProducerOptions {
  /** The runtime whose calls this producer exports: the one given to the instrumentations (default: the default runtime). */
  runtime?: LlmCostRuntime;
  /**
   * The temporality per instrument type, as the reader's exporter wants it (`exporter.selectAggregationTemporality`).
   * Default: cumulative.
   */
  aggregationTemporalitySelector?: AggregationTemporalitySelector;
}

type SumField = 'costBy' | 'unpricedBy' | 'tokensBy' | 'cacheSavingsBy' | 'billedBy' | 'attributionMissingBy';
type HistogramField = 'requestCostBy' | 'tokenUsageBy' | 'durationBy' | 'timeToFirstChunkBy';

/** The contract's instruments and where each one's points are in a series. */
const SUMS: readonly [keyof typeof METRIC, SumField][] = [
  ['COST', 'costBy'],
  ['UNPRICED', 'unpricedBy'],
  ['TOKENS', 'tokensBy'],
  ['CACHE_SAVINGS', 'cacheSavingsBy'],
  ['BILLED', 'billedBy'],
  ['ATTRIBUTION_MISSING', 'attributionMissingBy'],
];
const HISTOGRAMS: readonly [keyof typeof METRIC, HistogramField][] = [
  ['REQUEST_COST', 'requestCostBy'],
  ['TOKEN_USAGE', 'tokenUsageBy'],
  ['DURATION', 'durationBy'],
  ['TIME_TO_FIRST_CHUNK', 'timeToFirstChunkBy'],
];

function descriptor(id: keyof typeof METRIC) {
  const { unit, description } = METRIC_SPECS[id];
  return { name: METRIC[id], unit, description, valueType: ValueType.DOUBLE };
}

/** Delta temporality: a point's state at the previous collection (a sum's value, or a histogram's counts). */
interface Previous {
  time: HrTime;
  value: number;
  counts?: number[];
}

/**
 * Exports what otel-llm-cost's instrumentations measured, from the runtime's pre-aggregated table (one table
 * lookup per LLM call instead of a dozen attribute-hashing SDK records). Add it to your metric reader:
 * `new PeriodicExportingMetricReader({ exporter, metricProducers: [new LlmCostMetricProducer({ runtime })] })`.
 * init() does. From its creation on, the runtime's LLM metrics go only through producers (a MeterProvider set on
 * the instrumentations is not used for them, so that nothing is counted twice), and MeterProvider views do not
 * apply to them. The points are the same as the instruments' would be: same names, units, labels and buckets.
 */
export class LlmCostMetricProducer implements MetricProducer {
  private readonly aggregator: MetricAggregator;
  private readonly temporality: AggregationTemporalitySelector;
  /** Delta temporality: what each point was at the previous collection. */
  private readonly previous = new WeakMap<PointEntry<unknown>, Previous>();

  constructor(options: LlmCostMetricProducerOptions = {}) {
    this.aggregator = (options.runtime ?? defaultRuntime()).aggregateMetrics();
    this.temporality = options.aggregationTemporalitySelector ?? (() => AggregationTemporality.CUMULATIVE);
  }

  async collect(): Promise<CollectionResult> {
    const now = hrTime();
    const scopeMetrics = this.aggregator.allScopes().map((scoped) => {
      const series = scoped.allSeries();
      const metrics: MetricData[] = [];
      for (const [id, field] of SUMS) {
        const m = this.sum(id, field, series, now);
        if (m) metrics.push(m);
      }
      for (const [id, field] of HISTOGRAMS) {
        const m = this.histogram(id, field, series, now);
        if (m) metrics.push(m);
      }
      return { scope: scoped.scope, metrics };
    });
    return { resourceMetrics: { resource: emptyResource(), scopeMetrics }, errors: [] };
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  private sum(
    id: keyof typeof METRIC,
    field: SumField,
    series: AggregatedSeries[],
    now: HrTime,
  ): MetricData | undefined {
    const temporality = this.temporality(InstrumentType.COUNTER);
    const delta = temporality === AggregationTemporality.DELTA;
    const dataPoints = [];
    for (const s of series) {
      for (const e of s[field].values()) {
        let value = e.value;
        let startTime = e.startTime;
        if (delta) {
          const prev = this.previous.get(e);
          this.previous.set(e, { value: e.value, time: now });
          if (prev) {
            value -= prev.value;
            startTime = prev.time;
            if (value === 0) continue;
          }
        }
        dataPoints.push({ attributes: e.attributes, startTime, endTime: now, value });
      }
    }
    if (dataPoints.length === 0) return undefined;
    return {
      descriptor: descriptor(id),
      aggregationTemporality: temporality,
      dataPointType: DataPointType.SUM,
      isMonotonic: true,
      dataPoints,
    };
  }

  private histogram(
    id: keyof typeof METRIC,
    field: HistogramField,
    series: AggregatedSeries[],
    now: HrTime,
  ): MetricData | undefined {
    const temporality = this.temporality(InstrumentType.HISTOGRAM);
    const delta = temporality === AggregationTemporality.DELTA;
    const dataPoints = [];
    for (const s of series) {
      for (const e of s[field].values()) {
        const h = e.value;
        let startTime = e.startTime;
        // A snapshot: the exporter may serialise after more calls were recorded.
        let value: Histogram = {
          buckets: { boundaries: [...h.boundaries], counts: [...h.counts] },
          sum: h.sum,
          count: h.count,
          min: h.min,
          max: h.max,
        };
        if (delta) {
          const prev = this.previous.get(e);
          // value.buckets.counts is already a copy of this collection's counts.
          this.previous.set(e, { time: now, value: h.sum, counts: value.buckets.counts });
          if (prev?.counts) {
            const count = h.count - prev.counts.reduce((a, b) => a + b, 0);
            if (count === 0) continue;
            startTime = prev.time;
            // The interval's min and max are not known from two cumulative states: left out (optional in OTLP).
            value = {
              buckets: { boundaries: value.buckets.boundaries, counts: h.counts.map((c, i) => c - prev.counts![i]!) },
              sum: h.sum - prev.value,
              count,
            };
          }
        }
        dataPoints.push({ attributes: e.attributes, startTime, endTime: now, value });
      }
    }
    if (dataPoints.length === 0) return undefined;
    return {
      descriptor: descriptor(id),
      aggregationTemporality: temporality,
      dataPointType: DataPointType.HISTOGRAM,
      dataPoints,
    };
  }
}
