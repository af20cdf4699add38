import type OpenAIType from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../../test/helpers/harness.js';

// Speech to text with the real openai 7 client over HTTP to the simulator (multipart uploads). Expected costs by
// hand from the price data (packages/pricing/data/genai-prices.json, genai-prices 0.2.3):
// - whisper-1: audio_hours 0.36 $/h (input_audio_hours 0.36): per second 0.36 / 3600 = 0.0001 $;
// - gpt-4o-transcribe: text input 2.50, audio input 6, output 10 $/M tokens;
// - gpt-4o-mini-transcribe: text input 1.25, audio input 3, output 5 $/M tokens.

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

/** A PCM WAV file of `seconds` (8-bit mono at 100 Hz, so 100 bytes a second; the simulator reads its header). */
function wav(seconds: number): Buffer {
  const data = Buffer.alloc(Math.round(seconds * 100), 128);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(100, 24); // sample rate
  header.writeUInt32LE(100, 28); // byte rate
  header.writeUInt16LE(1, 32); // block align
  header.writeUInt16LE(8, 34); // bits per sample
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

const audio = (seconds: number) => toFile(wav(seconds), 'speech.wav', { type: 'audio/wav' });

describe('audio.transcriptions (whisper-1: billed per second of audio)', () => {
  it('prices a json transcription from usage.seconds', async () => {
    const r = await client.audio.transcriptions.create({ model: 'whisper-1', file: await audio(90) });
    expect(r.usage).toEqual({ type: 'duration', seconds: 90 });
    const span = await h.onlySpan();
    expect(span.name).toBe('transcription whisper-1');
    expect(span.attributes['gen_ai.operation.name']).toBe('transcription');
    expect(span.attributes['gen_ai.usage.input_tokens']).toBe(0);
    expect(span.attributes['llmcost.usage.audio.input_seconds']).toBe(90);
    // 90 s * 0.36 $/h / 3600 s/h = 0.009
    expect(span.attributes['gen_ai.usage.cost']).toBe(0.009);
  });

  it('prices verbose_json by the billed usage.seconds, not the exact duration', async () => {
    const r = await client.audio.transcriptions.create({
      model: 'whisper-1',
      file: await audio(61.5),
      response_format: 'verbose_json',
    });
    expect(r.duration).toBe(61.5);
    expect(r.usage?.seconds).toBe(62);
    const span = await h.onlySpan();
    // 62 s * 0.0001 $/s = 0.0062 (61.5 s would give 0.00615)
    expect(span.attributes['gen_ai.usage.cost']).toBe(0.0062);
  });

  it('leaves text, srt and vtt answers unpriced: they carry no usage', async () => {
    const text = await client.audio.transcriptions.create({
      model: 'whisper-1',
      file: await audio(10),
      response_format: 'text',
    });
    expect(text).toBe('Hello from the simulator.\n');
    const srt = await client.audio.transcriptions.create({
      model: 'whisper-1',
      file: await audio(10),
      response_format: 'srt',
    });
    expect(srt).toContain('-->');
    await h.flush();
    const spans = h.llmSpans();
    expect(spans).toHaveLength(2);
    for (const span of spans) {
      expect(span.attributes['gen_ai.usage.cost']).toBeUndefined();
      expect(span.attributes['llmcost.unpriced.reason']).toBe('no_usage');
    }
  });
});

describe('audio.transcriptions (gpt-4o transcribe models: billed per token)', () => {
  it('prices audio input tokens at the audio price (usage.input_token_details)', async () => {
    h.sim.script({ usage: { inputTokens: 1200, inputAudioTokens: 1000, outputTokens: 300 } });
    const r = await client.audio.transcriptions.create({
      model: 'gpt-4o-transcribe',
      file: await audio(5),
      prompt: 'names: Ada, Grace',
    });
    expect(r.usage).toMatchObject({ type: 'tokens', input_token_details: { audio_tokens: 1000, text_tokens: 200 } });
    const span = await h.onlySpan();
    expect(span.attributes['gen_ai.usage.input_tokens']).toBe(1200);
    expect(span.attributes['gen_ai.usage.output_tokens']).toBe(300);
    // text 200 * 2.50/M = 0.0005; audio 1000 * 6/M = 0.006; output 300 * 10/M = 0.003 -> 0.0095
    expect(span.attributes['gen_ai.usage.cost']).toBe(0.0095);
  });

  it('prices a streamed transcription from transcript.text.done', async () => {
    h.sim.script({ content: ['Hello ', 'world'], usage: { inputTokens: 2000, outputTokens: 400 } });
    const stream = await client.audio.transcriptions.create({
      model: 'gpt-4o-mini-transcribe',
      file: await audio(5),
      stream: true,
    });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types).toEqual(['transcript.text.delta', 'transcript.text.delta', 'transcript.text.done']);
    const span = await h.onlySpan();
    // all 2000 input tokens audio: 2000 * 3/M = 0.006; 400 * 5/M = 0.002 -> 0.008
    expect(span.attributes['gen_ai.usage.cost']).toBe(0.008);
    expect(span.attributes['llmcost.cost.partial']).toBeUndefined();
  });

  it('a transcription stream left early ends its span as partial, without usage', async () => {
    h.sim.script({ content: ['Hello ', 'world'], usage: { inputTokens: 2000, outputTokens: 400 } });
    const stream = await client.audio.transcriptions.create({
      model: 'gpt-4o-transcribe',
      file: await audio(5),
      stream: true,
    });
    for await (const _ of stream) break;
    const span = await h.onlySpan();
    expect(span.attributes['llmcost.cost.partial']).toBe(true);
    expect(span.attributes['gen_ai.usage.cost']).toBeUndefined();
  });
});

describe('audio.translations (whisper-1)', () => {
  it('prices verbose_json by its duration; json reports no usage and stays unpriced', async () => {
    const verbose = await client.audio.translations.create({
      model: 'whisper-1',
      file: await audio(30),
      response_format: 'verbose_json',
    });
    // The SDK types every translation as Translation (its response_format is not generic).
    expect((verbose as { duration?: number }).duration).toBe(30);
    const json = await client.audio.translations.create({ model: 'whisper-1', file: await audio(30) });
    expect(json.text).toBe('Hello from the simulator.');
    await h.flush();
    const [priced, unpriced] = h.llmSpans();
    expect(priced?.name).toBe('translation whisper-1');
    // 30 s * 0.0001 $/s = 0.003
    expect(priced?.attributes['gen_ai.usage.cost']).toBe(0.003);
    expect(unpriced?.attributes['gen_ai.usage.cost']).toBeUndefined();
    expect(unpriced?.attributes['llmcost.unpriced.reason']).toBe('no_usage');
  });
});

describe('openai 4 and 6 (manual fallback)', () => {
  it.each(['openai-v4', 'openai-v6'])('%s: prices a whisper-1 transcription', async (pkg) => {
    // biome-ignore lint/suspicious/noExplicitAny: each major has its own types
    const mod = h.require(pkg) as any;
    h.otel.openai?.manuallyInstrument(mod);
    const old = new mod.OpenAI({ apiKey: 'sk-test', baseURL: h.sim.openaiBaseURL, maxRetries: 0 });
    const file = await mod.toFile(wav(90), 'speech.wav', { type: 'audio/wav' });
    const r = await old.audio.transcriptions.create({ model: 'whisper-1', file });
    expect(r.text).toBe('Hello from the simulator.');
    const span = await h.onlySpan();
    // 90 s * 0.0001 $/s
    expect(span.attributes['gen_ai.usage.cost']).toBe(0.009);
  });
});
