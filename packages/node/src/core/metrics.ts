import type { Attributes, Counter, Histogram, Meter } from '@opentelemetry/api';
import { ATTR, METRIC, METRIC_SPECS } from './names.js';

/**
 * Where one call's metric points go: the instruments of the telemetry contract (docs/telemetry.md) for one
 * label set, the call's capped labels. Each method adds the one label its instrument has on top (token type,
 * cost source, unpriced reason, error type, dimension); those are closed or capped sets.
 */
export interface LlmSeries {
  /** llmcost.tokens */
  tokens(type: string, n: number): void;
  /** gen_ai.client.token.usage */
  tokenUsage(type: 'input' | 'output', n: number): void;
  /** llmcost.cost and llmcost.request.cost */
  cost(source: string, usd: number): void;
  /** llmcost.billed */
  billed(source: string, usd: number): void;
  /** llmcost.cache.savings */
  cacheSavings(usd: number): void;
  /** llmcost.unpriced */
  unpriced(reason: string): void;
  /** gen_ai.client.operation.duration (error.type when the call failed) */
  duration(seconds: number, errorType: string | undefined): void;
  /** gen_ai.client.operation.time_to_first_chunk */
  timeToFirstChunk(seconds: number): void;
  /** llmcost.attribution.missing */
  attributionMissing(dimension: string): void;
}

/**
 * The metrics of one instrumentation: `series(labels)` gives the recorder of a label set. Two kinds: the
 * OpenTelemetry instruments of a Meter (createLlmMetrics: a point per record, under any MeterProvider and its
 * views), and the runtime's pre-aggregated table exported by LlmCostMetricProducer (core/aggregated-metrics.ts:
 * one table lookup per call).
 */
export interface LlmMetrics {
  series(labels: Attributes): LlmSeries;
  /** The instrumentation scope the points belong to (the meter's). */
  readonly scope?: { name: string; version?: string };
}

interface Instruments {
  cost: Counter;
  requestCost: Histogram;
  unpriced: Counter;
  tokens: Counter;
  cacheSavings: Counter;
  billed: Counter;
  attributionMissing: Counter;
  tokenUsage: Histogram;
  duration: Histogram;
  timeToFirstChunk: Histogram;
}

/** One call's points on the meter's instruments (each record hashes its attributes in the SDK). */
class InstrumentSeries implements LlmSeries {
  constructor(
    private readonly i: Instruments,
    private readonly labels: Attributes,
  ) {}

  tokens(type: string, n: number): void {
    this.i.tokens.add(n, { ...this.labels, [ATTR.LLMCOST_TOKEN_TYPE]: type });
  }
  tokenUsage(type: 'input' | 'output', n: number): void {
    this.i.tokenUsage.record(n, { ...this.labels, [ATTR.TOKEN_TYPE]: type });
  }
  cost(source: string, usd: number): void {
    this.i.cost.add(usd, { ...this.labels, [ATTR.COST_SOURCE]: source });
    this.i.requestCost.record(usd, this.labels);
  }
  billed(source: string, usd: number): void {
    this.i.billed.add(usd, { ...this.labels, [ATTR.COST_SOURCE]: source });
  }
  cacheSavings(usd: number): void {
    this.i.cacheSavings.add(usd, this.labels);
  }
  unpriced(reason: string): void {
    this.i.unpriced.add(1, { ...this.labels, [ATTR.UNPRICED_REASON]: reason });
  }
  duration(seconds: number, errorType: string | undefined): void {
    this.i.duration.record(seconds, errorType ? { ...this.labels, [ATTR.ERROR_TYPE]: errorType } : this.labels);
  }
  timeToFirstChunk(seconds: number): void {
    this.i.timeToFirstChunk.record(seconds, this.labels);
  }
  attributionMissing(dimension: string): void {
    this.i.attributionMissing.add(1, { ...this.labels, [ATTR.DIMENSION]: dimension });
  }
}

/** The contract's instruments on a Meter. Bucket boundaries travel as advice, so they also apply under a user's own MeterProvider. */
export function createLlmMetrics(meter: Meter, scope?: { name: string; version?: string }): LlmMetrics {
  // Unit, description and bucket advice of each metric come from the telemetry contract.
  const counter = (id: keyof typeof METRIC) => {
    const { unit, description } = METRIC_SPECS[id];
    return meter.createCounter(METRIC[id], { unit, description });
  };
  const histogram = (id: 'REQUEST_COST' | 'TOKEN_USAGE' | 'DURATION' | 'TIME_TO_FIRST_CHUNK') => {
    const { unit, description, buckets } = METRIC_SPECS[id];
    return meter.createHistogram(METRIC[id], { unit, description, advice: { explicitBucketBoundaries: [...buckets] } });
  };
  const instruments: Instruments = {
    cost: counter('COST'),
    requestCost: histogram('REQUEST_COST'),
    unpriced: counter('UNPRICED'),
    tokens: counter('TOKENS'),
    cacheSavings: counter('CACHE_SAVINGS'),
    billed: counter('BILLED'),
    attributionMissing: counter('ATTRIBUTION_MISSING'),
    tokenUsage: histogram('TOKEN_USAGE'),
    duration: histogram('DURATION'),
    timeToFirstChunk: histogram('TIME_TO_FIRST_CHUNK'),
  };
  return { series: (labels) => new InstrumentSeries(instruments, labels), scope };
}
