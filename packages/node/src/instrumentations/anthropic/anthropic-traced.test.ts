import type AnthropicType from '@anthropic-ai/sdk';
import { context, SpanKind, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../../test/helpers/harness.js';
import { withAttribution } from '../../index.js';

// @anthropic-ai/sdk 1.12.0 traces itself (scope com.anthropic.sdk.typescript, span anthropic.messages.create):
// we add no span; LlmCostForeignSpanProcessor prices and attributes the SDK's own span.
// Expected costs by hand from Anthropic's list prices, Claude Sonnet 4 (USD per 1M tokens):
// input 3.00, cache read 0.30, 5m cache write 3.75, 1h cache write 6.00, output 15.00.

let h: Harness;
let client: AnthropicType;

beforeAll(async () => {
  // init() registers the Anthropic instrumentation and LlmCostForeignSpanProcessor by default.
  h = await startHarness();
  const Anthropic = (h.require('@anthropic-ai/sdk') as typeof import('@anthropic-ai/sdk')).default;
  client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: h.sim.url, maxRetries: 2 });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
  h.receiver.reset();
});

const messages = [{ role: 'user' as const, content: 'hello' }];
const CACHE_USAGE = {
  inputTokens: 1000,
  cachedTokens: 600,
  cacheWriteTokens: 300,
  cacheWrite1hTokens: 100,
  outputTokens: 50,
};

describe('@anthropic-ai/sdk 1.x (traces itself)', () => {
  it('prices the SDK own span once, with 5m and 1h cache writes priced apart', async () => {
    h.sim.script({ model: 'claude-sonnet-4-20250514', usage: CACHE_USAGE });
    const r = await withAttribution({ feature: 'summarize', customerId: 'acme' }, () =>
      client.messages.create({ model: 'claude-sonnet-4-20250514', max_tokens: 100, messages }),
    );
    expect(r.usage.input_tokens).toBe(100);
    await h.flush();
    const spans = h.llmSpans();
    expect(spans).toHaveLength(1);
    const span = spans[0];
    expect(span?.name).toBe('anthropic.messages.create');
    expect(span?.kind).toBe(3);
    expect(span?.attributes).toMatchObject({
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'claude-sonnet-4-20250514',
      'gen_ai.response.model': 'claude-sonnet-4-20250514',
      // semconv sum: 100 + 600 + 300
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 50,
      'gen_ai.usage.cache_read.input_tokens': 600,
      'gen_ai.usage.cache_creation.input_tokens': 300,
      'llmcost.usage.cache_creation_1h.input_tokens': 100,
      'llmcost.priced_by': 'sdk',
      'llmcost.sdk.metrics': true,
      'llmcost.cost.source': 'pricing_data',
      'app.feature': 'summarize',
      'app.customer.id': 'acme',
    });
    // input: 100*3 + 600*0.30 + 200*3.75 + 100*6 = 1830 per 1M -> 0.00183; output 50*15 -> 0.00075
    expect(span?.attributes['llmcost.cost.input']).toBe(0.00183);
    expect(span?.attributes['llmcost.cost.output']).toBe(0.00075);
    expect(span?.attributes['gen_ai.usage.cost']).toBe(0.00258);
    const cost = h.points('llmcost.cost', { 'app.feature': 'summarize' });
    expect(cost).toHaveLength(1);
    expect(cost[0]?.value).toBeCloseTo(0.00258, 12);
    expect(cost[0]?.attributes).toMatchObject({
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-sonnet-4-20250514',
      'app.customer.id': 'acme',
    });
    const tokens = Object.fromEntries(
      h
        .points('llmcost.tokens', { 'app.feature': 'summarize' })
        .map((p) => [p.attributes['llmcost.token_type'], p.value]),
    );
    expect(tokens).toEqual({ input: 1000, output: 50, cache_read: 600, cache_creation: 300 });
  });

  it('prices streams (create stream: true and messages.stream) from the final message_delta usage; thinking is output', async () => {
    h.sim.script(
      { content: ['a', 'b'], usage: { inputTokens: 2000, outputTokens: 300, reasoningTokens: 200 } },
      { content: ['c'], usage: { inputTokens: 2000, outputTokens: 300 } },
    );
    await withAttribution({ feature: 'stream' }, async () => {
      const s = client.messages.stream({
        model: 'claude-sonnet-4-20250514',
        max_tokens: 1000,
        thinking: { type: 'enabled', budget_tokens: 500 },
        messages,
      });
      await s.finalMessage();
      const raw = await client.messages.create({
        model: 'claude-sonnet-4-20250514',
        max_tokens: 1000,
        stream: true,
        messages,
      });
      for await (const _ of raw) {
      }
    });
    await h.flush();
    const spans = h.llmSpans();
    expect(spans).toHaveLength(2);
    for (const span of spans) {
      // 2000*3 = 0.006; 300*15 = 0.0045
      expect(span.attributes['gen_ai.usage.cost']).toBe(0.0105);
      expect(span.attributes['gen_ai.usage.output_tokens']).toBe(300);
      expect(span.attributes['app.feature']).toBe('stream');
    }
    expect(spans.find((s) => s.attributes['gen_ai.usage.reasoning.output_tokens'] === 200)).toBeDefined();
  });

  it('a stream abandoned before message_delta: the SDK span has no output count; priced on input, marked partial', async () => {
    h.sim.script({ content: ['a', 'b', 'c'], hangAfterChunks: 1, usage: { inputTokens: 1000, outputTokens: 300 } });
    await withAttribution({ feature: 'stream-break' }, async () => {
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
    expect(span?.name).toBe('anthropic.messages.create');
    expect(span?.attributes['gen_ai.usage.output_tokens']).toBeUndefined();
    expect(span?.attributes['llmcost.cost.partial']).toBe(true);
    // 1000*3 = 0.003
    expect(span?.attributes['gen_ai.usage.cost']).toBe(0.003);
  });

  it('other SDK spans (count_tokens) are not model calls: neither priced nor counted as unpriced', async () => {
    h.sim.script({ usage: { inputTokens: 42 } });
    const r = await withAttribution({ feature: 'count' }, () =>
      client.messages.countTokens({ model: 'claude-sonnet-4-20250514', messages }),
    );
    expect(r.input_tokens).toBe(42);
    await h.flush();
    const span = h.receiver.spans.find((s) => s.name === 'anthropic.messages.count_tokens');
    expect(span?.attributes['gen_ai.provider.name']).toBe('anthropic');
    expect(span?.attributes['gen_ai.usage.cost']).toBeUndefined();
    expect(span?.attributes['llmcost.unpriced']).toBeUndefined();
    expect(h.points('llmcost.unpriced.requests', { 'app.feature': 'count' })).toHaveLength(0);
    expect(h.points('gen_ai.client.operation.duration', { 'app.feature': 'count' })).toHaveLength(0);
  });

  it('a 1.x client with its own tracing turned off (openTelemetry: false) gets our span instead, same price', async () => {
    const Anthropic = (h.require('@anthropic-ai/sdk') as typeof import('@anthropic-ai/sdk')).default;
    const quiet = new Anthropic({ apiKey: 'sk-ant-test', baseURL: h.sim.url, openTelemetry: false });
    h.sim.script({ model: 'claude-sonnet-4-20250514', usage: CACHE_USAGE });
    await withAttribution({ feature: 'quiet' }, () =>
      quiet.messages.create({ model: 'claude-sonnet-4-20250514', max_tokens: 100, messages }),
    );
    await h.flush();
    const spans = h.llmSpans();
    expect(spans).toHaveLength(1);
    expect(spans[0]?.name).toBe('chat claude-sonnet-4-20250514');
    expect(spans[0]?.attributes['gen_ai.usage.input_tokens']).toBe(1000);
    expect(spans[0]?.attributes['gen_ai.usage.cost']).toBe(0.00258);
  });

  it('sets llmcost.route from the server span, not the SDK http.route (the API path)', async () => {
    h.sim.script({ usage: { inputTokens: 10, outputTokens: 10 } });
    const tracer = trace.getTracer('test-server');
    const server = tracer.startSpan('GET /summaries/:id', {
      kind: SpanKind.SERVER,
      attributes: { 'http.route': '/summaries/:id', 'app.team': 'docs' },
    });
    await context.with(trace.setSpan(context.active(), server), () =>
      client.messages.create({ model: 'claude-sonnet-4-20250514', max_tokens: 10, messages }),
    );
    server.end();
    await h.flush();
    const [span] = h.llmSpans();
    expect(span?.attributes['http.route']).toBe('/v1/messages');
    expect(span?.attributes['llmcost.route']).toBe('/summaries/:id');
    expect(span?.attributes['app.team']).toBe('docs');
    expect(h.points('llmcost.cost', { 'llmcost.route': '/summaries/:id' })).toHaveLength(1);
  });

  it('counts a 529-retried call once and keeps SDK errors unchanged', async () => {
    h.sim.script({ status: 529, headers: { 'retry-after-ms': '1' } }, { usage: { inputTokens: 10, outputTokens: 10 } });
    await withAttribution({ feature: 'retry' }, () =>
      client.messages.create({ model: 'claude-sonnet-4-20250514', max_tokens: 10, messages }),
    );
    h.sim.script({ status: 400, errorMessage: 'nope' });
    const err = await withAttribution({ feature: 'retry-fail' }, () =>
      client.messages.create({ model: 'claude-sonnet-4-20250514', max_tokens: 10, messages }),
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf((h.require('@anthropic-ai/sdk') as typeof import('@anthropic-ai/sdk')).BadRequestError);
    await h.flush();
    expect(h.sim.requests).toHaveLength(3);
    const spans = h.llmSpans();
    expect(spans).toHaveLength(2);
    // 10*3 + 10*15 = 180 per 1M
    expect(h.points('llmcost.cost', { 'app.feature': 'retry' })[0]?.value).toBeCloseTo(0.00018, 12);
    const failed = spans.find((s) => s.attributes['app.feature'] === 'retry-fail');
    expect(failed?.attributes['gen_ai.usage.cost']).toBeUndefined();
    expect(failed?.attributes['error.type']).toBe('invalid_request_error');
    expect(
      h.points('gen_ai.client.operation.duration', { 'app.feature': 'retry-fail' })[0]?.attributes['error.type'],
    ).toBe('invalid_request_error');
  });
});
