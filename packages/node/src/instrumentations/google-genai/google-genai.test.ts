import type { GoogleGenAI as GoogleGenAIType } from '@google/genai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../../test/helpers/harness.js';
import { withAttribution } from '../../index.js';

// Expected costs by hand from Google's list prices (USD per 1M tokens):
// gemini-2.5-pro: input 1.25 (<=200k) / 2.50 (>200k), cached input 0.125 / 0.25, output incl. thinking 10 / 15.
// gemini-2.5-flash: input 0.30, output incl. thinking 2.50. gemini-embedding-001: input 0.15.

let h: Harness;
let GoogleGenAI: typeof GoogleGenAIType;
let client: GoogleGenAIType;

beforeAll(async () => {
  // init() registers the @google/genai instrumentation by default.
  h = await startHarness();
  GoogleGenAI = (h.require('@google/genai') as typeof import('@google/genai')).GoogleGenAI;
  client = new GoogleGenAI({ apiKey: 'test-key', httpOptions: { baseUrl: h.sim.url } });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
  h.receiver.reset();
});

describe('@google/genai', () => {
  it('generateContent: output = candidates + thoughts, cached input priced apart', async () => {
    h.sim.script({ usage: { inputTokens: 10_000, cachedTokens: 4000, outputTokens: 2000, reasoningTokens: 1200 } });
    const r = await withAttribution({ feature: 'gem' }, () =>
      client.models.generateContent({
        model: 'gemini-2.5-pro',
        contents: 'hi',
        config: { maxOutputTokens: 3000, temperature: 0.1 },
      }),
    );
    expect(r.usageMetadata?.candidatesTokenCount).toBe(800);
    await h.flush();
    const spans = h.llmSpans();
    expect(spans).toHaveLength(1);
    const span = spans[0];
    expect(span?.name).toBe('generate_content gemini-2.5-pro');
    expect(span?.kind).toBe(3);
    expect(span?.attributes).toMatchObject({
      'gen_ai.provider.name': 'gcp.gemini',
      'gen_ai.operation.name': 'generate_content',
      'gen_ai.request.model': 'gemini-2.5-pro',
      'gen_ai.response.model': 'gemini-2.5-pro',
      'gen_ai.request.max_tokens': 3000,
      'gen_ai.request.temperature': 0.1,
      'gen_ai.usage.input_tokens': 10_000,
      'gen_ai.usage.output_tokens': 2000,
      'gen_ai.usage.cache_read.input_tokens': 4000,
      'gen_ai.usage.reasoning.output_tokens': 1200,
      'gen_ai.response.finish_reasons': ['STOP'],
      'llmcost.priced_by': 'sdk',
      'app.feature': 'gem',
    });
    // input 6000*1.25 + 4000*0.125 = 8000/1M = 0.008; output (800 + 1200)*10 = 0.02
    expect(span?.attributes['llmcost.cost.input']).toBe(0.008);
    expect(span?.attributes['llmcost.cost.output']).toBe(0.02);
    expect(span?.attributes['gen_ai.usage.cost']).toBe(0.028);
    expect(h.points('llmcost.cost', { 'app.feature': 'gem' })[0]?.value).toBeCloseTo(0.028, 12);
    const tokens = Object.fromEntries(
      h.points('llmcost.tokens', { 'app.feature': 'gem' }).map((p) => [p.attributes['llmcost.token_type'], p.value]),
    );
    expect(tokens).toEqual({ input: 10_000, output: 2000, cache_read: 4000, reasoning: 1200 });
  });

  it('re-prices every token of a request above 200k input tokens at the higher tier', async () => {
    h.sim.script({ usage: { inputTokens: 250_000, cachedTokens: 50_000, outputTokens: 1000, reasoningTokens: 400 } });
    await withAttribution({ feature: 'gem-tier' }, () =>
      client.models.generateContent({ model: 'gemini-2.5-pro', contents: 'long' }),
    );
    await h.flush();
    const [span] = h.llmSpans();
    // input 200000*2.50 + 50000*0.25 = 512500/1M = 0.5125; output 1000*15 = 0.015
    expect(span?.attributes['llmcost.cost.input']).toBe(0.5125);
    expect(span?.attributes['llmcost.cost.output']).toBe(0.015);
    expect(span?.attributes['gen_ai.usage.cost']).toBe(0.5275);
  });

  it('generateContentStream: priced from the final chunk usage; break ends the span as partial', async () => {
    h.sim.script(
      { content: ['a', 'b', 'c'], usage: { inputTokens: 1000, outputTokens: 500, reasoningTokens: 100 } },
      { content: ['a', 'b', 'c'], hangAfterChunks: 1, usage: { inputTokens: 1000, outputTokens: 500 } },
    );
    await withAttribution({ feature: 'gem-stream' }, async () => {
      const stream = await client.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'hi' });
      let text = '';
      for await (const chunk of stream) text += chunk.text ?? '';
      expect(text).toBe('abc');
    });
    await withAttribution({ feature: 'gem-break' }, async () => {
      const stream = await client.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'hi' });
      for await (const _chunk of stream) break;
    });
    await h.flush();
    const done = h.llmSpans().find((s) => s.attributes['app.feature'] === 'gem-stream');
    // 1000*0.30 = 0.0003; 500*2.50 = 0.00125
    expect(done?.attributes['gen_ai.usage.cost']).toBe(0.00155);
    expect(done?.attributes['gen_ai.usage.reasoning.output_tokens']).toBe(100);
    expect(done?.attributes['llmcost.cost.partial']).toBeUndefined();
    expect(h.points('gen_ai.client.operation.time_to_first_chunk', { 'app.feature': 'gem-stream' })[0]?.count).toBe(1);
    const cut = h.llmSpans().find((s) => s.attributes['app.feature'] === 'gem-break');
    expect(cut?.attributes['llmcost.cost.partial']).toBe(true);
    // the first chunk carried the prompt count: 1000*0.30
    expect(cut?.attributes['gen_ai.usage.cost']).toBe(0.0003);
  });

  it('embedContent is an embeddings call priced on input tokens', async () => {
    h.sim.script({ usage: { inputTokens: 1000 } });
    const r = await withAttribution({ feature: 'gem-embed' }, () =>
      client.models.embedContent({ model: 'gemini-embedding-001', contents: ['a', 'b'] }),
    );
    expect(r.embeddings).toHaveLength(2);
    await h.flush();
    const [span] = h.llmSpans();
    expect(span?.name).toBe('embeddings gemini-embedding-001');
    expect(span?.attributes['gen_ai.operation.name']).toBe('embeddings');
    // 1000*0.15
    expect(span?.attributes['gen_ai.usage.cost']).toBe(0.00015);
  });

  it('a Vertex AI client is gcp.vertex_ai; errors are rethrown unchanged and not priced', async () => {
    const vertex = new GoogleGenAI({ vertexai: true, apiKey: 'test-key', httpOptions: { baseUrl: h.sim.url } });
    h.sim.script({ usage: { inputTokens: 1000, outputTokens: 100 } }, { status: 400, errorMessage: 'bad' });
    await withAttribution({ feature: 'vertex' }, () =>
      vertex.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' }),
    );
    expect(h.sim.requests[0]?.path).toContain('publishers/google/models/gemini-2.5-flash:generateContent');
    const err = await withAttribution({ feature: 'gem-err' }, () =>
      client.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf((h.require('@google/genai') as typeof import('@google/genai')).ApiError);
    await h.flush();
    const v = h.llmSpans().find((s) => s.attributes['app.feature'] === 'vertex');
    expect(v?.attributes['gen_ai.provider.name']).toBe('gcp.vertex_ai');
    // 1000*0.30 + 100*2.50 = 550/1M
    expect(v?.attributes['gen_ai.usage.cost']).toBe(0.00055);
    const failed = h.llmSpans().find((s) => s.attributes['app.feature'] === 'gem-err');
    expect(failed?.attributes['error.type']).toBe('ApiError');
    expect(failed?.attributes['gen_ai.usage.cost']).toBeUndefined();
  });
});
