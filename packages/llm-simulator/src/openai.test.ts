import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from './index.ts';

let sim: Simulator;
let client: OpenAI;

beforeAll(async () => {
  sim = await startSimulator();
  client = new OpenAI({ apiKey: 'sk-test', baseURL: sim.openaiBaseURL, maxRetries: 2 });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe('OpenAI wire format', () => {
  it('answers chat completions with usage details', async () => {
    sim.script({ model: 'gpt-4o-2024-08-06', usage: { inputTokens: 100, cachedTokens: 40, outputTokens: 20 } });
    const r = await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    expect(r.model).toBe('gpt-4o-2024-08-06');
    expect(r.usage?.prompt_tokens).toBe(100);
    expect(r.usage?.prompt_tokens_details?.cached_tokens).toBe(40);
    expect(r.choices[0]?.message.content).toBe('Hello from the simulator.');
    expect(sim.requests[0]?.body.model).toBe('gpt-4o');
  });

  it('streams chat chunks and sends usage only when asked', async () => {
    sim.script({ content: ['a', 'b'], usage: { outputTokens: 2 } }, { content: ['c'] });
    const withUsage = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const c of withUsage) chunks.push(c);
    expect(chunks.at(-1)?.usage?.completion_tokens).toBe(2);
    const without = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    const rest = [];
    for await (const c of without) rest.push(c);
    expect(rest.some((c) => c.usage)).toBe(false);
  });

  it('serves the Responses API, JSON and SSE', async () => {
    sim.script({ usage: { inputTokens: 10, outputTokens: 30, reasoningTokens: 20 } });
    const r = await client.responses.create({ model: 'o4-mini', input: 'hi' });
    expect(r.usage?.output_tokens_details.reasoning_tokens).toBe(20);
    expect(r.output_text).toBe('Hello from the simulator.');
    const stream = await client.responses.create({ model: 'o4-mini', input: 'hi', stream: true });
    const types = [];
    for await (const e of stream) types.push(e.type);
    expect(types.at(-1)).toBe('response.completed');
  });

  it('serves embeddings (base64 and float)', async () => {
    const r = await client.embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'] });
    expect(r.data).toHaveLength(2);
    expect(r.data[0]?.embedding).toHaveLength(4);
    expect(r.usage.prompt_tokens).toBe(12);
  });

  it('returns scripted errors; the SDK retries 429s', async () => {
    sim.script(
      { status: 429, headers: { 'retry-after-ms': '1' } },
      { status: 429, headers: { 'retry-after-ms': '1' } },
    );
    await client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] });
    expect(sim.requests).toHaveLength(3);
    sim.script({ status: 400, errorMessage: 'bad' });
    await expect(
      client.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'x' }] }),
    ).rejects.toThrow(/bad/);
  });

  it('reports an OpenRouter-style cost', async () => {
    sim.script({ cost: 0.0123 });
    const r = await client.chat.completions.create({
      model: 'openai/gpt-4o',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect((r.usage as unknown as { cost: number }).cost).toBe(0.0123);
  });

  it('echoes the served service_tier in the body and in every stream chunk (auto or none -> default)', async () => {
    const hi = [{ role: 'user' as const, content: 'hi' }];
    const plain = await client.chat.completions.create({ model: 'gpt-4o', messages: hi });
    expect(plain.service_tier).toBe('default');
    const auto = await client.chat.completions.create({ model: 'gpt-4o', messages: hi, service_tier: 'auto' });
    expect(auto.service_tier).toBe('default');
    const flex = await client.chat.completions.create({ model: 'o4-mini', messages: hi, service_tier: 'flex' });
    expect(flex.service_tier).toBe('flex');
    // Fast mode is reported as priority.
    const fast = await client.chat.completions.create({ model: 'gpt-4o', messages: hi, service_tier: 'fast' });
    expect(fast.service_tier).toBe('priority');
    sim.script({ serviceTier: 'priority' });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: hi,
      stream: true,
      stream_options: { include_usage: true },
    });
    const tiers = [];
    for await (const c of stream) tiers.push(c.service_tier);
    expect(tiers.length).toBeGreaterThan(2);
    expect(tiers.every((t) => t === 'priority')).toBe(true);
  });

  it('Responses API: created/in_progress echo the requested tier, completed has the served one', async () => {
    const r = await client.responses.create({ model: 'gpt-5.5', input: 'hi', service_tier: 'priority' });
    expect(r.service_tier).toBe('priority');
    const stream = await client.responses.create({ model: 'gpt-5.5', input: 'hi', stream: true });
    const seen: Record<string, unknown> = {};
    for await (const e of stream) if ('response' in e) seen[e.type] = e.response.service_tier;
    expect(seen).toEqual({
      'response.created': 'auto',
      'response.in_progress': 'auto',
      'response.completed': 'default',
    });
  });

  it('reports audio tokens: scripted, or all input/output when the request sends / asks for audio', async () => {
    sim.script({ usage: { inputTokens: 100, cachedTokens: 50, cachedAudioTokens: 20, inputAudioTokens: 40 } });
    const scripted = await client.chat.completions.create({
      model: 'gpt-audio',
      messages: [{ role: 'user', content: 'x' }],
    });
    // cached_tokens_details is not in the SDK's CompletionUsage type (Realtime-style breakdown).
    expect(scripted.usage?.prompt_tokens_details).toMatchObject({
      cached_tokens: 50,
      audio_tokens: 40,
      cached_tokens_details: { audio_tokens: 20 },
    });
    expect(scripted.choices[0]?.message.audio).toBeUndefined();
    sim.script({ usage: { inputTokens: 30, outputTokens: 10 } });
    const audio = await client.chat.completions.create({
      model: 'gpt-audio',
      modalities: ['text', 'audio'],
      audio: { voice: 'alloy', format: 'wav' },
      messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'AAAA', format: 'wav' } }] }],
    });
    expect(audio.usage?.prompt_tokens_details?.audio_tokens).toBe(30);
    expect(audio.usage?.completion_tokens_details).toMatchObject({ audio_tokens: 10, text_tokens: 0 });
    expect(audio.choices[0]?.message.content).toBeNull();
    expect(audio.choices[0]?.message.audio?.transcript).toBe('Hello from the simulator.');
  });

  it('images: input text/image split, and the output breakdown when scripted', async () => {
    sim.script(
      { usage: { inputTokens: 100, inputImageTokens: 60, outputTokens: 1000 } },
      { usage: { inputTokens: 100, outputTokens: 1000, outputImageTokens: 990 } },
    );
    const a = await client.images.generate({ model: 'gpt-image-1', prompt: 'a cat' });
    expect(a.usage?.input_tokens_details).toEqual({ text_tokens: 40, image_tokens: 60 });
    expect(a.usage?.output_tokens_details).toBeUndefined();
    const b = await client.images.generate({ model: 'gpt-image-1.5', prompt: 'a cat' });
    expect(b.usage?.output_tokens_details).toEqual({ image_tokens: 990, text_tokens: 10 });
  });
});
