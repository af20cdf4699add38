import type AnthropicV0 from 'anthropic-v0';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../../test/helpers/harness.js';
import { withAttribution } from '../../index.js';
import { AnthropicInstrumentation } from './instrumentation.js';

// @anthropic-ai/sdk 0.133.0 (alias `anthropic-v0`, traces nothing itself): our spans for the legacy Text
// Completions API, web search fees and Message Batches results.
// Hand-computed from packages/pricing/data/genai-prices.json, claude-haiku-4-5 (USD): input 1.00 / output 5.00
// per 1M tokens, web_searches_kcount 10 ($10 per 1,000 searches); batch variant input 0.50 / output 2.50 per 1M.

let h: Harness;
let client: AnthropicV0;
const instrumentation = new AnthropicInstrumentation();

beforeAll(async () => {
  h = await startHarness({ anthropic: false, instrumentations: [instrumentation] });
  const v0: typeof import('anthropic-v0') = h.require('anthropic-v0');
  expect(h.require('anthropic-v0/version').VERSION).toBe('0.133.0');
  instrumentation.manuallyInstrument(v0);
  client = new v0.default({ apiKey: 'sk-ant-test', baseURL: h.sim.url, maxRetries: 0 });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
  h.receiver.reset();
});
afterEach(() => {
  expect(h.warnings.filter((w) => w.includes('internal error'))).toEqual([]);
});

const model = 'claude-haiku-4-5';
const messages = [{ role: 'user' as const, content: 'hello' }];
const webSearch = { type: 'web_search_20250305' as const, name: 'web_search' as const, max_uses: 3 };

describe('legacy completions.create (Text Completions API)', () => {
  it('one text_completion span, unpriced no_usage (the wire format has no usage), plain and streamed', async () => {
    h.sim.script({ model: 'claude-2.1', content: [' Hello', '!'] }, { model: 'claude-2.1', content: [' Hi', '!'] });
    await withAttribution({ feature: 'legacy' }, async () => {
      const c = await client.completions.create({
        model: 'claude-2.1',
        max_tokens_to_sample: 50,
        prompt: '\n\nHuman: hello\n\nAssistant:',
      });
      expect(c.completion).toBe(' Hello!');
      expect(c).not.toHaveProperty('usage');
      const stream = await client.completions.create({
        model: 'claude-2.1',
        max_tokens_to_sample: 50,
        prompt: '\n\nHuman: hello\n\nAssistant:',
        stream: true,
      });
      let text = '';
      for await (const e of stream) text += e.completion;
      expect(text).toBe(' Hi!');
    });
    await h.flush();
    const spans = h.llmSpans();
    expect(spans).toHaveLength(2);
    for (const span of spans) {
      expect(span.name).toBe('text_completion claude-2.1');
      expect(span.attributes).toMatchObject({
        'gen_ai.operation.name': 'text_completion',
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.request.max_tokens': 50,
        'gen_ai.response.model': 'claude-2.1',
        'gen_ai.response.finish_reasons': ['stop_sequence'],
        'llmcost.unpriced': true,
        'llmcost.unpriced.reason': 'no_usage',
      });
      expect(span.attributes['gen_ai.usage.cost']).toBeUndefined();
    }
    const unpriced = h.points('llmcost.unpriced.requests', { 'app.feature': 'legacy' });
    expect(unpriced.reduce((sum, p) => sum + (p.value ?? 0), 0)).toBe(2);
  });
});

describe('web search fees on our messages.create spans', () => {
  // 1000 * 1.00 / 1M = 0.001; 200 * 5.00 / 1M = 0.001; 3 searches * 10 / 1000 = 0.03 -> 0.032
  const usage = { inputTokens: 1000, outputTokens: 200 };

  it('plain and streamed', async () => {
    h.sim.script({ model, usage }, { model, usage });
    await client.messages.create({ model, max_tokens: 100, messages, tools: [webSearch] });
    const stream = await client.messages.create({ model, max_tokens: 100, messages, tools: [webSearch], stream: true });
    for await (const _ of stream) {
    }
    await h.flush();
    const spans = h.llmSpans();
    expect(spans).toHaveLength(2);
    for (const span of spans) {
      expect(span.attributes['llmcost.usage.web_searches']).toBe(3);
      expect(span.attributes['gen_ai.usage.cost']).toBe(0.032);
    }
  });
});

describe('messages.batches results (a version that does not trace itself)', () => {
  it('one deferred span per succeeded result at the batch price, once', async () => {
    h.sim.script({ model, usage: { inputTokens: 1000, outputTokens: 200 } });
    const batch = await client.messages.batches.create({
      requests: [
        { custom_id: 'x', params: { model, max_tokens: 100, messages } },
        { custom_id: 'y_expired', params: { model, max_tokens: 100, messages } },
      ],
    });
    await client.messages.batches.retrieve(batch.id);
    for (let i = 0; i < 2; i++)
      for await (const _ of await client.messages.batches.results(batch.id)) {
      }
    await h.flush();
    const spans = h.llmSpans();
    expect(spans).toHaveLength(1);
    // 1000 * 0.50 / 1M + 200 * 2.50 / 1M = 0.001
    expect(spans[0]?.attributes).toMatchObject({
      'anthropic.message.batch.id': batch.id,
      'anthropic.message.batch.custom_id': 'x',
      'llmcost.deferred': true,
      'gen_ai.usage.cost': 0.001,
    });
  });
});
