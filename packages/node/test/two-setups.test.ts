import type { AttributeValue } from '@opentelemetry/api';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AttributionError,
  createLlmCostRuntime,
  getAttribution,
  type LlmCostRuntime,
  LlmCostSpanProcessor,
  OpenAIInstrumentation,
  withAttribution,
} from '../src/index.js';
import { CollectingReader } from './helpers/collecting-reader.js';
import { type Harness, startHarness } from './helpers/harness.js';

// Two independent setups in one process, each with its own runtime, tracer provider, span processors and
// meter provider: setup A is init() (the harness: `openai` patched by the require hook, exported over OTLP),
// setup B an app's own pipeline around a second copy of the client (`openai-v6`, patched manually). Different
// strict mode, cardinality limit, price overrides, environment, attribution key and warning sink: each call
// must see only its own setup's options.

interface Point {
  name: string;
  attributes: Record<string, AttributeValue | undefined>;
  value: unknown;
}

const prices = (inputMtok: number) => ({ models: [{ model: 'house-llm', prices: { input_mtok: inputMtok } }] });
const messages = [{ role: 'user' as const, content: 'hi' }];

let h: Harness;
// biome-ignore lint/suspicious/noExplicitAny: openai 7 (A) and openai 6 (B) have their own types
let clientA: any;
// biome-ignore lint/suspicious/noExplicitAny: as above
let clientB: any;
let runtimeB: LlmCostRuntime;
const warningsB: string[] = [];
const spansB = new InMemorySpanExporter();
const readerB = new CollectingReader();
let tracerProviderB: TracerProvider;
let meterProviderB: MeterProvider;

/** B's LLM spans ended so far. */
async function llmSpansB() {
  await tracerProviderB.forceFlush();
  return spansB.getFinishedSpans().filter((s) => s.attributes['gen_ai.operation.name'] !== undefined);
}

async function pointsB(name: string): Promise<Point[]> {
  const { resourceMetrics } = await readerB.collect();
  const out: Point[] = [];
  for (const scope of resourceMetrics.scopeMetrics)
    for (const metric of scope.metrics)
      if (metric.descriptor.name === name)
        for (const p of metric.dataPoints) out.push({ name, attributes: p.attributes, value: p.value });
  return out;
}

beforeAll(async () => {
  h = await startHarness({
    environment: 'env-a',
    strict: { mode: 'throw', required: ['feature'] },
    metrics: { cardinalityLimit: 1 },
    priceOverrides: prices(0.4),
  });
  const { OpenAI } = h.require('openai') as typeof import('openai');
  clientA = new OpenAI({ apiKey: 'sk-test', baseURL: h.sim.openaiBaseURL, maxRetries: 0 });

  runtimeB = createLlmCostRuntime({
    environment: 'env-b',
    strict: { mode: 'count', required: ['feature'] },
    attribution: { keys: { feature: 'b.feature' } },
    priceOverrides: prices(0.9),
    onWarning: (m) => warningsB.push(m),
  });
  tracerProviderB = new TracerProvider({
    spanProcessors: [new LlmCostSpanProcessor({ runtime: runtimeB }), new SimpleSpanProcessor({ exporter: spansB })],
  });
  meterProviderB = new MeterProvider({ readers: [readerB] });
  // enabled: false: no require hook of its own (A's instrumentation owns `openai`); the copy is patched by hand.
  const instrumentationB = new OpenAIInstrumentation({ runtime: runtimeB, enabled: false });
  instrumentationB.setTracerProvider(tracerProviderB);
  instrumentationB.setMeterProvider(meterProviderB);
  const v6 = h.require('openai-v6');
  instrumentationB.manuallyInstrument(v6);
  clientB = new v6.OpenAI({ apiKey: 'sk-test', baseURL: h.sim.openaiBaseURL, maxRetries: 0 });
});

afterAll(async () => {
  await Promise.all([tracerProviderB.shutdown(), meterProviderB.shutdown()]);
  runtimeB.close();
  await h.close();
});

beforeEach(() => {
  h.sim.reset();
  h.sim.setHandler(() => ({ usage: { inputTokens: 1_000_000, outputTokens: 0 } }));
});

describe('two setups in one process', () => {
  it('each prices with its own overrides and labels with its own environment and attribution key', async () => {
    await withAttribution({ feature: 'f1' }, async () => {
      await clientA.chat.completions.create({ model: 'house-llm', messages });
      await clientB.chat.completions.create({ model: 'house-llm', messages });
    });
    await h.flush();

    const [spanA] = h.llmSpans();
    expect(h.llmSpans()).toHaveLength(1);
    expect(spanA?.attributes['gen_ai.usage.cost']).toBe(0.4);
    expect(spanA?.attributes['app.feature']).toBe('f1');
    expect(spanA?.attributes['b.feature']).toBeUndefined();

    const llmB = await llmSpansB();
    expect(llmB).toHaveLength(1);
    expect(llmB[0]?.attributes['gen_ai.usage.cost']).toBe(0.9);
    expect(llmB[0]?.attributes['b.feature']).toBe('f1');
    expect(llmB[0]?.attributes['app.feature']).toBeUndefined();

    const costA = h.points('llmcost.cost', { 'app.feature': 'f1' });
    expect(costA).toHaveLength(1);
    expect(costA[0]?.attributes['deployment.environment.name']).toBe('env-a');
    const costB = await pointsB('llmcost.cost');
    expect(costB).toHaveLength(1);
    expect(costB[0]?.attributes).toMatchObject({ 'deployment.environment.name': 'env-b', 'b.feature': 'f1' });
    expect(costB[0]?.value).toBe(0.9);
  });

  it('each keeps its own strict mode: A throws before sending, B counts and lets the call through', async () => {
    const error = await (async () => clientA.chat.completions.create({ model: 'house-llm', messages }))().catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AttributionError);
    expect(h.sim.requests).toHaveLength(0);

    await clientB.chat.completions.create({ model: 'house-llm', messages });
    expect(h.sim.requests).toHaveLength(1);
    const missing = await pointsB('llmcost.attribution.missing');
    expect(missing).toHaveLength(1);
    expect(missing[0]?.attributes['llmcost.dimension']).toBe('b.feature');
  });

  it('each caps label cardinality with its own limit', async () => {
    for (const feature of ['c1', 'c2', 'c3']) {
      await withAttribution({ feature, team: 'cap' }, async () => {
        await clientA.chat.completions.create({ model: 'house-llm', messages });
        await clientB.chat.completions.create({ model: 'house-llm', messages });
      });
    }
    await h.flush();
    // A: limit 1, and f1 from the first test took the one place for app.feature.
    const featuresA = h.points('llmcost.cost', { 'app.team': 'cap' }).map((p) => p.attributes['app.feature']);
    expect(featuresA).toEqual(['__overflow__']);
    const featuresB = (await pointsB('llmcost.cost'))
      .filter((p) => p.attributes['app.team'] === 'cap')
      .map((p) => p.attributes['b.feature'])
      .sort();
    expect(featuresB).toEqual(['c1', 'c2', 'c3']);
  });

  it('each reports its own warnings to its own sink, and failed calls to its own spans', async () => {
    await withAttribution({ feature: 'w' }, async () => {
      await clientA.chat.completions.create({ model: 'mystery-model-a', messages });
      await clientB.chat.completions.create({ model: 'mystery-model-b', messages });
    });
    expect(h.warnings.some((m) => m.includes('mystery-model-a'))).toBe(true);
    expect(h.warnings.some((m) => m.includes('mystery-model-b'))).toBe(false);
    expect(warningsB.some((m) => m.includes('mystery-model-b'))).toBe(true);
    expect(warningsB.some((m) => m.includes('mystery-model-a'))).toBe(false);

    h.sim.setHandler(() => ({ status: 500 }));
    await Promise.all([h.flush(), tracerProviderB.forceFlush()]);
    spansB.reset();
    h.receiver.reset();
    await withAttribution({ feature: 'w' }, async () => {
      await expect(clientA.chat.completions.create({ model: 'house-llm', messages })).rejects.toThrow();
      await expect(clientB.chat.completions.create({ model: 'house-llm', messages })).rejects.toThrow();
    });
    await h.flush();
    expect(h.llmSpans().map((s) => s.attributes['error.type'])).toEqual(['InternalServerError']);
    const failedB = await llmSpansB();
    expect(failedB.map((s) => s.attributes['error.type'])).toEqual(['InternalServerError']);
  });

  it("a processor or instrumentation built without a runtime joins init()'s setup, not the other", async () => {
    expect(new LlmCostSpanProcessor().runtime).toBe(h.otel.runtime);
    await withAttribution({ feature: 'f-join' }, async () => {
      expect(getAttribution()).toEqual({ 'app.feature': 'f-join' });
      expect(getAttribution(runtimeB)).toEqual({ 'b.feature': 'f-join' });
    });
  });

  it('a span processor built from options changes no other setup: each call keeps its own options', async () => {
    const other = new LlmCostSpanProcessor({
      environment: 'env-other',
      strict: { mode: 'throw', required: ['team'] },
      priceOverrides: prices(5),
    });
    expect(other.runtime).not.toBe(h.otel.runtime);
    expect(other.runtime).not.toBe(runtimeB);
    await Promise.all([h.flush(), tracerProviderB.forceFlush()]);
    h.receiver.reset();
    spansB.reset();
    // No team: only `other` would throw.
    await withAttribution({ feature: 'f1' }, async () => {
      await clientA.chat.completions.create({ model: 'house-llm', messages });
      await clientB.chat.completions.create({ model: 'house-llm', messages });
    });
    await h.flush();
    expect(h.llmSpans().map((s) => s.attributes['gen_ai.usage.cost'])).toEqual([0.4]);
    expect((await llmSpansB()).map((s) => s.attributes['gen_ai.usage.cost'])).toEqual([0.9]);
    other.runtime.close();
  });
});
