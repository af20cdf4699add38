import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from './index.ts';

let sim: Simulator;
let client: OpenAI;

beforeAll(async () => {
  sim = await startSimulator();
  client = new OpenAI({ apiKey: 'sk-test', baseURL: sim.openaiBaseURL, maxRetries: 0 });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

/** A PCM WAV of `seconds`: 8-bit mono at 100 Hz (100 bytes a second). */
function wav(seconds: number): Buffer {
  const data = Buffer.alloc(Math.round(seconds * 100), 128);
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVEfmt ', 8, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(100, 24);
  header.writeUInt32LE(100, 28);
  header.writeUInt16LE(1, 32);
  header.writeUInt16LE(8, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
}

const file = (seconds: number) => toFile(wav(seconds), 'a.wav', { type: 'audio/wav' });

describe('OpenAI audio wire format', () => {
  it('transcribes with whisper-1: duration usage, verbose_json, text formats', async () => {
    const json = await client.audio.transcriptions.create({ model: 'whisper-1', file: await file(12.25) });
    expect(json).toEqual({ text: 'Hello from the simulator.', usage: { type: 'duration', seconds: 13 } });
    expect(sim.requests[0]?.body.file.filename).toBe('a.wav');
    const verbose = await client.audio.transcriptions.create({
      model: 'whisper-1',
      file: await file(12.25),
      response_format: 'verbose_json',
    });
    expect(verbose).toMatchObject({ duration: 12.25, language: 'english', usage: { type: 'duration', seconds: 13 } });
    expect(verbose.segments?.[0]?.end).toBe(12.25);
    const vtt = await client.audio.transcriptions.create({
      model: 'whisper-1',
      file: await file(2),
      response_format: 'vtt',
    });
    expect(vtt).toBe('WEBVTT\n\n00:00:00.000 --> 00:00:02.000\nHello from the simulator.\n\n');
  });

  it('estimates the duration of compressed audio from its size (128 kbit/s)', async () => {
    const mp3 = await toFile(Buffer.alloc(48_000), 'a.mp3', { type: 'audio/mpeg' });
    const r = await client.audio.transcriptions.create({ model: 'whisper-1', file: mp3 });
    expect(r.usage).toEqual({ type: 'duration', seconds: 3 });
  });

  it('transcribes with gpt-4o-transcribe: token usage, plain and streamed', async () => {
    sim.script(
      { usage: { inputTokens: 120, inputAudioTokens: 100, outputTokens: 30 } },
      { content: ['a', 'b'], usage: { inputTokens: 50, outputTokens: 7 } },
    );
    const r = await client.audio.transcriptions.create({ model: 'gpt-4o-transcribe', file: await file(1) });
    expect(r.usage).toEqual({
      type: 'tokens',
      input_tokens: 120,
      input_token_details: { text_tokens: 20, audio_tokens: 100 },
      output_tokens: 30,
      total_tokens: 150,
    });
    const stream = await client.audio.transcriptions.create({
      model: 'gpt-4o-mini-transcribe',
      file: await file(1),
      stream: true,
    });
    const events = [];
    for await (const e of stream) events.push(e);
    expect(events.map((e) => e.type)).toEqual([
      'transcript.text.delta',
      'transcript.text.delta',
      'transcript.text.done',
    ]);
    const done = events.at(-1);
    expect(done?.type === 'transcript.text.done' && done.usage?.input_token_details?.audio_tokens).toBe(50);
  });

  it('translates with whisper-1: no usage block, verbose_json has the duration', async () => {
    const json = await client.audio.translations.create({ model: 'whisper-1', file: await file(4) });
    expect(json).toEqual({ text: 'Hello from the simulator.' });
    const verbose = await client.audio.translations.create({
      model: 'whisper-1',
      file: await file(4),
      response_format: 'verbose_json',
    });
    expect(verbose).toMatchObject({ task: 'translate', duration: 4 });
    expect((verbose as { usage?: unknown }).usage).toBeUndefined();
  });

  it('speaks: audio bytes, or SSE audio events ending with usage; tts-1 refuses sse', async () => {
    const audio = await client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'hi' });
    expect(audio.headers.get('content-type')).toBe('audio/mpeg');
    expect(Buffer.from(await audio.arrayBuffer()).toString()).toBe('not really audio');
    sim.script({ usage: { inputTokens: 9, outputTokens: 90 } });
    const sse = await client.audio.speech.create({
      model: 'gpt-4o-mini-tts',
      voice: 'alloy',
      input: 'hi',
      stream_format: 'sse',
    });
    const events = (await sse.text())
      .split('\n')
      .filter((l) => l.startsWith('data: '))
      .map((l) => JSON.parse(l.slice(6)));
    expect(events.map((e) => e.type)).toEqual(['speech.audio.delta', 'speech.audio.done']);
    expect(events[1].usage).toEqual({ input_tokens: 9, output_tokens: 90, total_tokens: 99 });
    await expect(
      client.audio.speech.create({ model: 'tts-1', voice: 'alloy', input: 'hi', stream_format: 'sse' }),
    ).rejects.toMatchObject({ status: 400 });
  });
});

describe('OpenAI legacy completions and image edits', () => {
  it('answers text_completion objects, plain and streamed with the usage chunk when asked', async () => {
    sim.script({ usage: { inputTokens: 10, outputTokens: 4 } }, { content: ['a', 'b'], usage: { outputTokens: 2 } });
    const r = await client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'hi' });
    expect(r).toMatchObject({
      object: 'text_completion',
      choices: [{ index: 0, finish_reason: 'stop', logprobs: null }],
      usage: { prompt_tokens: 10, completion_tokens: 4, total_tokens: 14 },
    });
    const stream = await client.completions.create({
      model: 'gpt-3.5-turbo-instruct',
      prompt: 'hi',
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks.map((c) => c.choices[0]?.text ?? null)).toEqual(['a', 'b', '', null]);
    expect(chunks.at(-1)?.usage?.completion_tokens).toBe(2);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
  });

  it('serves image edits and variations from multipart uploads', async () => {
    const image = await toFile(Buffer.from('png'), 'cat.png', { type: 'image/png' });
    const edit = await client.images.edit({ model: 'gpt-image-1', image, prompt: 'hat' });
    expect(edit.usage?.input_tokens).toBe(12);
    expect(sim.requests[0]?.body).toMatchObject({ model: 'gpt-image-1', prompt: 'hat' });
    const variation = await client.images.createVariation({ model: 'dall-e-2', image, n: 3 });
    expect(variation.data).toHaveLength(3);
  });
});
