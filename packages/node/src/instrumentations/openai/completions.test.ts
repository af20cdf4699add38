import type OpenAIType from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../../test/helpers/harness.js';

// The legacy Completions API with the real openai 7 client over HTTP to the simulator. Expected costs by hand from
// the price data (packages/pricing/data/genai-prices.json, genai-prices 0.2.3), USD per 1M tokens:
// gpt-3.5-turbo-instruct input 1.50 / output 2; davinci-002 input 2 / output 2.

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

describe('completions (legacy)', () => {
  it('prices a plain completion as text_completion', async () => {
    h.sim.script(
      { usage: { inputTokens: 1000, outputTokens: 500 } },
      { usage: { inputTokens: 1000, outputTokens: 1000 } },
    );
    const r = await client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Say hi', max_tokens: 16 });
    expect(r.object).toBe('text_completion');
    expect(r.choices[0]?.text).toBe(' Hello from the simulator.');
    await client.completions.create({ model: 'davinci-002', prompt: 'Say hi' });
    await h.flush();
    const [instruct, davinci] = h.llmSpans();
    expect(instruct?.name).toBe('text_completion gpt-3.5-turbo-instruct');
    expect(instruct?.attributes).toMatchObject({
      'gen_ai.operation.name': 'text_completion',
      'gen_ai.request.max_tokens': 16,
      'gen_ai.response.finish_reasons': ['stop'],
    });
    // 1000 * 1.50/M + 500 * 2/M = 0.0015 + 0.001
    expect(instruct?.attributes['gen_ai.usage.cost']).toBe(0.0025);
    // 1000 * 2/M + 1000 * 2/M
    expect(davinci?.attributes['gen_ai.usage.cost']).toBe(0.004);
  });

  it('asks a stream for usage and keeps the usage-only chunk from the caller who did not ask', async () => {
    h.sim.script({ content: ['Hel', 'lo'], usage: { inputTokens: 2000, outputTokens: 1000 } });
    const stream = await client.completions.create({ model: 'gpt-3.5-turbo-instruct', prompt: 'Say hi', stream: true });
    const texts: string[] = [];
    for await (const chunk of stream) {
      expect(chunk.choices).toHaveLength(1);
      texts.push(chunk.choices[0]?.text ?? '');
    }
    expect(texts.join('')).toBe('Hello');
    expect(h.sim.requests[0]?.body.stream_options).toEqual({ include_usage: true });
    const span = await h.onlySpan();
    expect(span.attributes['gen_ai.response.finish_reasons']).toEqual(['stop']);
    // 2000 * 1.50/M + 1000 * 2/M = 0.003 + 0.002
    expect(span.attributes['gen_ai.usage.cost']).toBe(0.005);
  });

  it('a stream whose caller opted out of usage is unpriced (no_usage)', async () => {
    const stream = await client.completions.create({
      model: 'gpt-3.5-turbo-instruct',
      prompt: 'Say hi',
      stream: true,
      stream_options: { include_usage: false },
    });
    for await (const _ of stream) {
      // drain
    }
    const span = await h.onlySpan();
    expect(span.attributes['gen_ai.usage.cost']).toBeUndefined();
    expect(span.attributes['llmcost.unpriced.reason']).toBe('no_usage');
  });
});
