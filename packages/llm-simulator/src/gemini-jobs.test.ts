import { GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from './index.ts';

let sim: Simulator;
let client: GoogleGenAI;
let vertex: GoogleGenAI;

beforeAll(async () => {
  sim = await startSimulator();
  client = new GoogleGenAI({ apiKey: 'test-key', httpOptions: { baseUrl: sim.url } });
  vertex = new GoogleGenAI({ vertexai: true, apiKey: 'test-key', httpOptions: { baseUrl: sim.url } });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe('Gemini caches, Imagen, Veo and batches', () => {
  it('creates a cached content with its token count, and updates its TTL', async () => {
    sim.script({ usage: { inputTokens: 40_000 } });
    const cache = await client.caches.create({
      model: 'gemini-2.5-flash',
      config: { contents: 'a long document', ttl: '600s', displayName: 'doc' },
    });
    expect(cache.name).toMatch(/^cachedContents\/cache/);
    expect(cache.model).toBe('models/gemini-2.5-flash');
    expect(cache.usageMetadata?.totalTokenCount).toBe(40_000);
    const ttl = (Date.parse(cache.expireTime!) - Date.parse(cache.createTime!)) / 1000;
    expect(ttl).toBe(600);
    expect(sim.requests[0]?.body).toMatchObject({ model: 'models/gemini-2.5-flash', ttl: '600s' });
    const updated = await client.caches.update({ name: cache.name!, config: { ttl: '7200s' } });
    expect(sim.requests[1]?.method).toBe('PATCH');
    expect(updated.usageMetadata?.totalTokenCount).toBe(40_000);
    expect(Date.parse(updated.expireTime!) - Date.parse(updated.updateTime!)).toBeGreaterThanOrEqual(7_199_000);
  });

  it('generates images (Vertex predict): one prediction per requested image', async () => {
    const r = await vertex.models.generateImages({
      model: 'imagen-4.0-generate-001',
      prompt: 'a cat',
      config: { numberOfImages: 2 },
    });
    expect(r.generatedImages).toHaveLength(2);
    expect(r.generatedImages?.[0]?.image?.mimeType).toBe('image/png');
    expect(sim.requests[0]?.path).toMatch(/publishers\/google\/models\/imagen-4\.0-generate-001:predict$/);
    expect(sim.requests[0]?.body).toMatchObject({ instances: [{ prompt: 'a cat' }], parameters: { sampleCount: 2 } });
  });

  it('generates videos as a long-running operation polled with fetchPredictOperation', async () => {
    let op = await vertex.models.generateVideos({
      model: 'veo-3.0-generate-001',
      source: { prompt: 'a dog' },
      config: { numberOfVideos: 1, durationSeconds: 8 },
    });
    expect(op.name).toMatch(/veo-3\.0-generate-001\/operations\//);
    expect(op.done).toBeFalsy();
    while (!op.done) op = await vertex.operations.getVideosOperation({ operation: op });
    expect(op.response?.generatedVideos).toHaveLength(1);
    expect(sim.requests.at(-1)?.path).toMatch(/veo-3\.0-generate-001:fetchPredictOperation$/);
  });

  it('runs an inlined batch: pending, then succeeded with one response per request', async () => {
    sim.script({ usage: { inputTokens: 100, outputTokens: 20 } });
    let job = await client.batches.create({
      model: 'gemini-2.5-flash',
      src: [{ contents: 'a' }, { contents: 'b', metadata: { key: 'b' } }],
    });
    expect(job.name).toMatch(/^batches\/gemini-sim/);
    expect(job.state).toBe('JOB_STATE_PENDING');
    expect(sim.requests[0]?.body?.batch?.inputConfig?.requests?.requests).toHaveLength(2);
    job = await client.batches.get({ name: job.name! });
    expect(job.state).toBe('JOB_STATE_RUNNING');
    job = await client.batches.get({ name: job.name! });
    expect(job.state).toBe('JOB_STATE_SUCCEEDED');
    expect(job.model).toBe('models/gemini-2.5-flash');
    const responses = job.dest?.inlinedResponses ?? [];
    expect(responses).toHaveLength(2);
    expect(responses[0]?.response?.usageMetadata).toMatchObject({ promptTokenCount: 100, candidatesTokenCount: 20 });
    expect(responses[1]?.metadata).toEqual({ key: 'b' });
  });
});
