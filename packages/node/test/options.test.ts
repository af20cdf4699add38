import type OpenAIType from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './helpers/harness.js';

let h: Harness;
let client: OpenAIType;

beforeAll(async () => {
  h = await startHarness({
    captureContent: true,
    priceOverrides: { models: [{ model: 'ft:gpt-4o-mini:acme::x1', prices: { input_mtok: 3, output_mtok: 12 } }] },
    openai: { streamUsage: false },
  });
  await h.otel.ready;
  const { OpenAI } = h.require('openai') as typeof import('openai');
  client = new OpenAI({ apiKey: 'sk-test', baseURL: h.sim.openaiBaseURL });
});
afterAll(() => h.close());

describe('init options', () => {
  it('prices from user overrides, records content only when opted in, and honours streamUsage: false', async () => {
    h.sim.script({ usage: { inputTokens: 1000, outputTokens: 100 } }, { content: ['a'] });
    await client.chat.completions.create({
      model: 'ft:gpt-4o-mini:acme::x1',
      messages: [{ role: 'user', content: 'secret prompt' }],
    });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      messages: [{ role: 'user', content: 'x' }],
      stream: true,
    });
    for await (const _ of stream) {
      // drain
    }
    expect(h.sim.requests[1]?.body.stream_options).toBeUndefined();
    await h.flush();
    const [priced, streamed] = h.llmSpans();
    // 1000 * 3/M + 100 * 12/M
    expect(priced?.attributes['gen_ai.usage.cost']).toBe(0.0042);
    expect(priced?.attributes['llmcost.cost.source']).toBe('override');
    expect(String(priced?.attributes['gen_ai.input.messages'])).toContain('secret prompt');
    expect(String(priced?.attributes['gen_ai.output.messages'])).toContain('Hello from the simulator.');
    expect(streamed?.attributes['llmcost.unpriced.reason']).toBe('no_usage');
  });
});
