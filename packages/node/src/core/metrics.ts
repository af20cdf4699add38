import type { Counter, Histogram, Meter } from '@opentelemetry/api';
import { DURATION_BUCKETS, METRIC, REQUEST_COST_BUCKETS, TOKEN_BUCKETS, TTFC_BUCKETS } from './names.js';

/** The instruments of docs/telemetry.md. Bucket boundaries travel as advice, so they also apply under a user's own MeterProvider. */
export interface LlmMetrics {
  cost: Counter;
  requestCost: Histogram;
  unpriced: Counter;
  tokens: Counter;
  cacheSavings: Counter;
  attributionMissing: Counter;
  tokenUsage: Histogram;
  duration: Histogram;
  timeToFirstChunk: Histogram;
}

export function createLlmMetrics(meter: Meter): LlmMetrics {
  return {
    cost: meter.createCounter(METRIC.COST, { unit: 'USD', description: 'Cost of LLM calls in USD' }),
    requestCost: meter.createHistogram(METRIC.REQUEST_COST, {
      unit: 'USD',
      description: 'Cost of one LLM call in USD',
      advice: { explicitBucketBoundaries: REQUEST_COST_BUCKETS },
    }),
    unpriced: meter.createCounter(METRIC.UNPRICED, {
      unit: '{request}',
      description: 'LLM calls that could not be priced (no cost recorded)',
    }),
    tokens: meter.createCounter(METRIC.TOKENS, { unit: '{token}', description: 'Tokens of LLM calls by type' }),
    cacheSavings: meter.createCounter(METRIC.CACHE_SAVINGS, {
      unit: 'USD',
      description: 'USD that prompt-cache reads saved against the uncached input price',
    }),
    attributionMissing: meter.createCounter(METRIC.ATTRIBUTION_MISSING, {
      unit: '{request}',
      description: 'LLM calls missing a required attribution dimension (strict mode count)',
    }),
    tokenUsage: meter.createHistogram(METRIC.TOKEN_USAGE, {
      unit: '{token}',
      description: 'Number of input and output tokens used',
      advice: { explicitBucketBoundaries: TOKEN_BUCKETS },
    }),
    duration: meter.createHistogram(METRIC.DURATION, {
      unit: 's',
      description: 'GenAI operation duration',
      advice: { explicitBucketBoundaries: DURATION_BUCKETS },
    }),
    timeToFirstChunk: meter.createHistogram(METRIC.TIME_TO_FIRST_CHUNK, {
      unit: 's',
      description: 'Time to receive the first chunk of a streamed response',
      advice: { explicitBucketBoundaries: TTFC_BUCKETS },
    }),
  };
}
