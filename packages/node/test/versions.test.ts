import type OpenAIType from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LlmCostOptions, withAttribution } from '../src/index.js';
import { type Harness, startHarness } from './helpers/harness.js';

// The version dimension: service.version (a resource attribute, here from OTEL_RESOURCE_ATTRIBUTES as a deploy
// sets it) and the prompt or feature version (app.version, an attribution key) on every LLM metric.
let h: Harness;
let client: OpenAIType;
const BASE: LlmCostOptions = { environment: 'test' };

beforeAll(async () => {
  process.env.OTEL_RESOURCE_ATTRIBUTES = 'team.owner=ml,service.version=2.3.1';
  try {
    h = await startHarness(BASE);
  } finally {
    delete process.env.OTEL_RESOURCE_ATTRIBUTES;
  }
  const { OpenAI } = h.require('openai') as typeof import('openai');
  client = new OpenAI({ apiKey: 'sk-test', baseURL: h.sim.openaiBaseURL, maxRetries: 0 });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
  h.useRuntime();
  // gpt-4o: $2.50 in / $10 out per 1M tokens: 1000 * 2.5/M + 200 * 10/M = 0.0045 per call
  h.sim.setHandler(() => ({ usage: { inputTokens: 1000, outputTokens: 200 } }));
});

const chat = () => client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
const METRICS = [
  'llmcost.cost',
  'llmcost.request.cost',
  'llmcost.tokens',
  'gen_ai.client.token.usage',
  'gen_ai.client.operation.duration',
];

describe('version labels', () => {
  it('puts service.version (from the resource) and app.version (from the scope) on every LLM metric', async () => {
    await withAttribution({ feature: 'v1', version: 'prompt-v7' }, async () => {
      await chat();
      await chat();
    });
    await h.flush();
    for (const name of METRICS) {
      const points = h.points(name, { 'app.feature': 'v1' });
      expect(points.length, name).toBeGreaterThan(0);
      for (const p of points) {
        expect(p.attributes['service.version'], name).toBe('2.3.1');
        expect(p.attributes['app.version'], name).toBe('prompt-v7');
      }
    }
    expect(h.points('llmcost.cost', { 'app.feature': 'v1' })[0]?.value).toBeCloseTo(0.009, 12);
    const span = h.llmSpans().find((s) => s.attributes['app.feature'] === 'v1');
    expect(span?.attributes['app.version']).toBe('prompt-v7');
    expect(span?.resource['service.version']).toBe('2.3.1');
  });

  it('inherits app.version from a parent span, and spend splits by version', async () => {
    const { trace } = await import('@opentelemetry/api');
    const tracer = trace.getTracer('test');
    for (const version of ['a', 'b', 'b']) {
      await tracer.startActiveSpan('handler', async (span) => {
        span.setAttribute('app.version', version);
        await withAttribution({ feature: 'v2' }, () => chat());
        span.end();
      });
    }
    await h.flush();
    const byVersion = Object.fromEntries(
      h.points('llmcost.cost', { 'app.feature': 'v2' }).map((p) => [p.attributes['app.version'], p.value]),
    );
    expect(Object.keys(byVersion).sort()).toEqual(['a', 'b']);
    expect(byVersion.a).toBeCloseTo(0.0045, 12);
    expect(byVersion.b).toBeCloseTo(0.009, 12);
  });

  it('takes the version key from attribution.keys.version and serviceVersion from the options', async () => {
    h.useRuntime({ ...BASE, serviceVersion: '3.0.0', attribution: { keys: { version: 'prompt.version' } } });
    await withAttribution({ feature: 'v3', version: 'p2' }, () => chat());
    await h.flush();
    const [cost] = h.points('llmcost.cost', { 'app.feature': 'v3' });
    expect(cost?.attributes).toMatchObject({ 'prompt.version': 'p2', 'service.version': '3.0.0' });
    expect(cost?.attributes).not.toHaveProperty('app.version');
  });

  it('caps the version label like every label: new versions past the limit are __overflow__', async () => {
    h.useRuntime({ ...BASE, metrics: { cardinalityLimit: 2 } });
    for (const version of ['v1', 'v2', 'v3', 'v4']) await withAttribution({ feature: 'v4', version }, () => chat());
    await h.flush();
    const versions = h.points('llmcost.cost', { 'app.feature': 'v4' }).map((p) => p.attributes['app.version']);
    expect(versions.sort()).toEqual(['__overflow__', 'v1', 'v2']);
    expect(h.points('llmcost.cost', { 'app.feature': 'v4', 'app.version': '__overflow__' })[0]?.value).toBeCloseTo(
      0.009,
      12,
    );
  });

  it('adds no version label when none is set', async () => {
    h.useRuntime(BASE);
    await withAttribution({ feature: 'v5' }, () => chat());
    await h.flush();
    const [cost] = h.points('llmcost.cost', { 'app.feature': 'v5' });
    expect(cost?.attributes).not.toHaveProperty('app.version');
    expect(cost?.attributes).not.toHaveProperty('service.version');
  });
});
