import type AnthropicType from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../../test/helpers/harness.js';

// usage.service_tier (standard | priority | batch) and usage.speed (standard | fast) select price variants,
// with @anthropic-ai/sdk 1.12 over HTTP to the simulator: on the SDK's own span (it writes
// anthropic.response.service_tier) and on ours (a client with openTelemetry: false).
// Expected costs by hand from the price data (genai-prices 0.2.3), USD per 1M tokens:
// - claude-sonnet-5-5: standard input 2, cache read 0.10, output 10; batch (since 2026-10-14) input 1,
//   cache read 0.05, output 5.
// - claude-opus-5-5: standard input 4, output 20; fast input 8, output 40.

let h: Harness;
let traced: AnthropicType;
let quiet: AnthropicType;

beforeAll(async () => {
  h = await startHarness();
  const Anthropic = (h.require('@anthropic-ai/sdk') as typeof import('@anthropic-ai/sdk')).default;
  traced = new Anthropic({ apiKey: 'sk-ant-test', baseURL: h.sim.url, maxRetries: 0 });
  quiet = new Anthropic({ apiKey: 'sk-ant-test', baseURL: h.sim.url, maxRetries: 0, openTelemetry: false });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
  h.receiver.reset();
});

const messages = [{ role: 'user' as const, content: 'hello' }];

const onlySpan = () => h.onlySpan();

describe('Anthropic service tier and speed', () => {
  it('SDK span: a response with service_tier batch is priced at the batch variant', async () => {
    h.sim.script({ serviceTier: 'batch', usage: { inputTokens: 1000, outputTokens: 100 } });
    const r = await traced.messages.create({ model: 'claude-sonnet-5-5', max_tokens: 100, messages });
    expect(r.usage.service_tier).toBe('batch');
    const span = await onlySpan();
    expect(span.name).toBe('anthropic.messages.create');
    expect(span.attributes).toMatchObject({
      'anthropic.response.service_tier': 'batch',
      'llmcost.price.context.processing': 'batch',
      'llmcost.price.variant': 'processing=batch',
    });
    expect(span.attributes['llmcost.price.context.service_tier']).toBeUndefined();
    // 1000 * 1/M = 0.001; 100 * 5/M = 0.0005
    expect(span.attributes['gen_ai.usage.cost']).toBe(0.0015);
  });

  it('our span (openTelemetry: false): batch with cache reads, every price key from the variant', async () => {
    h.sim.script({ serviceTier: 'batch', usage: { inputTokens: 1000, cachedTokens: 600, outputTokens: 100 } });
    await quiet.messages.create({ model: 'claude-sonnet-5-5', max_tokens: 100, messages });
    const span = await onlySpan();
    expect(span.name).toBe('chat claude-sonnet-5-5');
    expect(span.attributes).toMatchObject({
      'anthropic.response.service_tier': 'batch',
      'llmcost.price.context.processing': 'batch',
      'llmcost.price.variant': 'processing=batch',
    });
    // input: 400 * 1/M + 600 cached * 0.05/M = 0.0004 + 0.00003 = 0.00043; output 100 * 5/M = 0.0005
    expect(span.attributes['llmcost.cost.input']).toBe(0.00043);
    expect(span.attributes['gen_ai.usage.cost']).toBe(0.00093);
  });

  it('standard and priority are recorded as the service_tier context; no variant, standard prices', async () => {
    h.sim.script(
      { usage: { inputTokens: 1000, outputTokens: 100 } },
      { serviceTier: 'priority', content: ['a', 'b'], usage: { inputTokens: 1000, outputTokens: 100 } },
    );
    await traced.messages.create({ model: 'claude-sonnet-5-5', max_tokens: 100, messages });
    const stream = await quiet.messages.create({ model: 'claude-sonnet-5-5', max_tokens: 100, messages, stream: true });
    for await (const _ of stream) {
    }
    await h.flush();
    const [standard, priority] = h.llmSpans();
    expect(standard?.attributes['anthropic.response.service_tier']).toBe('standard');
    expect(standard?.attributes['llmcost.price.context.service_tier']).toBe('standard');
    // The stream's tier comes from message_start (message_delta does not repeat it).
    expect(priority?.attributes['anthropic.response.service_tier']).toBe('priority');
    expect(priority?.attributes['llmcost.price.context.service_tier']).toBe('priority');
    for (const span of [standard, priority]) {
      expect(span?.attributes['llmcost.price.variant']).toBeUndefined();
      // 1000 * 2/M = 0.002; 100 * 10/M = 0.001
      expect(span?.attributes['gen_ai.usage.cost']).toBe(0.003);
    }
  });

  it('our span: speed fast (fast mode) is priced at the fast variant', async () => {
    h.sim.script({ usage: { inputTokens: 1000, outputTokens: 100 } });
    const r = await quiet.messages.create({ model: 'claude-opus-5-5', max_tokens: 100, messages, speed: 'fast' });
    expect(r.usage.speed).toBe('fast');
    const span = await onlySpan();
    expect(span.attributes).toMatchObject({
      'llmcost.price.context.service_tier': 'standard',
      'llmcost.price.context.speed': 'fast',
      'llmcost.price.variant': 'speed=fast',
    });
    // 1000 * 8/M = 0.008; 100 * 40/M = 0.004
    expect(span.attributes['gen_ai.usage.cost']).toBe(0.012);
  });

  it('SDK span: the SDK records no speed attribute, so fast mode is priced at standard there (known gap)', async () => {
    h.sim.script({ usage: { inputTokens: 1000, outputTokens: 100 } });
    await traced.messages.create({ model: 'claude-opus-5-5', max_tokens: 100, messages, speed: 'fast' });
    const span = await onlySpan();
    expect(span.attributes['llmcost.price.context.speed']).toBeUndefined();
    // 1000 * 4/M = 0.004; 100 * 20/M = 0.002
    expect(span.attributes['gen_ai.usage.cost']).toBe(0.006);
  });
});
