import type { Counter, Histogram, Meter } from '@opentelemetry/api';
import { METRIC, METRIC_SPECS } from './names.js';

/** The instruments of the telemetry contract (docs/telemetry.md). Bucket boundaries travel as advice, so they also apply under a user's own MeterProvider. */
export interface LlmMetrics {
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

export function createLlmMetrics(meter: Meter): LlmMetrics {
  // Unit, description and bucket advice of each metric come from the telemetry contract.
  const counter = (id: keyof typeof METRIC) => {
    const { unit, description } = METRIC_SPECS[id];
    return meter.createCounter(METRIC[id], { unit, description });
  };
  const histogram = (id: 'REQUEST_COST' | 'TOKEN_USAGE' | 'DURATION' | 'TIME_TO_FIRST_CHUNK') => {
    const { unit, description, buckets } = METRIC_SPECS[id];
    return meter.createHistogram(METRIC[id], { unit, description, advice: { explicitBucketBoundaries: [...buckets] } });
  };
  return {
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
}
