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
});
