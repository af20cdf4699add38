import type AnthropicType from '@anthropic-ai/sdk';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../../test/helpers/harness.js';
import { withAttribution } from '../../index.js';

// @anthropic-ai/sdk 1.12.0 (traces itself): Message Batches results and server-tool (web search) fees.
// Hand-computed from packages/pricing/data/genai-prices.json, claude-haiku-4-5 (USD):
//   standard: input 1.00 / output 5.00 per 1M tokens, web_searches_kcount 10 ($10 per 1,000 searches);
//   price_variants `processing: batch` (from 2026-10-14): input 0.50 / output 2.50 per 1M (no search price of
//   its own: searches stay at $10 per 1,000).

let h: Harness;
let client: AnthropicType;

beforeAll(async () => {
  h = await startHarness();
  const Anthropic = (h.require('@anthropic-ai/sdk') as typeof import('@anthropic-ai/sdk')).default;
  client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: h.sim.url, maxRetries: 0 });
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
const webSearch = (maxUses: number) => ({
  type: 'web_search_20250305' as const,
  name: 'web_search' as const,
  max_uses: maxUses,
});

async function readAll<T>(results: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const line of results) out.push(line);
  return out;
}

describe('messages.batches results (SDK 1.12)', () => {
  it('one deferred span per succeeded result, at the batch price, counted once; errored/canceled/expired not billed', async () => {
    h.sim.script({ model, usage: { inputTokens: 1000, outputTokens: 200 } });
    const lines = await withAttribution({ feature: 'batch' }, async () => {
      const batch = await client.messages.batches.create({
        requests: [
          { custom_id: 'a', params: { model, max_tokens: 100, messages } },
          { custom_id: 'b', params: { model, max_tokens: 100, messages, tools: [webSearch(2)] } },
          // No max_tokens: the API answers this request with an errored result.
          { custom_id: 'c', params: { model, messages } as never },
          { custom_id: 'd_canceled', params: { model, max_tokens: 100, messages } },
          { custom_id: 'e_expired', params: { model, max_tokens: 100, messages } },
        ],
      });
      expect(batch.processing_status).toBe('in_progress');
      const ended = await client.messages.batches.retrieve(batch.id);
      expect(ended.processing_status).toBe('ended');
      expect(ended.request_counts).toMatchObject({ succeeded: 2, errored: 1, canceled: 1, expired: 1 });
      const first = await readAll(await client.messages.batches.results(batch.id));
      // Downloaded again (a retry, another report): nothing is priced twice in this process.
      const again = await readAll(await client.messages.batches.results(batch.id));
      expect(again).toEqual(first);
      return first;
    });
    // The caller gets every line as the API sent it.
    expect(lines.map((l) => [l.custom_id, l.result.type])).toEqual([
      ['a', 'succeeded'],
      ['b', 'succeeded'],
      ['c', 'errored'],
      ['d_canceled', 'canceled'],
      ['e_expired', 'expired'],
    ]);
    await h.flush();
    const spans = h.llmSpans();
    expect(spans.map((s) => s.attributes['anthropic.message.batch.custom_id'])).toEqual(['a', 'b']);
    for (const span of spans) {
      expect(span.name).toBe('chat claude-haiku-4-5');
      expect(span.attributes).toMatchObject({
        'gen_ai.provider.name': 'anthropic',
        'gen_ai.operation.name': 'chat',
        'gen_ai.response.model': model,
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.output_tokens': 200,
        'anthropic.response.service_tier': 'batch',
        'llmcost.price.context.processing': 'batch',
        'llmcost.deferred': true,
        'app.feature': 'batch',
      });
      // batch price: 1000 * 0.50 / 1M = 0.0005 input; 200 * 2.50 / 1M = 0.0005 output
      expect(span.attributes['llmcost.cost.input']).toBe(0.0005);
      expect(span.attributes['llmcost.cost.output']).toBe(0.0005);
    }
    const [a, b] = spans;
    expect(a?.attributes['gen_ai.usage.cost']).toBe(0.001);
    // b ran 2 web searches: 0.001 + 2 * 10 / 1000 = 0.021
    expect(b?.attributes['llmcost.usage.web_searches']).toBe(2);
    expect(b?.attributes['gen_ai.usage.cost']).toBe(0.021);
    // The SDK's own spans of create / retrieve / results are no model calls: never priced.
    const sdkSpans = h.receiver.spans.filter((s) => s.name.startsWith('anthropic.messages.batches.'));
    expect(sdkSpans.length).toBeGreaterThanOrEqual(4);
    for (const s of sdkSpans) expect(s.attributes['gen_ai.usage.cost']).toBeUndefined();
    // Cost counter: 0.001 + 0.021 = 0.022; nothing unpriced; no duration for deferred spans.
    const cost = h.points('llmcost.cost', { 'app.feature': 'batch' });
    expect(cost.reduce((sum, p) => sum + (p.value ?? 0), 0)).toBeCloseTo(0.022, 12);
    expect(h.points('llmcost.unpriced.requests', { 'app.feature': 'batch' })).toHaveLength(0);
    expect(h.points('gen_ai.client.operation.duration', { 'app.feature': 'batch' })).toHaveLength(0);
  });

  it('a results download that fails prices nothing and throws to the caller as before', async () => {
    await expect(client.messages.batches.results('msgbatch_unknown')).rejects.toThrow();
    await h.flush();
    expect(h.llmSpans()).toHaveLength(0);
  });
});

describe('server-tool fees on the SDK own messages.create span (SDK 1.12)', () => {
  // 1000 * 1.00 / 1M = 0.001 input; 200 * 5.00 / 1M = 0.001 output; 3 searches * 10 / 1000 = 0.03 -> 0.032
  const usage = { inputTokens: 1000, outputTokens: 200 };

  it('plain: usage.server_tool_use.web_search_requests priced on the one SDK span', async () => {
    h.sim.script({ model, usage });
    const r = await client.messages.create({ model, max_tokens: 100, messages, tools: [webSearch(3)] });
    expect(r.usage.server_tool_use?.web_search_requests).toBe(3);
    expect(r.content.map((b) => b.type)).toContain('web_search_tool_result');
    const span = await h.onlySpan();
    expect(span.name).toBe('anthropic.messages.create');
    expect(span.attributes['llmcost.usage.web_searches']).toBe(3);
    expect(span.attributes['gen_ai.usage.cost']).toBe(0.032);
  });

  it('streams (create stream: true and messages.stream): the count from message_delta', async () => {
    h.sim.script({ model, usage }, { model, usage });
    const raw = await client.messages.create({ model, max_tokens: 100, stream: true, messages, tools: [webSearch(3)] });
    for await (const _ of raw) {
    }
    const final = await client.messages
      .stream({ model, max_tokens: 100, messages, tools: [webSearch(3)] })
      .finalMessage();
    expect(final.usage.server_tool_use?.web_search_requests).toBe(3);
    await h.flush();
    const spans = h.llmSpans();
    expect(spans).toHaveLength(2);
    for (const span of spans) {
      expect(span.attributes['llmcost.usage.web_searches']).toBe(3);
      expect(span.attributes['gen_ai.usage.cost']).toBe(0.032);
    }
  });

  it('no server tool: no search count, tokens only (0.002)', async () => {
    h.sim.script({ model, usage });
    await client.messages.create({ model, max_tokens: 100, messages });
    const span = await h.onlySpan();
    expect(span.attributes['llmcost.usage.web_searches']).toBeUndefined();
    expect(span.attributes['gen_ai.usage.cost']).toBe(0.002);
  });
});
