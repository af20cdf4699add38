import type OpenAIType from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LlmCostOptions, withAttribution } from '../src/index.js';
import { type Harness, startHarness } from './helpers/harness.js';

let h: Harness;
let client: OpenAIType;
const BASE: LlmCostOptions = { environment: 'test' };

beforeAll(async () => {
  h = await startHarness(BASE);
  const { OpenAI } = h.require('openai') as typeof import('openai');
  client = new OpenAI({ apiKey: 'sk-test', baseURL: h.sim.openaiBaseURL, maxRetries: 0 });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
  h.useRuntime(BASE);
});

const chat = (model = 'gpt-4o') =>
  client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hi' }] });

describe('metrics', () => {
  it('records cost, request cost (LLM buckets), tokens and semconv histograms with the contract labels', async () => {
    h.sim.script(
      { usage: { inputTokens: 1000, cachedTokens: 400, outputTokens: 200 } },
      { usage: { inputTokens: 1000, outputTokens: 0 } },
    );
    await withAttribution({ feature: 'm1', team: 'core', customerId: 'acme', userId: 'u1' }, async () => {
      await chat();
      await chat();
    });
    await h.flush();
    const labels = {
      'gen_ai.provider.name': 'openai',
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o',
      'deployment.environment.name': 'test',
      'app.feature': 'm1',
      'app.team': 'core',
      'app.customer.id': 'acme',
    };
    const cost = h.points('llmcost.cost', { 'app.feature': 'm1' });
    expect(cost).toHaveLength(1);
    expect(cost[0]?.attributes).toEqual({ ...labels, 'llmcost.cost.source': 'pricing_data' });
    expect(cost[0]?.unit).toBe('USD');
    expect(cost[0]?.type).toBe('sum');
    // 0.004 (see chat tests) + 1000 * 2.5/M
    expect(cost[0]?.value).toBeCloseTo(0.0065, 12);
    expect(cost[0]?.resource['service.name']).toBe('harness-app');

    const hist = h.points('llmcost.request.cost', { 'app.feature': 'm1' });
    expect(hist[0]?.attributes).toEqual(labels);
    expect(hist[0]?.bounds).toEqual([1e-6, 5e-6, 1e-5, 5e-5, 1e-4, 5e-4, 1e-3, 5e-3, 0.01, 0.05, 0.1, 0.5, 1, 5, 10]);
    expect(hist[0]?.count).toBe(2);
    // 0.004 in (1e-3, 5e-3], 0.0025 in (1e-3, 5e-3]
    expect(hist[0]?.bucketCounts?.[7]).toBe(2);

    const tokens = Object.fromEntries(
      h.points('llmcost.tokens', { 'app.feature': 'm1' }).map((p) => [p.attributes['llmcost.token_type'], p.value]),
    );
    expect(tokens).toEqual({ input: 2000, output: 200, cache_read: 400 });

    const usage = h.points('gen_ai.client.token.usage', { 'app.feature': 'm1' });
    expect(usage.map((p) => p.attributes['gen_ai.token.type']).sort()).toEqual(['input', 'output']);
    expect(usage.find((p) => p.attributes['gen_ai.token.type'] === 'input')?.sum).toBe(2000);
    const duration = h.points('gen_ai.client.operation.duration', { 'app.feature': 'm1' });
    expect(duration[0]?.unit).toBe('s');
    expect(duration[0]?.count).toBe(2);
    expect(h.points('llmcost.cache.savings', { 'app.feature': 'm1' })[0]?.value).toBeCloseTo(0.0005, 12);
  });

  it('labels failed calls with error.type on duration only', async () => {
    h.sim.script({ status: 500 });
    await withAttribution({ feature: 'm-err' }, () => chat()).catch(() => {});
    await h.flush();
    const duration = h.points('gen_ai.client.operation.duration', { 'app.feature': 'm-err' });
    expect(duration[0]?.attributes['error.type']).toBe('InternalServerError');
    expect(h.points('llmcost.cost', { 'app.feature': 'm-err' })).toHaveLength(0);
  });

  it('caps label cardinality with __overflow__', async () => {
    h.useRuntime({ ...BASE, metrics: { cardinalityLimit: 2 } });
    h.sim.setHandler(() => ({ usage: { inputTokens: 100, outputTokens: 10 } }));
    // c1 and c3 come back after the cap was reached: c1 keeps its own series, c3 stays in __overflow__ (the
    // series a call goes to is remembered by its raw labels, so the second time takes the remembered one).
    for (const f of ['c1', 'c2', 'c3', 'c4', 'c1', 'c3'])
      await withAttribution({ feature: f, team: 'cap' }, () => chat());
    await h.flush();
    const features = h.points('llmcost.cost', { 'app.team': 'cap' }).map((p) => p.attributes['app.feature']);
    expect(features.sort()).toEqual(['__overflow__', 'c1', 'c2']);
    // one call: 100 * 2.5/M + 10 * 10/M = $0.00035
    const cost = (feature: string) => h.points('llmcost.cost', { 'app.team': 'cap', 'app.feature': feature })[0]?.value;
    expect(cost('c1')).toBeCloseTo(0.0007, 12); // two calls
    expect(cost('c2')).toBeCloseTo(0.00035, 12);
    expect(cost('__overflow__')).toBeCloseTo(0.00105, 12); // c3, c4, c3
  });

  it('puts user.id on metric labels only by opt-in', async () => {
    h.useRuntime({ ...BASE, metrics: { includeUserId: true } });
    await withAttribution({ feature: 'optin', userId: 'u-42' }, () => chat());
    await h.flush();
    expect(h.points('llmcost.cost', { 'app.feature': 'optin' })[0]?.attributes['user.id']).toBe('u-42');
  });
});
