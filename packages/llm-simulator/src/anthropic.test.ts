import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from './index.ts';

let sim: Simulator;
let client: Anthropic;

beforeAll(async () => {
  sim = await startSimulator();
  client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: sim.url, maxRetries: 2, openTelemetry: false });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

describe('Anthropic wire format', () => {
  it('answers messages with Anthropic usage semantics (input_tokens excludes cache)', async () => {
    sim.script({
      model: 'claude-sonnet-4-20250514',
      usage: { inputTokens: 1000, cachedTokens: 600, cacheWriteTokens: 300, cacheWrite1hTokens: 100, outputTokens: 50 },
    });
    const r = await client.messages.create({
      model: 'claude-sonnet-4-0',
      max_tokens: 100,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(r.model).toBe('claude-sonnet-4-20250514');
    expect(r.usage.input_tokens).toBe(100);
    expect(r.usage.cache_read_input_tokens).toBe(600);
    expect(r.usage.cache_creation_input_tokens).toBe(300);
    expect(r.usage.cache_creation).toEqual({ ephemeral_5m_input_tokens: 200, ephemeral_1h_input_tokens: 100 });
    expect(r.content[0]).toEqual({ type: 'text', text: 'Hello from the simulator.' });
    expect(sim.requests[0]?.path).toBe('/v1/messages');
  });

  it('streams SSE events that the SDK accumulates, with the final usage in message_delta', async () => {
    sim.script({ content: ['a', 'b'], usage: { inputTokens: 20, outputTokens: 7, reasoningTokens: 3 } });
    const stream = client.messages.stream({
      model: 'claude-sonnet-4-0',
      max_tokens: 100,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [{ role: 'user', content: 'hi' }],
    });
    const message = await stream.finalMessage();
    expect(message.content.map((b) => b.type)).toEqual(['thinking', 'text']);
    expect(message.content[1]).toMatchObject({ type: 'text', text: 'ab' });
    expect(message.usage.output_tokens).toBe(7);
    expect(message.usage.input_tokens).toBe(20);
  });

  it('streams tool use with create({ stream: true })', async () => {
    sim.script({ toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }] });
    const stream = await client.messages.create({
      model: 'claude-sonnet-4-0',
      max_tokens: 100,
      stream: true,
      messages: [{ role: 'user', content: 'weather?' }],
      tools: [{ name: 'get_weather', input_schema: { type: 'object' } }],
    });
    const types: string[] = [];
    let stop: string | null | undefined;
    for await (const e of stream) {
      types.push(e.type);
      if (e.type === 'message_delta') stop = e.delta.stop_reason;
    }
    expect(types[0]).toBe('message_start');
    expect(types.at(-1)).toBe('message_stop');
    expect(stop).toBe('tool_use');
  });

  it('sends Anthropic error envelopes; the SDK retries 529 overloaded', async () => {
    sim.script({ status: 529, headers: { 'retry-after-ms': '1' } });
    const r = await client.messages.create({
      model: 'claude-sonnet-4-0',
      max_tokens: 10,
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(r.type).toBe('message');
    expect(sim.requests).toHaveLength(2);
    sim.script({ status: 400, errorMessage: 'bad' });
    await expect(
      client.messages.create({
        model: 'claude-sonnet-4-0',
        max_tokens: 10,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    ).rejects.toMatchObject({ status: 400, type: 'invalid_request_error' });
  });

  it('reports usage.service_tier (standard unless scripted) and usage.speed, also in message_start', async () => {
    const hi = [{ role: 'user' as const, content: 'hi' }];
    const standard = await client.messages.create({ model: 'claude-sonnet-5-5', max_tokens: 10, messages: hi });
    expect(standard.usage).toMatchObject({ service_tier: 'standard', speed: 'standard' });
    sim.script({ serviceTier: 'batch' }, { serviceTier: 'priority' }, { serviceTier: 'priority' });
    const batch = await client.messages.create({ model: 'claude-sonnet-5-5', max_tokens: 10, messages: hi });
    expect(batch.usage.service_tier).toBe('batch');
    const priority = await client.messages.create({ model: 'claude-sonnet-5-5', max_tokens: 10, messages: hi });
    expect(priority.usage.service_tier).toBe('priority');
    // standard_only is never served at priority.
    const only = await client.messages.create({
      model: 'claude-sonnet-5-5',
      max_tokens: 10,
      messages: hi,
      service_tier: 'standard_only',
    });
    expect(only.usage.service_tier).toBe('standard');
    const fast = client.messages.stream({ model: 'claude-opus-5-5', max_tokens: 10, messages: hi, speed: 'fast' });
    let start: Anthropic.Messages.Usage | undefined;
    fast.on('streamEvent', (e) => {
      if (e.type === 'message_start') start = e.message.usage;
    });
    const final = await fast.finalMessage();
    expect(start).toMatchObject({ service_tier: 'standard', speed: 'fast' });
    expect(final.usage.speed).toBe('fast');
  });
});
