import type OpenAIType from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../../test/helpers/harness.js';

// The served service tier and modality token counts, with the real openai 7 client over HTTP to the simulator.
// Expected costs by hand from the price data (packages/pricing/data/genai-prices.json, genai-prices 0.2.3), USD
// per 1M tokens:
// - gpt-4o: standard input 2.50 / output 10; priority (since 2026-10-12) input 4.25 / output 17.
// - gpt-5.5 (<= 272k input): standard input 5 / output 30; flex input 2.50 / output 15; priority 12.50 / 75.
// - gpt-audio: text input 2.50 / output 10; audio input 32 / audio output 64.
// - gpt-image-1: text input 5, image input 10, output 40 (no separate image output price).
// - gpt-image-1.5: text input 5, image input 8, text output 10, image output 32.

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

const messages = [{ role: 'user' as const, content: 'hello' }];

const onlySpan = () => h.onlySpan();

describe('prompt cache writes (openai 7 prompt_tokens_details.cache_write_tokens)', () => {
  it('gpt-6.1-sol prices cache writes apart: $2.50/M written, $0.10/M read, $2/M the rest', async () => {
    h.sim.script({
      model: 'gpt-6.1-sol',
      usage: { inputTokens: 10_000, cachedTokens: 4000, cacheWriteTokens: 3000, outputTokens: 500 },
    });
    await client.chat.completions.create({ model: 'gpt-6.1-sol', messages });
    const span = await onlySpan();
    // 3000 uncached * 2 + 4000 read * 0.10 + 3000 written * 2.50 = 6000 + 400 + 7500 = 13900 / 1M;
    // 500 output * 10 = 5000 / 1M
    expect(span.attributes['gen_ai.usage.cache_creation.input_tokens']).toBe(3000);
    expect(span.attributes['llmcost.cost.input']).toBe(0.0139);
    expect(span.attributes['gen_ai.usage.cost']).toBe(0.0189);
  });
});

describe('served service tier (chat completions)', () => {
  it('a gpt-4o chat served at priority is priced at the priority variant', async () => {
    h.sim.script({ model: 'gpt-4o-2024-08-06', usage: { inputTokens: 1000, outputTokens: 100 } });
    const r = await client.chat.completions.create({ model: 'gpt-4o', messages, service_tier: 'priority' });
    expect(r.service_tier).toBe('priority');
    const span = await onlySpan();
    expect(span.attributes).toMatchObject({
      'openai.response.service_tier': 'priority',
      'llmcost.price.context.service_tier': 'priority',
      'llmcost.price.variant': 'service_tier=priority',
    });
    // 1000 * 4.25/M = 0.00425; 100 * 17/M = 0.0017
    expect(span.attributes['llmcost.cost.input']).toBe(0.00425);
    expect(span.attributes['llmcost.cost.output']).toBe(0.0017);
    expect(span.attributes['gen_ai.usage.cost']).toBe(0.00595);
  });

  it('a streamed chat takes the tier from the chunks (every chunk carries it)', async () => {
    h.sim.script({ content: ['a', 'b', 'c'], usage: { inputTokens: 1000, outputTokens: 100 } });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      messages,
      stream: true,
      service_tier: 'priority',
    });
    const tiers: (string | null | undefined)[] = [];
    for await (const chunk of stream) tiers.push(chunk.service_tier);
    expect(tiers.length).toBeGreaterThan(2);
    expect(new Set(tiers)).toEqual(new Set(['priority']));
    const span = await onlySpan();
    expect(span.attributes['openai.response.service_tier']).toBe('priority');
    expect(span.attributes['llmcost.price.variant']).toBe('service_tier=priority');
    // 1000 * 4.25/M + 100 * 17/M
    expect(span.attributes['gen_ai.usage.cost']).toBe(0.00595);
  });

  it('the served tier is what is billed: a request for auto that came back priority is priced at priority', async () => {
    // The project's default tier is priority: the request says auto, the response says priority.
    h.sim.script({ serviceTier: 'priority', usage: { inputTokens: 1000, outputTokens: 100 } });
    await client.chat.completions.create({ model: 'gpt-4o', messages, service_tier: 'auto' });
    const span = await onlySpan();
    expect(span.attributes['openai.response.service_tier']).toBe('priority');
    expect(span.attributes['gen_ai.usage.cost']).toBe(0.00595);
  });

  it('an auto request served default is priced at the standard prices', async () => {
    h.sim.script({ usage: { inputTokens: 1000, outputTokens: 100 } });
    const r = await client.chat.completions.create({ model: 'gpt-4o', messages, service_tier: 'auto' });
    expect(r.service_tier).toBe('default');
    const span = await onlySpan();
    expect(span.attributes['openai.response.service_tier']).toBe('default');
    expect(span.attributes['llmcost.price.context.service_tier']).toBe('default');
    // The `default` variant changes no price: the standard prices applied.
    expect(span.attributes['llmcost.price.variant']).toBeUndefined();
    // 1000 * 2.50/M = 0.0025; 100 * 10/M = 0.001
    expect(span.attributes['gen_ai.usage.cost']).toBe(0.0035);
  });
});

describe('served service tier (Responses API)', () => {
  it('gpt-5.5 at flex costs half of standard', async () => {
    h.sim.script(
      { usage: { inputTokens: 2000, outputTokens: 500 } },
      { usage: { inputTokens: 2000, outputTokens: 500 } },
    );
    const flex = await client.responses.create({ model: 'gpt-5.5', input: 'hi', service_tier: 'flex' });
    expect(flex.service_tier).toBe('flex');
    await client.responses.create({ model: 'gpt-5.5', input: 'hi' });
    await h.flush();
    const [flexSpan, standardSpan] = h.llmSpans();
    expect(flexSpan?.attributes).toMatchObject({
      'openai.response.service_tier': 'flex',
      'llmcost.price.context.service_tier': 'flex',
      'llmcost.price.variant': 'service_tier=flex',
    });
    // flex: 2000 * 2.50/M = 0.005; 500 * 15/M = 0.0075
    expect(flexSpan?.attributes['gen_ai.usage.cost']).toBe(0.0125);
    // standard (no tier asked, served default): 2000 * 5/M = 0.01; 500 * 30/M = 0.015
    expect(standardSpan?.attributes['openai.response.service_tier']).toBe('default');
    expect(standardSpan?.attributes['gen_ai.usage.cost']).toBe(0.025);
  });

  it('a stream is priced with the tier of response.completed, not the auto that response.created echoes', async () => {
    h.sim.script({ serviceTier: 'priority', content: ['a', 'b'], usage: { inputTokens: 1000, outputTokens: 100 } });
    const stream = await client.responses.create({ model: 'gpt-5.5', input: 'hi', stream: true });
    const tiers: Record<string, unknown> = {};
    for await (const e of stream) if ('response' in e) tiers[e.type] = e.response.service_tier;
    expect(tiers['response.created']).toBe('auto');
    expect(tiers['response.completed']).toBe('priority');
    const span = await onlySpan();
    expect(span.attributes['openai.response.service_tier']).toBe('priority');
    expect(span.attributes['llmcost.price.variant']).toBe('service_tier=priority');
    // 1000 * 12.50/M = 0.0125; 100 * 75/M = 0.0075
    expect(span.attributes['gen_ai.usage.cost']).toBe(0.02);
  });

  it('a stream left before response.completed has no served tier: no tier attribute, no price context', async () => {
    h.sim.script({ content: ['a', 'b', 'c'], hangAfterChunks: 1 });
    const stream = await client.responses.create({ model: 'gpt-5.5', input: 'hi', stream: true });
    for await (const e of stream) if (e.type === 'response.output_text.delta') break;
    const span = await onlySpan();
    expect(span.attributes['llmcost.cost.partial']).toBe(true);
    expect(span.attributes['openai.response.service_tier']).toBeUndefined();
    expect(span.attributes['llmcost.price.context.service_tier']).toBeUndefined();
  });
});

describe('modality tokens', () => {
  it('prices audio input and audio output at the audio prices (gpt-audio)', async () => {
    h.sim.script({ usage: { inputTokens: 1000, inputAudioTokens: 400, outputTokens: 200, outputAudioTokens: 150 } });
    const r = await client.chat.completions.create({
      model: 'gpt-audio',
      modalities: ['text', 'audio'],
      audio: { voice: 'alloy', format: 'wav' },
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'what is in this recording?' },
            { type: 'input_audio', input_audio: { data: Buffer.from('wav').toString('base64'), format: 'wav' } },
          ],
        },
      ],
    });
    expect(r.choices[0]?.message.audio?.transcript).toBe('Hello from the simulator.');
    expect(r.usage?.prompt_tokens_details?.audio_tokens).toBe(400);
    expect(r.usage?.completion_tokens_details?.audio_tokens).toBe(150);
    const span = await onlySpan();
    expect(span.attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 200,
      'llmcost.usage.audio.input_tokens': 400,
      'llmcost.usage.audio.output_tokens': 150,
    });
    // input: 600 text * 2.50/M + 400 audio * 32/M = 0.0015 + 0.0128 = 0.0143
    // output: 50 text * 10/M + 150 audio * 64/M = 0.0005 + 0.0096 = 0.0101
    expect(span.attributes['llmcost.cost.input']).toBe(0.0143);
    expect(span.attributes['llmcost.cost.output']).toBe(0.0101);
    expect(span.attributes['gen_ai.usage.cost']).toBe(0.0244);
  });

  it('a request that asks for audio output gets audio completion tokens by default (simulator), priced as audio', async () => {
    h.sim.script({ usage: { inputTokens: 100, outputTokens: 1000 } });
    await client.chat.completions.create({
      model: 'gpt-audio',
      modalities: ['text', 'audio'],
      audio: { voice: 'alloy', format: 'wav' },
      messages,
    });
    const span = await onlySpan();
    expect(span.attributes['llmcost.usage.audio.output_tokens']).toBe(1000);
    expect(span.attributes['llmcost.usage.audio.input_tokens']).toBeUndefined();
    // 100 * 2.50/M = 0.00025; 1000 audio * 64/M = 0.064
    expect(span.attributes['gen_ai.usage.cost']).toBe(0.06425);
  });

  it('image generation: image input tokens at the image input price; output all image unless broken down', async () => {
    h.sim.script(
      // gpt-image-1 reports output_tokens alone: the generated image.
      { usage: { inputTokens: 100, inputImageTokens: 60, outputTokens: 1056 } },
      // gpt-image-1.5 with the output breakdown (output_tokens_details).
      { usage: { inputTokens: 100, outputTokens: 1056, outputImageTokens: 1000 } },
    );
    const r = await client.images.generate({ model: 'gpt-image-1', prompt: 'a cat like this one' });
    expect(r.usage?.input_tokens_details.image_tokens).toBe(60);
    await client.images.generate({ model: 'gpt-image-1.5', prompt: 'a cat' });
    await h.flush();
    const [one, oneFive] = h.llmSpans();
    expect(one?.attributes['llmcost.usage.image.input_tokens']).toBe(60);
    expect(one?.attributes['llmcost.usage.image.output_tokens']).toBe(1056);
    // input: 40 text * 5/M + 60 image * 10/M = 0.0002 + 0.0006 = 0.0008; output: 1056 * 40/M = 0.04224
    expect(one?.attributes['llmcost.cost.input']).toBe(0.0008);
    expect(one?.attributes['llmcost.cost.output']).toBe(0.04224);
    expect(one?.attributes['gen_ai.usage.cost']).toBe(0.04304);
    expect(oneFive?.attributes['llmcost.usage.image.output_tokens']).toBe(1000);
    // input: 100 text * 5/M = 0.0005; output: 56 text * 10/M + 1000 image * 32/M = 0.00056 + 0.032 = 0.03256
    expect(oneFive?.attributes['llmcost.cost.output']).toBe(0.03256);
    expect(oneFive?.attributes['gen_ai.usage.cost']).toBe(0.03306);
  });
});
