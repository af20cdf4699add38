import type { Attributes } from '@opentelemetry/api';
import {
  AggregationTemporality,
  DataPointType,
  type Histogram,
  MeterProvider,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { AggregatedMetrics } from '../src/core/aggregated-metrics.js';
import {
  createLlmCostRuntime,
  LlmCostMetricProducer,
  type LlmCostRuntime,
  LlmCostSpanProcessor,
  OpenAIInstrumentation,
  withAttribution,
} from '../src/index.js';
import { CollectingReader } from './helpers/collecting-reader.js';
import { type Harness, startHarness } from './helpers/harness.js';

// The pre-aggregated metrics (LlmCostMetricProducer) of an app's own pipeline, with the real openai client
// (openai 4, 5 and 6, each patched by hand) over HTTP to the simulator. The harness (init()) is only there for the simulator
// and the context manager. Every figure is hand-computed from gpt-4o's price page: $2.50 in / $10 out per 1M
// tokens, so a call of 1000 in / 200 out costs 1000 * 2.5/1M + 200 * 10/1M = $0.0045.

interface Setup {
  runtime: LlmCostRuntime;
  reader: CollectingReader;
  tracerProvider: TracerProvider;
  meterProvider: MeterProvider;
  // biome-ignore lint/suspicious/noExplicitAny: a copy of the openai client, loaded by name
  client: any;
}

let h: Harness;
const setups: Setup[] = [];

/**
 * A runtime, its producer on a reader, and an instrumented copy of the openai client (one copy per setup: a copy is
 * patched once); the meter provider is set on the instrumentation too.
 */
function setup(temporality: AggregationTemporality, copy: 'openai-v4' | 'openai-v5' | 'openai-v6'): Setup {
  const runtime = createLlmCostRuntime({ environment: 'own' });
  const producer = new LlmCostMetricProducer({ runtime, aggregationTemporalitySelector: () => temporality });
  const reader = new CollectingReader({ metricProducers: [producer] });
  const meterProvider = new MeterProvider({ readers: [reader] });
  const tracerProvider = new TracerProvider({
    spanProcessors: [
      new LlmCostSpanProcessor({ runtime }),
      new SimpleSpanProcessor({ exporter: new InMemorySpanExporter() }),
    ],
  });
  const instrumentation = new OpenAIInstrumentation({ runtime, enabled: false });
  instrumentation.setTracerProvider(tracerProvider);
  // Set on purpose: with a producer the instruments of this meter must stay empty (nothing counted twice).
  instrumentation.setMeterProvider(meterProvider);
  const openai = h.require(copy);
  instrumentation.manuallyInstrument(openai);
  const client = new openai.OpenAI({ apiKey: 'sk-test', baseURL: h.sim.openaiBaseURL, maxRetries: 0 });
  const s = { runtime, reader, tracerProvider, meterProvider, client };
  setups.push(s);
  return s;
}

const messages = [{ role: 'user' as const, content: 'hi' }];
const chat = (s: Setup, feature: string) =>
  withAttribution({ feature }, () => s.client.chat.completions.create({ model: 'gpt-4o', messages }));

async function metricsOf(s: Setup): Promise<MetricData[]> {
  const { resourceMetrics, errors } = await s.reader.collect();
  expect(errors).toEqual([]);
  return resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics);
}

function points(metrics: MetricData[], name: string, match: Attributes) {
  const found = metrics.filter((m) => m.descriptor.name === name);
  // One metric per name: the producer's, never a second one from the meter's instruments.
  expect(found.length, name).toBeLessThanOrEqual(1);
  return (found[0]?.dataPoints ?? []).filter((p) =>
    Object.entries(match).every(([k, v]) => (p.attributes as Attributes)[k] === v),
  );
}

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  for (const s of setups) {
    await Promise.all([s.tracerProvider.shutdown(), s.meterProvider.shutdown()]);
    s.runtime.close();
  }
  await h.close();
});
beforeEach(() => {
  h.sim.reset();
  h.sim.setHandler(() => ({ usage: { inputTokens: 1000, outputTokens: 200 } }));
});

describe('LlmCostMetricProducer', () => {
  it('exports cumulative sums and histograms with the contract names, labels and buckets', async () => {
    const s = setup(AggregationTemporality.CUMULATIVE, 'openai-v6');
    for (let i = 0; i < 3; i++) await chat(s, 'search');
    await chat(s, 'summary');

    let metrics = await metricsOf(s);
    const cost = points(metrics, 'llmcost.cost', { 'app.feature': 'search' });
    expect(cost).toHaveLength(1);
    expect(cost[0]?.value).toBeCloseTo(3 * 0.0045, 12);
    expect(cost[0]?.attributes).toMatchObject({
      'gen_ai.provider.name': 'openai',
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o',
      'deployment.environment.name': 'own',
      'llmcost.cost.source': 'pricing_data',
    });
    expect(points(metrics, 'llmcost.cost', { 'app.feature': 'summary' })[0]?.value).toBeCloseTo(0.0045, 12);
    expect(
      points(metrics, 'llmcost.tokens', { 'app.feature': 'search', 'llmcost.token_type': 'input' })[0]?.value,
    ).toBe(3000);
    expect(
      points(metrics, 'llmcost.tokens', { 'app.feature': 'search', 'llmcost.token_type': 'output' })[0]?.value,
    ).toBe(600);

    // 1000 input tokens fall in the token-usage bucket (256, 1024]: index 6 of the contract's boundaries.
    const usage = points(metrics, 'gen_ai.client.token.usage', {
      'app.feature': 'search',
      'gen_ai.token.type': 'input',
    });
    const u = usage[0]?.value as Histogram;
    expect(u.count).toBe(3);
    expect(u.sum).toBe(3000);
    expect(u.min).toBe(1000);
    expect(u.max).toBe(1000);
    expect(u.buckets.boundaries).toEqual([
      1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
    ]);
    expect(u.buckets.counts[5]).toBe(3);
    expect(u.buckets.counts.reduce((a, b) => a + b, 0)).toBe(3);
    // $0.0045 falls in the request-cost bucket (0.001, 0.005].
    const rc = points(metrics, 'llmcost.request.cost', { 'app.feature': 'search' })[0]?.value as Histogram;
    expect(rc.count).toBe(3);
    expect(rc.buckets.counts[rc.buckets.boundaries.indexOf(0.005)]).toBe(3);
    const duration = points(metrics, 'gen_ai.client.operation.duration', { 'app.feature': 'search' });
    expect(duration).toHaveLength(1);
    expect((duration[0]?.value as Histogram | undefined)?.count).toBe(3);
    const metric = metrics.find((m) => m.descriptor.name === 'llmcost.cost');
    expect(metric?.dataPointType).toBe(DataPointType.SUM);
    expect(metric?.aggregationTemporality).toBe(AggregationTemporality.CUMULATIVE);
    expect(metric?.descriptor.unit).toBe('USD');

    // Cumulative: the next collection adds to the same series, from the same start time.
    const start = cost[0]?.startTime;
    await chat(s, 'search');
    metrics = await metricsOf(s);
    const again = points(metrics, 'llmcost.cost', { 'app.feature': 'search' });
    expect(again[0]?.value).toBeCloseTo(4 * 0.0045, 12);
    expect(again[0]?.startTime).toEqual(start);
  });

  it('exports deltas between collections when the exporter wants delta temporality', async () => {
    const s = setup(AggregationTemporality.DELTA, 'openai-v5');
    await chat(s, 'search');
    await chat(s, 'search');
    await chat(s, 'summary');
    let metrics = await metricsOf(s);
    expect(points(metrics, 'llmcost.cost', { 'app.feature': 'search' })[0]?.value).toBeCloseTo(0.009, 12);
    const first = points(metrics, 'llmcost.cost', { 'app.feature': 'search' })[0]?.endTime;

    await chat(s, 'search');
    metrics = await metricsOf(s);
    const cost = points(metrics, 'llmcost.cost', { 'app.feature': 'search' });
    expect(cost[0]?.value).toBeCloseTo(0.0045, 12);
    expect(cost[0]?.startTime).toEqual(first);
    expect(metrics.find((m) => m.descriptor.name === 'llmcost.cost')?.aggregationTemporality).toBe(
      AggregationTemporality.DELTA,
    );
    // No call of `summary` since the last collection: no point.
    expect(points(metrics, 'llmcost.cost', { 'app.feature': 'summary' })).toHaveLength(0);
    const usage = points(metrics, 'gen_ai.client.token.usage', {
      'app.feature': 'search',
      'gen_ai.token.type': 'output',
    });
    const u = usage[0]?.value as Histogram;
    expect(u.count).toBe(1);
    expect(u.sum).toBe(200);
    expect(u.buckets.counts.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('counts a failed call once, with its error type on the duration', async () => {
    const s = setup(AggregationTemporality.CUMULATIVE, 'openai-v4');
    h.sim.setHandler(() => ({ status: 400 }));
    await expect(chat(s, 'broken')).rejects.toThrow();
    const metrics = await metricsOf(s);
    const duration = points(metrics, 'gen_ai.client.operation.duration', { 'app.feature': 'broken' });
    expect(duration).toHaveLength(1);
    expect(duration[0]?.attributes['error.type']).toBe('BadRequestError');
    expect(points(metrics, 'llmcost.cost', { 'app.feature': 'broken' })).toHaveLength(0);
  });
});

describe('AggregatedMetrics', () => {
  it('keeps one series per label set whatever the order of its keys', () => {
    const m = new AggregatedMetrics({ name: 'test' });
    const a = m.series({ a: '1', b: 2 });
    expect(m.series({ b: 2, a: '1' })).toBe(a);
    expect(m.series({ a: '1', b: '2' })).not.toBe(a);
    expect(m.table.size).toBe(2);
  });

  it('puts series past the limit into one overflow series', () => {
    const m = new AggregatedMetrics({ name: 'test' });
    for (let i = 0; i < 2000; i++) m.series({ customer: `c${i}` });
    const over = m.series({ customer: 'c2000' });
    expect(m.series({ customer: 'c2001' })).toBe(over);
    expect(m.allSeries().at(-1)?.attributes).toEqual({ 'otel.metric.overflow': true });
  });
});
