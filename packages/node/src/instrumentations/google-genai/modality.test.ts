import type { GoogleGenAI as GoogleGenAIType } from '@google/genai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../../test/helpers/harness.js';

// usageMetadata's per-modality breakdowns (promptTokensDetails, cacheTokensDetails, candidatesTokensDetails) and
// the served tier, with @google/genai 3.1 over HTTP to the simulator. Expected costs by hand from the price data
// (genai-prices 0.2.3), USD per 1M tokens:
// - gemini-2.5-flash: text input 0.30, cached text 0.03, audio input 1.00, cached audio 0.10, output 2.50.
// - gemini-2.5-flash-image: input 0.30, text output 2.50, image output 30.

let h: Harness;
let client: GoogleGenAIType;
let vertex: GoogleGenAIType;

beforeAll(async () => {
  h = await startHarness();
  const { GoogleGenAI } = h.require('@google/genai') as typeof import('@google/genai');
  client = new GoogleGenAI({ apiKey: 'test-key', httpOptions: { baseUrl: h.sim.url } });
  vertex = new GoogleGenAI({ vertexai: true, apiKey: 'test-key', httpOptions: { baseUrl: h.sim.url } });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
  h.receiver.reset();
});

const onlySpan = () => h.onlySpan();

describe('@google/genai modality tokens and tier', () => {
  it('audio input and cached audio are priced at the audio prices', async () => {
    h.sim.script({
      usage: {
        inputTokens: 10_000,
        inputAudioTokens: 4000,
        cachedTokens: 2000,
        cachedAudioTokens: 1000,
        outputTokens: 500,
      },
    });
    const r = await client.models.generateContent({ model: 'gemini-2.5-flash', contents: 'transcribe' });
    expect(r.usageMetadata?.promptTokensDetails).toEqual([
      { modality: 'TEXT', tokenCount: 6000 },
      { modality: 'AUDIO', tokenCount: 4000 },
    ]);
    const span = await onlySpan();
    expect(span.attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 10_000,
      'gen_ai.usage.cache_read.input_tokens': 2000,
      'llmcost.usage.audio.input_tokens': 4000,
      'llmcost.usage.cache_read_audio.input_tokens': 1000,
    });
    // input: text 10000 - 4000 audio - 1000 cached text = 5000 * 0.30 = 1500; cached text 1000 * 0.03 = 30;
    // audio 4000 - 1000 cached = 3000 * 1.00 = 3000; cached audio 1000 * 0.10 = 100 -> 4630/1M = 0.00463
    // output: 500 * 2.50/M = 0.00125
    expect(span.attributes['llmcost.cost.input']).toBe(0.00463);
    expect(span.attributes['llmcost.cost.output']).toBe(0.00125);
    expect(span.attributes['gen_ai.usage.cost']).toBe(0.00588);
  });

  it('image output (candidatesTokensDetails IMAGE) is priced at the image output price, also when streamed', async () => {
    h.sim.script({ content: ['a', 'b'], usage: { inputTokens: 100, outputTokens: 1300, outputImageTokens: 1290 } });
    const stream = await client.models.generateContentStream({ model: 'gemini-2.5-flash-image', contents: 'a cat' });
    for await (const _ of stream) {
    }
    const span = await onlySpan();
    expect(span.attributes['llmcost.usage.image.output_tokens']).toBe(1290);
    // input 100 * 0.30/M = 0.00003; output 10 text * 2.50/M + 1290 image * 30/M = 0.000025 + 0.0387 = 0.038725
    expect(span.attributes['llmcost.cost.output']).toBe(0.038725);
    expect(span.attributes['gen_ai.usage.cost']).toBe(0.038755);
  });

  it('a reported tier becomes the service_tier context: Gemini serviceTier, Vertex trafficType', async () => {
    h.sim.script(
      { serviceTier: 'priority', usage: { inputTokens: 1000, outputTokens: 100 } },
      { trafficType: 'ON_DEMAND_FLEX', usage: { inputTokens: 1000, outputTokens: 100 } },
      { trafficType: 'ON_DEMAND', usage: { inputTokens: 1000, outputTokens: 100 } },
    );
    await client.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' });
    await vertex.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' });
    await vertex.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' });
    await h.flush();
    const [gemini, flex, onDemand] = h.llmSpans();
    expect(gemini?.attributes['llmcost.price.context.service_tier']).toBe('priority');
    expect(flex?.attributes['gen_ai.provider.name']).toBe('gcp.vertex_ai');
    expect(flex?.attributes['llmcost.price.context.service_tier']).toBe('flex');
    expect(onDemand?.attributes['llmcost.price.context.service_tier']).toBeUndefined();
    // gemini-2.5-flash has no tier variants in the data: standard prices, 1000 * 0.30/M + 100 * 2.50/M
    for (const span of [gemini, flex, onDemand]) {
      expect(span?.attributes['llmcost.price.variant']).toBeUndefined();
      expect(span?.attributes['gen_ai.usage.cost']).toBe(0.00055);
    }
  });
});
