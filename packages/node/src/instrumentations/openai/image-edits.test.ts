import type OpenAIType from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../../test/helpers/harness.js';

// images.edit and images.createVariation (multipart) with the real openai 7 client over HTTP to the simulator.
// Expected costs by hand from the price data (packages/pricing/data/genai-prices.json, genai-prices 0.2.3):
// gpt-image-1: text input 5, image input 10, output 40 $/M tokens. dall-e-2 has no price per image in the data.

let h: Harness;
let client: OpenAIType;
let toFile: typeof import('openai').toFile;

beforeAll(async () => {
  h = await startHarness();
  const mod = h.require('openai') as typeof import('openai');
  toFile = mod.toFile;
  client = new mod.OpenAI({ apiKey: 'sk-test', baseURL: h.sim.openaiBaseURL, maxRetries: 0 });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
  h.receiver.reset();
});

const png = () => toFile(Buffer.from('not really a png'), 'cat.png', { type: 'image/png' });

describe('images.edit and images.createVariation', () => {
  it('prices a gpt-image-1 edit from its token usage', async () => {
    h.sim.script({ usage: { inputTokens: 500, inputImageTokens: 400, outputTokens: 1000 } });
    const r = await client.images.edit({ model: 'gpt-image-1', image: await png(), prompt: 'add a hat' });
    expect(r.data?.[0]?.b64_json).toBeDefined();
    expect(h.sim.requests[0]?.body.image.filename).toBe('cat.png');
    const span = await h.onlySpan();
    expect(span.name).toBe('image_generation gpt-image-1');
    expect(span.attributes['gen_ai.usage.input_tokens']).toBe(500);
    // text 100 * 5/M = 0.0005; image 400 * 10/M = 0.004; output 1000 * 40/M = 0.04 -> 0.0445
    expect(span.attributes['gen_ai.usage.cost']).toBe(0.0445);
  });

  it('dall-e-2 variations report no usage, only images (billed per image): unpriced unsupported_usage, never 0', async () => {
    h.sim.script({ omitUsage: true });
    const r = await client.images.createVariation({ model: 'dall-e-2', image: await png(), n: 2 });
    expect(r.data).toHaveLength(2);
    const span = await h.onlySpan();
    expect(span.name).toBe('image_generation dall-e-2');
    expect(span.attributes['gen_ai.request.image.count']).toBe(2);
    expect(span.attributes['llmcost.usage.images']).toBe(2);
    expect(span.attributes['gen_ai.usage.cost']).toBeUndefined();
    expect(span.attributes['llmcost.unpriced.reason']).toBe('unsupported_usage');
  });
});
