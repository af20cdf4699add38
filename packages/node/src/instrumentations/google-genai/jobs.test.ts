import type { GoogleGenAI as GoogleGenAIType } from '@google/genai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../../test/helpers/harness.js';
import { withAttribution } from '../../index.js';

// Prices from packages/pricing/data/genai-prices.json (genai-prices 0.2.3), USD per 1M tokens:
// gemini-2.5-flash: input 0.30, cache_read 0.03, output 2.50; price variant `processing: batch` (from 2026-10-14):
// input 0.15, output 1.25 (no cache_read in the variant: cache reads keep 0.03).
// No imagen-* or veo-* model in the data, and no storage (token-hour) unit in data/units.json.

let h: Harness;
let genai: typeof import('@google/genai');
let client: GoogleGenAIType;
let vertex: GoogleGenAIType;

beforeAll(async () => {
  h = await startHarness();
  genai = h.require('@google/genai') as typeof import('@google/genai');
  client = new genai.GoogleGenAI({ apiKey: 'test-key', httpOptions: { baseUrl: h.sim.url } });
  vertex = new genai.GoogleGenAI({ vertexai: true, apiKey: 'test-key', httpOptions: { baseUrl: h.sim.url } });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
  h.receiver.reset();
});

describe('@google/genai caches, generateImages, generateVideos, batches', () => {
  it('caches.create / update: a span with the cached tokens and the TTL, unpriced (storage has no price unit)', async () => {
    h.sim.script({ usage: { inputTokens: 40_000 } });
    const cache = await withAttribution({ feature: 'cache' }, async () => {
      const created = await client.caches.create({
        model: 'gemini-2.5-flash',
        config: { contents: 'a long document', ttl: '600s' },
      });
      return client.caches.update({ name: created.name!, config: { ttl: '7200s' } });
    });
    expect(cache.usageMetadata?.totalTokenCount).toBe(40_000);
    await h.flush();
    const spans = h.llmSpans();
    expect(spans.map((s) => s.name)).toEqual(['create_cached_content gemini-2.5-flash', 'update_cached_content']);
    const [created, updated] = spans;
    expect(created?.attributes).toMatchObject({
      'gen_ai.provider.name': 'gcp.gemini',
      'gen_ai.operation.name': 'create_cached_content',
      'gen_ai.response.model': 'gemini-2.5-flash',
      'gen_ai.response.id': cache.name,
      'gcp.gen_ai.cached_content.token_count': 40_000,
      'gcp.gen_ai.cached_content.ttl_seconds': 600,
      // 40,000 tokens x 600 s / 3600 = 6,666.67 token-hours of storage, which genai-prices has no unit for
      'llmcost.usage.cache_storage.token_hours': (40_000 * 600) / 3600,
      'llmcost.unpriced': true,
      'llmcost.unpriced.reason': 'unsupported_usage',
    });
    // Never priced as input tokens: no input tokens, no cost.
    expect(created?.attributes['gen_ai.usage.input_tokens']).toBe(0);
    expect(created?.attributes['gen_ai.usage.cost']).toBeUndefined();
    expect(updated?.attributes).toMatchObject({
      'gen_ai.response.model': 'gemini-2.5-flash',
      'gcp.gen_ai.cached_content.token_count': 40_000,
      'gcp.gen_ai.cached_content.ttl_seconds': 7200,
      'llmcost.usage.cache_storage.token_hours': (40_000 * 7200) / 3600,
      'llmcost.unpriced.reason': 'unsupported_usage',
    });
    const unpriced = h.points('llmcost.unpriced.requests', { 'app.feature': 'cache' });
    expect(
      unpriced.map((p) => [p.attributes['gen_ai.operation.name'], p.attributes['llmcost.unpriced.reason'], p.value]),
    ).toEqual([
      ['create_cached_content', 'unsupported_usage', 1],
      ['update_cached_content', 'unsupported_usage', 1],
    ]);
    expect(h.points('llmcost.cost', { 'app.feature': 'cache' })).toHaveLength(0);
  });

  it('generateImages (Imagen, Vertex): the image count; unpriced unsupported_usage (no per-image unit), never 0', async () => {
    const r = await withAttribution({ feature: 'imagen' }, () =>
      vertex.models.generateImages({
        model: 'imagen-4.0-generate-001',
        prompt: 'a cat',
        config: { numberOfImages: 3 },
      }),
    );
    expect(r.generatedImages).toHaveLength(3);
    const span = await h.onlySpan();
    expect(span.name).toBe('image_generation imagen-4.0-generate-001');
    expect(span.attributes).toMatchObject({
      'gen_ai.provider.name': 'gcp.vertex_ai',
      'gen_ai.operation.name': 'image_generation',
      'gcp.gen_ai.request.number_of_images': 3,
      'llmcost.usage.images': 3,
      'gen_ai.usage.input_tokens': 0,
      'gen_ai.usage.output_tokens': 0,
      'llmcost.unpriced': true,
      'llmcost.unpriced.reason': 'unsupported_usage',
    });
    expect(span.attributes['gen_ai.usage.cost']).toBeUndefined();
  });

  it('generateVideos (Veo): one span for the start call, none for the polls; unpriced unsupported_usage', async () => {
    let op = await withAttribution({ feature: 'veo' }, () =>
      vertex.models.generateVideos({
        model: 'veo-3.0-generate-001',
        source: { prompt: 'a dog' },
        config: { numberOfVideos: 2, durationSeconds: 8 },
      }),
    );
    expect(op).toBeInstanceOf(genai.GenerateVideosOperation);
    while (!op.done) op = await vertex.operations.getVideosOperation({ operation: op });
    expect(op.response?.generatedVideos).toHaveLength(2);
    const span = await h.onlySpan();
    expect(span.name).toBe('video_generation veo-3.0-generate-001');
    expect(span.attributes).toMatchObject({
      'gen_ai.provider.name': 'gcp.vertex_ai',
      'gen_ai.response.id': op.name,
      'gcp.gen_ai.request.number_of_videos': 2,
      'gcp.gen_ai.request.duration_seconds': 8,
      'llmcost.usage.video.output_seconds': 16, // 2 videos x 8 s
      'llmcost.unpriced.reason': 'unsupported_usage',
    });
    expect(span.attributes['gen_ai.usage.cost']).toBeUndefined();
  });

  it('batches: each inlined result is a deferred span at the batch price, counted once however often it is fetched', async () => {
    h.sim.script({ usage: { inputTokens: 10_000, cachedTokens: 2000, outputTokens: 3000, reasoningTokens: 1000 } });
    const job = await withAttribution({ feature: 'batch' }, async () => {
      let j = await client.batches.create({ model: 'gemini-2.5-flash', src: [{ contents: 'a' }, { contents: 'b' }] });
      while (j.state !== 'JOB_STATE_SUCCEEDED') j = await client.batches.get({ name: j.name! });
      // Fetched again: already counted.
      return client.batches.get({ name: j.name! });
    });
    expect(job.dest?.inlinedResponses).toHaveLength(2);
    await h.flush();
    const spans = h.llmSpans();
    expect(spans).toHaveLength(2);
    for (const [index, span] of spans.entries()) {
      expect(span.name).toBe('generate_content gemini-2.5-flash');
      expect(span.attributes).toMatchObject({
        'gen_ai.provider.name': 'gcp.gemini',
        'gen_ai.request.model': 'gemini-2.5-flash',
        'gen_ai.response.model': 'gemini-2.5-flash',
        'gen_ai.usage.input_tokens': 10_000,
        'gen_ai.usage.output_tokens': 3000,
        'gen_ai.usage.cache_read.input_tokens': 2000,
        'gen_ai.usage.reasoning.output_tokens': 1000,
        'gcp.gen_ai.batch.name': job.name,
        'gcp.gen_ai.batch.index': index,
        'llmcost.deferred': true,
        'llmcost.price.context.processing': 'batch',
        'llmcost.price.variant': 'processing=batch',
        'app.feature': 'batch',
      });
      // input (10000-2000)*0.15 + 2000*0.03 = 1260/1M = 0.00126; output (2000 + 1000 thoughts)*1.25 = 0.00375
      expect(span.attributes['llmcost.cost.input']).toBe(0.00126);
      expect(span.attributes['llmcost.cost.output']).toBe(0.00375);
      expect(span.attributes['gen_ai.usage.cost']).toBe(0.00501);
    }
    // 2 x 0.00501
    expect(h.points('llmcost.cost', { 'app.feature': 'batch' })[0]?.value).toBeCloseTo(0.01002, 12);
    expect(h.points('gen_ai.client.operation.duration', { 'app.feature': 'batch' })).toHaveLength(0);
  });

  it('batches.get failures reach the caller unchanged and record nothing', async () => {
    const err = await client.batches.get({ name: 'batches/gemini-missing' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(genai.ApiError);
    expect((err as { status?: number }).status).toBe(404);
    await h.flush();
    expect(h.llmSpans()).toHaveLength(0);
  });
});
