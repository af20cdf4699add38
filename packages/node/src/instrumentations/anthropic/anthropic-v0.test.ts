import type AnthropicV0 from 'anthropic-v0';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../../test/helpers/harness.js';
import { withAttribution } from '../../index.js';
import { AnthropicInstrumentation } from './instrumentation.js';

// @anthropic-ai/sdk 0.133.0 (alias `anthropic-v0`) predates the SDK's own tracing (added in 0.134.0): our
// instrumentation patches messages.create and makes the span. Same wire traffic, same priced result.
// Expected costs by hand, Claude Sonnet 4 (USD per 1M): input 3.00, cache read 0.30, 5m write 3.75,
// 1h write 6.00, output 15.00.

let h: Harness;
let client: AnthropicV0;
let v0: typeof import('anthropic-v0');
const instrumentation = new AnthropicInstrumentation();

beforeAll(async () => {
  h = await startHarness({ anthropic: false, instrumentations: [instrumentation] });
  v0 = h.require('anthropic-v0');
  expect(h.require('anthropic-v0/version').VERSION).toBe('0.133.0');
  instrumentation.manuallyInstrument(v0);
  client = new v0.default({ apiKey: 'sk-ant-test', baseURL: h.sim.url, maxRetries: 2 });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
  h.receiver.reset();
});

const messages = [{ role: 'user' as const, content: 'hello' }];

describe('@anthropic-ai/sdk 0.133 (patched)', () => {
  it('records one priced CLIENT span: semconv input sum, cache reads, 5m and 1h writes', async () => {
    h.sim.script({
      model: 'claude-sonnet-4-20250514',
      usage: { inputTokens: 1000, cachedTokens: 600, cacheWriteTokens: 300, cacheWrite1hTokens: 100, outputTokens: 50 },
    });
    const r = await withAttribution({ feature: 'v0' }, () =>
      client.messages.create({ model: 'claude-sonnet-4-20250514', max_tokens: 100, temperature: 0.5, messages }),
    );
    expect(r.usage.input_tokens).toBe(100);
    expect(r.constructor.name).toBe('Object');
    await h.flush();
    const spans = h.llmSpans();
    expect(spans).toHaveLength(1);
    const span = spans[0];
    expect(span?.name).toBe('chat claude-sonnet-4-20250514');
    expect(span?.kind).toBe(3);
    expect(span?.attributes).toMatchObject({
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'claude-sonnet-4-20250514',
      'gen_ai.response.model': 'claude-sonnet-4-20250514',
      'gen_ai.request.max_tokens': 100,
      'gen_ai.request.temperature': 0.5,
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 50,
      'gen_ai.usage.cache_read.input_tokens': 600,
      'gen_ai.usage.cache_creation.input_tokens': 300,
      'llmcost.usage.cache_creation_1h.input_tokens': 100,
      'gen_ai.response.finish_reasons': ['end_turn'],
      'llmcost.priced_by': 'sdk',
      'app.feature': 'v0',
    });
    // 100*3 + 600*0.30 + 200*3.75 + 100*6 = 1830/1M; 50*15 = 750/1M
    expect(span?.attributes['llmcost.cost.input']).toBe(0.00183);
    expect(span?.attributes['llmcost.cost.output']).toBe(0.00075);
    expect(span?.attributes['gen_ai.usage.cost']).toBe(0.00258);
    expect(h.points('llmcost.cost', { 'app.feature': 'v0' })[0]?.value).toBeCloseTo(0.00258, 12);
  });

  it('prices create({ stream: true }), messages.stream() and beta messages; streams stay the SDK objects', async () => {
    h.sim.script(
      { content: ['a', 'b'], usage: { inputTokens: 2000, outputTokens: 300, reasoningTokens: 200 } },
      { content: ['c'], usage: { inputTokens: 2000, outputTokens: 300 } },
      {
        usage: { inputTokens: 2000, outputTokens: 300 },
        toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }],
      },
    );
    await withAttribution({ feature: 'v0-stream' }, async () => {
      const s = client.messages.stream({
        model: 'claude-sonnet-4-20250514',
        max_tokens: 1000,
        thinking: { type: 'enabled', budget_tokens: 500 },
        messages,
      });
      const final = await s.finalMessage();
      expect(final.content.map((b) => b.type)).toEqual(['thinking', 'text']);
      const raw = await client.messages.create({
        model: 'claude-sonnet-4-20250514',
        max_tokens: 1000,
        stream: true,
        messages,
      });
      expect(raw.constructor.name).toBe('Stream');
      expect(typeof raw.controller?.abort).toBe('function');
      let text = '';
      for await (const e of raw)
        if (e.type === 'content_block_delta' && e.delta.type === 'text_delta') text += e.delta.text;
      expect(text).toBe('c');
      const beta = await client.beta.messages.create({
        model: 'claude-sonnet-4-20250514',
        max_tokens: 1000,
        messages,
        tools: [{ name: 'get_weather', input_schema: { type: 'object' } }],
      });
      expect(beta.stop_reason).toBe('tool_use');
    });
    await h.flush();
    const spans = h.llmSpans();
    expect(spans).toHaveLength(3);
    for (const span of spans) {
      // 2000*3 = 0.006; 300*15 = 0.0045
      expect(span.attributes['gen_ai.usage.cost']).toBe(0.0105);
      expect(span.attributes['gen_ai.usage.input_tokens']).toBe(2000);
      expect(span.attributes['llmcost.cost.partial']).toBeUndefined();
    }
    expect(spans.find((s) => s.attributes['gen_ai.usage.reasoning.output_tokens'] === 200)).toBeDefined();
    expect(spans.find((s) => s.attributes['gen_ai.response.finish_reasons']?.toString() === 'tool_use')).toBeDefined();
    expect(h.points('gen_ai.client.operation.time_to_first_chunk', { 'app.feature': 'v0-stream' })[0]?.count).toBe(2);
  });

  it('a stream abandoned with break ends its span with what was seen (partial)', async () => {
    h.sim.script({ content: ['a', 'b', 'c'], hangAfterChunks: 1, usage: { inputTokens: 1000, outputTokens: 300 } });
    await withAttribution({ feature: 'v0-break' }, async () => {
      const raw = await client.messages.create({
        model: 'claude-sonnet-4-20250514',
        max_tokens: 1000,
        stream: true,
        messages,
      });
      for await (const e of raw) if (e.type === 'content_block_delta') break;
    });
    await h.flush();
    const [span] = h.llmSpans();
    expect(span?.attributes['llmcost.cost.partial']).toBe(true);
    // input known from message_start: 1000*3 = 0.003; output not yet reported
    expect(span?.attributes['gen_ai.usage.cost']).toBe(0.003);
  });

  it('counts a 529-retried call once and rethrows API errors unchanged', async () => {
    h.sim.script({ status: 529, headers: { 'retry-after-ms': '1' } }, { usage: { inputTokens: 10, outputTokens: 10 } });
    await withAttribution({ feature: 'v0-retry' }, () =>
      client.messages.create({ model: 'claude-sonnet-4-20250514', max_tokens: 10, messages }),
    );
    const fast = { 'retry-after-ms': '1' };
    h.sim.script({ status: 429, headers: fast }, { status: 429, headers: fast }, { status: 429, headers: fast });
    const err = await withAttribution({ feature: 'v0-fail' }, () =>
      client.messages.create({ model: 'claude-sonnet-4-20250514', max_tokens: 10, messages }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(v0.RateLimitError);
    await h.flush();
    expect(h.sim.requests).toHaveLength(5);
    expect(h.llmSpans()).toHaveLength(2);
    expect(h.points('llmcost.cost', { 'app.feature': 'v0-retry' })[0]?.value).toBeCloseTo(0.00018, 12);
    const failed = h.llmSpans().find((s) => s.attributes['app.feature'] === 'v0-fail');
    expect(failed?.attributes['error.type']).toBe('RateLimitError');
    expect(failed?.attributes['gen_ai.usage.cost']).toBeUndefined();
  });
});
