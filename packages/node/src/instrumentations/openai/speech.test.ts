import type OpenAIType from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type Harness, startHarness } from '../../../test/helpers/harness.js';

// Text to speech with the real openai 7 client over HTTP to the simulator. The caller gets the binary Response
// unread. Expected costs by hand from the price data (packages/pricing/data/genai-prices.json, genai-prices 0.2.3):
// - tts-1: input_mchars 15 $/M characters; tts-1-hd: 30 $/M characters;
// - gpt-4o-mini-tts: input 0.60, output 12 $/M tokens (no per-character price).

let h: Harness;
let client: OpenAIType;

beforeAll(async () => {
  h = await startHarness();
  const { OpenAI } = h.require('openai') as typeof import('openai');
  client = new OpenAI({ apiKey: 'sk-test', baseURL: h.sim.openaiBaseURL, maxRetries: 0 });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
  h.receiver.reset();
});

// 1000 letters and one emoji: 1001 characters (code points), though 1002 UTF-16 units.
const input = `${'a'.repeat(1000)}👋`;

describe('audio.speech', () => {
  it('prices tts-1 and tts-1-hd per character of the input, and hands over the audio unread', async () => {
    expect(input.length).toBe(1002);
    const r = await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input });
    expect(r.bodyUsed).toBe(false);
    expect(Buffer.from(await r.arrayBuffer()).toString()).toBe('not really audio');
    await client.audio.speech.create({ model: 'tts-1-hd', voice: 'alloy', input });
    await h.flush();
    const [tts, hd] = h.llmSpans();
    expect(tts?.name).toBe('speech tts-1');
    expect(tts?.attributes['gen_ai.operation.name']).toBe('speech');
    expect(tts?.attributes['llmcost.usage.input_characters']).toBe(1001);
    // 1001 chars * 15/M = 0.015015
    expect(tts?.attributes['gen_ai.usage.cost']).toBe(0.015015);
    // 1001 chars * 30/M = 0.03003
    expect(hd?.attributes['gen_ai.usage.cost']).toBe(0.03003);
  });

  it('gpt-4o-mini-tts audio bytes carry no tokens: unpriced, never 0', async () => {
    const r = await client.audio.speech.create({ model: 'gpt-4o-mini-tts', voice: 'alloy', input: 'hello' });
    expect((await r.arrayBuffer()).byteLength).toBeGreaterThan(0);
    const span = await h.onlySpan();
    expect(span.attributes['gen_ai.usage.cost']).toBeUndefined();
    expect(span.attributes['llmcost.unpriced.reason']).toBe('unsupported_usage');
  });

  // The span of an SSE answer ends when our clone of the body has been read, which may be after the caller read
  // its own copy (Node 24's fetch delivers the clone's chunks later than Node 22's): wait for it.
  const sseSpan = () =>
    vi.waitFor(async () => {
      await h.flush();
      expect(h.llmSpans()).toHaveLength(1);
      return h.llmSpans()[0]!;
    });

  it('gpt-4o-mini-tts with stream_format sse: priced from speech.audio.done, the body still the caller’s', async () => {
    h.sim.script({ usage: { inputTokens: 100, outputTokens: 2000 } });
    const r = await client.audio.speech.create({
      model: 'gpt-4o-mini-tts',
      voice: 'alloy',
      input: 'hello',
      stream_format: 'sse',
    });
    const body = await r.text();
    expect(body).toContain('speech.audio.delta');
    expect(body).toContain('"type":"speech.audio.done"');
    const span = await sseSpan();
    expect(span.attributes['gen_ai.usage.input_tokens']).toBe(100);
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(2000);
    // 100 * 0.60/M = 0.00006; 2000 audio output * 12/M = 0.024 -> 0.02406
    expect(span.attributes['gen_ai.usage.cost']).toBe(0.02406);
  });

  it('ends an sse speech span even when the caller never reads the body', async () => {
    h.sim.script({ usage: { inputTokens: 10, outputTokens: 100 } });
    const r = await client.audio.speech.create({
      model: 'gpt-4o-mini-tts',
      voice: 'alloy',
      input: 'hello',
      stream_format: 'sse',
    });
    expect(r.bodyUsed).toBe(false);
    const span = await sseSpan();
    // 10 * 0.60/M = 0.000006; 100 * 12/M = 0.0012 -> 0.001206
    expect(span.attributes['gen_ai.usage.cost']).toBe(0.001206);
    expect(await r.text()).toContain('speech.audio.done');
  });

  it('openai 4 (manual fallback, node-fetch Response): prices tts-1 per character', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: the v4 types differ
    const mod = h.require('openai-v4') as any;
    h.otel.openai?.manuallyInstrument(mod);
    const old = new mod.OpenAI({ apiKey: 'sk-test', baseURL: h.sim.openaiBaseURL, maxRetries: 0 });
    const r = await old.audio.speech.create({ model: 'tts-1', voice: 'alloy', input });
    expect(Buffer.from(await r.arrayBuffer()).toString()).toBe('not really audio');
    const span = await h.onlySpan();
    // 1001 chars * 15/M
    expect(span.attributes['gen_ai.usage.cost']).toBe(0.015015);
  });
});
