import { GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from './index.ts';

let sim: Simulator;
let client: GoogleGenAI;

beforeAll(async () => {
  sim = await startSimulator();
  client = new GoogleGenAI({ apiKey: 'test-key', httpOptions: { baseUrl: sim.url } });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe('Gemini wire format', () => {
  it('answers generateContent; candidatesTokenCount excludes thoughtsTokenCount', async () => {
    sim.script({ usage: { inputTokens: 100, cachedTokens: 40, outputTokens: 30, reasoningTokens: 20 } });
    const r = await client.models.generateContent({ model: 'gemini-2.5-pro', contents: 'hi' });
    expect(r.text).toBe('Hello from the simulator.');
    expect(r.modelVersion).toBe('gemini-2.5-pro');
    expect(r.usageMetadata).toMatchObject({
      promptTokenCount: 100,
      cachedContentTokenCount: 40,
      candidatesTokenCount: 10,
      thoughtsTokenCount: 20,
      totalTokenCount: 130,
    });
    expect(sim.requests[0]?.path).toBe('/v1/models/gemini-2.5-pro:generateContent');
  });

  it('streams with alt=sse; the last chunk carries the final usage', async () => {
    sim.script({ content: ['a', 'b', 'c'], usage: { inputTokens: 10, outputTokens: 3 } });
    const stream = await client.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'hi' });
    const texts: string[] = [];
    let last: unknown;
    for await (const chunk of stream) {
      texts.push(chunk.text ?? '');
      last = chunk.usageMetadata;
    }
    expect(texts.join('')).toBe('abc');
    expect(last).toMatchObject({ promptTokenCount: 10, candidatesTokenCount: 3 });
    expect(sim.requests[0]?.path).toBe('/v1/models/gemini-2.5-flash:streamGenerateContent');
  });

  it('embeds content (batchEmbedContents) with usage', async () => {
    sim.script({ usage: { inputTokens: 8 } });
    const r = await client.models.embedContent({ model: 'gemini-embedding-001', contents: ['a', 'b'] });
    expect(r.embeddings).toHaveLength(2);
    expect(r.usageMetadata?.promptTokenCount).toBe(8);
  });

  it('sends Google error envelopes', async () => {
    sim.script({ status: 400, errorMessage: 'bad request' });
    await expect(client.models.generateContent({ model: 'gemini-2.5-pro', contents: 'hi' })).rejects.toMatchObject({
      status: 400,
    });
  });

  it('breaks usage down by modality (TEXT is the rest) and reports a scripted tier', async () => {
    sim.script({
      serviceTier: 'flex',
      usage: {
        inputTokens: 100,
        inputAudioTokens: 30,
        inputImageTokens: 20,
        cachedTokens: 40,
        cachedAudioTokens: 10,
        outputTokens: 50,
        reasoningTokens: 10,
        outputImageTokens: 25,
      },
    });
    const r = await client.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' });
    expect(r.usageMetadata).toMatchObject({
      promptTokensDetails: [
        { modality: 'TEXT', tokenCount: 50 },
        { modality: 'IMAGE', tokenCount: 20 },
        { modality: 'AUDIO', tokenCount: 30 },
      ],
      cacheTokensDetails: [
        { modality: 'TEXT', tokenCount: 30 },
        { modality: 'AUDIO', tokenCount: 10 },
      ],
      candidatesTokensDetails: [
        { modality: 'TEXT', tokenCount: 15 },
        { modality: 'IMAGE', tokenCount: 25 },
      ],
    });
    expect((r.usageMetadata as { serviceTier?: string }).serviceTier).toBe('flex');
  });
});
