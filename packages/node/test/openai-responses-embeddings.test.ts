import type OpenAIType from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './helpers/harness.js';

// Hand-computed from list prices (USD per 1M tokens): o3 input 2.00, output 8.00;
// gpt-4o-mini input 0.15, cached 0.075, output 0.60; text-embedding-3-small 0.02; gpt-image-1 below.

let h: Harness;
let client: OpenAIType;

beforeAll(async () => {
  h = await startHarness();
  const { OpenAI } = h.require('openai') as typeof import('openai');
  client = new OpenAI({ apiKey: 'sk-test', baseURL: h.sim.openaiBaseURL });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
  h.receiver.reset();
});

describe('Responses API', () => {
  it('prices a plain response with reasoning tokens', async () => {
    h.sim.script({ usage: { inputTokens: 1000, outputTokens: 3000, reasoningTokens: 2500 } });
    const r = await client.responses.create({ model: 'o3', input: 'think' });
    expect(r.output_text).toBe('Hello from the simulator.');
    await h.flush();
    const [span] = h.llmSpans();
    expect(span?.name).toBe('chat o3');
    expect(span?.attributes['gen_ai.usage.reasoning.output_tokens']).toBe(2500);
    expect(span?.attributes['gen_ai.response.id']).toMatch(/^resp_/);
    // 1000 * 2/M + 3000 * 8/M = 0.002 + 0.024
    expect(span?.attributes['gen_ai.usage.cost']).toBe(0.026);
  });

  it('prices a streamed response from response.completed', async () => {
    h.sim.script({ content: ['a', 'b'], usage: { inputTokens: 10000, cachedTokens: 8000, outputTokens: 500 } });
    const stream = await client.responses.create({ model: 'gpt-4o-mini', input: 'hi', stream: true });
    const types: string[] = [];
    for await (const e of stream) types.push(e.type);
    expect(types[0]).toBe('response.created');
    expect(types.at(-1)).toBe('response.completed');
    await h.flush();
    const [span] = h.llmSpans();
    // 2000 * 0.15/M + 8000 * 0.075/M = 0.0003 + 0.0006; 500 * 0.6/M = 0.0003
    expect(span?.attributes['gen_ai.usage.cost']).toBe(0.0012);
    expect(span?.attributes['gen_ai.usage.cache_read.input_tokens']).toBe(8000);
    const savings = h.points('llmcost.cache.savings', { 'gen_ai.request.model': 'gpt-4o-mini' });
    // 8000 cached tokens at (0.15 - 0.075)/M
    expect(savings[0]?.value).toBeCloseTo(0.0006, 12);
  });

  it('keeps responses.stream() helpers working and marks a stream left early as partial', async () => {
    h.sim.script({ content: ['x', 'y'], usage: { inputTokens: 100, outputTokens: 2 } });
    const helper = client.responses.stream({ model: 'gpt-4o-mini', input: 'hi' });
    const final = await helper.finalResponse();
    expect(final.usage?.input_tokens).toBe(100);
    h.sim.script({ content: ['x', 'y', 'z'] });
    const stream = await client.responses.create({ model: 'gpt-4o-mini', input: 'hi', stream: true });
    for await (const _ of stream) break;
    await h.flush();
    const [done, left] = h.llmSpans();
    expect(done?.attributes['gen_ai.usage.input_tokens']).toBe(100);
    expect(left?.attributes['llmcost.cost.partial']).toBe(true);
    expect(left?.attributes['gen_ai.usage.cost']).toBeUndefined();
  });
});

describe('embeddings', () => {
  it('records an embeddings span priced on input tokens', async () => {
    h.sim.script({ usage: { inputTokens: 5000 } });
    const r = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'] });
    expect(r.data).toHaveLength(2);
    expect(r.data[0]?.embedding).toHaveLength(4);
    await h.flush();
    const [span] = h.llmSpans();
    expect(span?.name).toBe('embeddings text-embedding-3-small');
    expect(span?.attributes['gen_ai.operation.name']).toBe('embeddings');
    expect(span?.attributes['gen_ai.usage.input_tokens']).toBe(5000);
    expect(span?.attributes['gen_ai.usage.output_tokens']).toBe(0);
    // 5000 * 0.02/M
    expect(span?.attributes['gen_ai.usage.cost']).toBe(0.0001);
  });
});

describe('images', () => {
  it('prices token-priced image generation (gpt-image-1) and marks per-image models without usage unpriced', async () => {
    h.sim.script({ usage: { inputTokens: 50, outputTokens: 4160 } }, { omitUsage: true });
    const r = await client.images.generate({ model: 'gpt-image-1', prompt: 'a cat', size: '1024x1024' });
    expect(r.data?.[0]?.b64_json).toBeDefined();
    await client.images.generate({ model: 'dall-e-3', prompt: 'a dog' });
    await h.flush();
    const [token, perImage] = h.llmSpans();
    expect(token?.name).toBe('image_generation gpt-image-1');
    expect(token?.attributes['gen_ai.operation.name']).toBe('image_generation');
    // gpt-image-1: text input 5.00/M, image output 40.00/M -> 50 * 5/M + 4160 * 40/M = 0.00025 + 0.1664
    expect(token?.attributes['gen_ai.usage.cost']).toBe(0.16665);
    // dall-e-3 is billed per image, a unit genai-prices has none for: the count is on the span, never a 0 cost.
    expect(token?.attributes['llmcost.usage.images']).toBe(1);
    expect(perImage?.attributes['llmcost.usage.images']).toBe(1);
    expect(perImage?.attributes['gen_ai.usage.cost']).toBeUndefined();
    expect(perImage?.attributes['llmcost.unpriced.reason']).toBe('unsupported_usage');
  });
});
