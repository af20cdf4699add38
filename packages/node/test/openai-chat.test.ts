import type OpenAIType from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { withAttribution } from '../src/index.js';
import { type Harness, startHarness } from './helpers/harness.js';

// Expected costs are computed by hand from OpenAI's list prices (USD per 1M tokens):
// gpt-4o: input 2.50, cached input 1.25, output 10.00. o4-mini: input 1.10, cached 0.275, output 4.40.

let h: Harness;
let OpenAI: typeof OpenAIType;
let client: OpenAIType;

beforeAll(async () => {
  h = await startHarness();
  // Loaded after init() with require(): the require hook patches it (ESM apps are covered in processes.test.ts).
  OpenAI = h.require('openai').OpenAI;
  client = new OpenAI({ apiKey: 'sk-test', baseURL: h.sim.openaiBaseURL, maxRetries: 2 });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
  h.receiver.reset();
});

const messages = [{ role: 'user' as const, content: 'hello' }];

describe('chat completions', () => {
  it('records a priced CLIENT span with semconv attributes (cached tokens are a subset of input)', async () => {
    h.sim.script({ model: 'gpt-4o-2024-08-06', usage: { inputTokens: 1000, cachedTokens: 400, outputTokens: 200 } });
    const res = await client.chat.completions.create({ model: 'gpt-4o', messages, max_tokens: 50, temperature: 0.2 });
    expect(res.choices[0]?.message.content).toBe('Hello from the simulator.');
    await h.flush();
    const [span, ...rest] = h.llmSpans();
    expect(rest).toHaveLength(0);
    expect(span?.name).toBe('chat gpt-4o');
    expect(span?.kind).toBe(3); // CLIENT
    expect(span?.attributes).toMatchObject({
      'gen_ai.provider.name': 'openai',
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o',
      'gen_ai.response.model': 'gpt-4o-2024-08-06',
      'gen_ai.request.max_tokens': 50,
      'gen_ai.request.temperature': 0.2,
      'gen_ai.usage.input_tokens': 1000,
      'gen_ai.usage.output_tokens': 200,
      'gen_ai.usage.cache_read.input_tokens': 400,
      'gen_ai.response.finish_reasons': ['stop'],
      'server.address': '127.0.0.1',
      'llmcost.cost.source': 'pricing_data',
      'llmcost.price_data.version': 'genai-prices@0.2.3',
      'llmcost.priced_by': 'sdk',
      'llmcost.sdk.metrics': true,
    });
    // 600 uncached * 2.50/M + 400 cached * 1.25/M = 0.0015 + 0.0005; 200 * 10/M = 0.002
    expect(span?.attributes['llmcost.cost.input']).toBe(0.002);
    expect(span?.attributes['llmcost.cost.output']).toBe(0.002);
    expect(span?.attributes['gen_ai.usage.cost']).toBe(0.004);
    expect(span?.attributes['gen_ai.response.id']).toMatch(/^chatcmpl-/);
    expect(span?.attributes['llmcost.unpriced']).toBeUndefined();
    expect(span?.attributes['gen_ai.input.messages']).toBeUndefined(); // content only by opt-in
    expect(span?.attributes['gen_ai.output.messages']).toBeUndefined();
    expect(span?.resource['deployment.environment.name']).toBe('test');
    expect(span?.resource['service.name']).toBe('harness-app');
  });

  it('does not double count reasoning tokens (they are part of completion_tokens)', async () => {
    h.sim.script({ usage: { inputTokens: 2000, outputTokens: 1500, reasoningTokens: 1000 } });
    await client.chat.completions.create({ model: 'o4-mini', messages });
    await h.flush();
    const span = h.llmSpans()[0];
    expect(span?.attributes['gen_ai.usage.reasoning.output_tokens']).toBe(1000);
    expect(span?.attributes['gen_ai.usage.output_tokens']).toBe(1500);
    // 2000 * 1.10/M = 0.0022; 1500 * 4.40/M = 0.0066
    expect(span?.attributes['gen_ai.usage.cost']).toBe(0.0088);
  });

  it('keeps tool calls and parse() working', async () => {
    h.sim.script({ toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }] });
    const res = await client.chat.completions.create({
      model: 'gpt-4o',
      messages,
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: {} } } }],
    });
    expect(res.choices[0]?.message.tool_calls?.[0]).toMatchObject({ function: { name: 'get_weather' } });
    h.sim.script({ content: '{"answer":42}', usage: { inputTokens: 100, outputTokens: 10 } });
    const parsed = await client.chat.completions.parse({
      model: 'gpt-4o',
      messages,
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'a',
          strict: true,
          schema: { type: 'object', properties: { answer: { type: 'number' } }, required: ['answer'] },
        },
      },
    });
    expect(parsed.choices[0]?.message.parsed).toEqual({ answer: 42 });
    await h.flush();
    const spans = h.llmSpans();
    expect(spans).toHaveLength(2);
    expect(spans[0]?.attributes['gen_ai.response.finish_reasons']).toEqual(['tool_calls']);
    // 100 * 2.5/M + 10 * 10/M = 0.00025 + 0.0001
    expect(spans[1]?.attributes['gen_ai.usage.cost']).toBe(0.00035);
  });

  it('prices every round of runTools() (one span per model call)', async () => {
    h.sim.script(
      { toolCalls: [{ name: 'add', arguments: '{"a":1,"b":2}' }], usage: { inputTokens: 100, outputTokens: 20 } },
      { content: 'The sum is 3.', usage: { inputTokens: 150, outputTokens: 10 } },
    );
    const runner = client.chat.completions.runTools({
      model: 'gpt-4o',
      messages,
      tools: [
        {
          type: 'function',
          function: {
            name: 'add',
            description: 'adds two numbers',
            parameters: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } },
            function: (args: { a: number; b: number }) => String(args.a + args.b),
            parse: (text: string) => JSON.parse(text) as { a: number; b: number },
          },
        },
      ],
    });
    expect(await runner.finalContent()).toBe('The sum is 3.');
    await h.flush();
    // 100 * 2.5/M + 20 * 10/M = 0.00045; 150 * 2.5/M + 10 * 10/M = 0.000475
    expect(h.llmSpans().map((s) => s.attributes['gen_ai.usage.cost'])).toEqual([0.00045, 0.000475]);
  });

  it('keeps the APIPromise contract: withResponse and asResponse', async () => {
    h.sim.script({ usage: { inputTokens: 10, outputTokens: 10 } });
    const promise = client.chat.completions.create({ model: 'gpt-4o', messages });
    expect(promise.constructor.name).toBe('APIPromise');
    const { data, response, request_id } = await promise.withResponse();
    expect(data.usage?.prompt_tokens).toBe(10);
    expect(response.status).toBe(200);
    expect(request_id).toMatch(/^req_/);
    h.sim.script({ usage: { inputTokens: 10, outputTokens: 10 } });
    const raw = await client.chat.completions.create({ model: 'gpt-4o', messages }).asResponse();
    const json = (await raw.json()) as { usage: { prompt_tokens: number } };
    expect(json.usage.prompt_tokens).toBe(10);
    await h.flush();
    const spans = h.llmSpans();
    expect(spans).toHaveLength(2);
    expect(spans[0]?.attributes['gen_ai.usage.cost']).toBe(0.000125);
    // The raw body went to the caller: usage unknown, said so rather than a cost of 0.
    expect(spans[1]?.attributes['llmcost.unpriced.reason']).toBe('no_usage');
    expect(spans[1]?.attributes['gen_ai.usage.cost']).toBeUndefined();
  });

  it('rethrows errors unchanged and counts a retried call once', async () => {
    h.sim.script(
      { status: 429, headers: { 'retry-after-ms': '1' } },
      { status: 429, headers: { 'retry-after-ms': '1' } },
      { usage: { inputTokens: 1000, outputTokens: 0 } },
    );
    await withAttribution({ feature: 'retried' }, () =>
      client.chat.completions.create({ model: 'gpt-4o', messages, metadata: { t: 'retry' } }),
    );
    expect(h.sim.requests).toHaveLength(3);
    h.sim.script({ status: 400, errorMessage: 'bad request body' });
    const error = await client.chat.completions.create({ model: 'gpt-4o', messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as Error).message).toContain('bad request body');
    await h.flush();
    const spans = h.llmSpans();
    expect(spans).toHaveLength(2);
    expect(spans[0]?.attributes['gen_ai.usage.cost']).toBe(0.0025);
    // counted once in the metrics too: 1000 * 2.5/M
    const cost = h.points('llmcost.cost', { 'app.feature': 'retried' });
    expect(cost.map((p) => p.value)).toEqual([0.0025]);
    expect(h.points('llmcost.request.cost', { 'app.feature': 'retried' })[0]?.count).toBe(1);
    expect(spans[1]?.attributes['error.type']).toBe('BadRequestError');
    expect(spans[1]?.status.code).toBe(2);
    expect(spans[1]?.attributes['gen_ai.usage.cost']).toBeUndefined();
    expect(spans[1]?.attributes['llmcost.unpriced']).toBeUndefined();
  });

  it('marks unknown models unpriced (never a cost of 0) and warns once', async () => {
    h.sim.script({ usage: { inputTokens: 10, outputTokens: 10 } });
    await client.chat.completions.create({ model: 'my-private-model-9', messages });
    await h.flush();
    const span = h.llmSpans()[0];
    expect(span?.attributes['gen_ai.usage.cost']).toBeUndefined();
    expect(span?.attributes['llmcost.unpriced']).toBe(true);
    expect(span?.attributes['llmcost.unpriced.reason']).toBe('unknown_model');
    expect(span?.attributes['gen_ai.usage.input_tokens']).toBe(10);
    expect(h.warnings.some((w) => w.includes('my-private-model-9'))).toBe(true);
    const unpriced = h.points('llmcost.unpriced.requests', { 'gen_ai.request.model': 'my-private-model-9' });
    expect(unpriced).toHaveLength(1);
    expect(unpriced[0]?.value).toBe(1);
    expect(unpriced[0]?.attributes['llmcost.unpriced.reason']).toBe('unknown_model');
    expect(h.points('llmcost.cost', { 'gen_ai.request.model': 'my-private-model-9' })).toHaveLength(0);
  });
});

describe('streaming chat completions', () => {
  it('asks for usage, prices the stream, and hides the usage chunk the caller did not ask for', async () => {
    h.sim.script({ content: ['Hel', 'lo'], usage: { inputTokens: 1000, outputTokens: 100 } });
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true });
    expect(stream.constructor.name).toBe('Stream');
    expect(typeof stream.tee).toBe('function');
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((c) => c.choices.length === 1)).toBe(true);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello');
    expect(h.sim.requests[0]?.body.stream_options).toEqual({ include_usage: true });
    await h.flush();
    const span = h.llmSpans()[0];
    // 1000 * 2.5/M + 100 * 10/M = 0.0025 + 0.001
    expect(span?.attributes['gen_ai.usage.cost']).toBe(0.0035);
    expect(span?.attributes['llmcost.cost.partial']).toBeUndefined();
    expect(span?.attributes['gen_ai.response.finish_reasons']).toEqual(['stop']);
    expect(h.points('gen_ai.client.operation.time_to_first_chunk', { 'gen_ai.request.model': 'gpt-4o' })).toHaveLength(
      1,
    );
  });

  it("passes the usage chunk through when the caller asked for it, and respects the caller's opt-out", async () => {
    h.sim.script({ usage: { inputTokens: 10, outputTokens: 10 } }, { usage: { inputTokens: 10, outputTokens: 10 } });
    const asked = await client.chat.completions.create({
      model: 'gpt-4o',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const seen = [];
    for await (const c of asked) seen.push(c);
    expect(seen.at(-1)?.usage?.prompt_tokens).toBe(10);
    const optOut = await client.chat.completions.create({
      model: 'gpt-4o',
      messages,
      stream: true,
      stream_options: { include_usage: false },
    });
    for await (const _ of optOut) {
      // drain
    }
    expect(h.sim.requests[1]?.body.stream_options).toEqual({ include_usage: false });
    await h.flush();
    const [a, b] = h.llmSpans();
    expect(a?.attributes['gen_ai.usage.cost']).toBe(0.000125);
    expect(b?.attributes['llmcost.unpriced.reason']).toBe('no_usage');
  });

  it('keeps tee() and the chat.completions.stream() helper working', async () => {
    h.sim.script({ content: ['a', 'b'], usage: { inputTokens: 1000, outputTokens: 100 } });
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true });
    const [left, right] = stream.tee();
    const read = async (s: typeof left) => {
      let text = '';
      for await (const c of s) text += c.choices[0]?.delta.content ?? '';
      return text;
    };
    expect(await Promise.all([read(left), read(right)])).toEqual(['ab', 'ab']);
    h.sim.script({ content: ['x', 'y'], usage: { inputTokens: 1000, outputTokens: 100 } });
    const helper = client.chat.completions.stream({ model: 'gpt-4o', messages });
    const final = await helper.finalChatCompletion();
    expect(final.choices[0]?.message.content).toBe('xy');
    await h.flush();
    expect(h.llmSpans().map((s) => s.attributes['gen_ai.usage.cost'])).toEqual([0.0035, 0.0035]);
  });

  it('ends an abandoned (break) stream with what was seen, marked partial', async () => {
    h.sim.script({ content: ['a', 'b', 'c', 'd'] });
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true });
    for await (const _ of stream) break;
    await h.flush();
    const span = h.llmSpans()[0];
    expect(span?.attributes['llmcost.cost.partial']).toBe(true);
    expect(span?.attributes['llmcost.unpriced.reason']).toBe('no_usage');
    expect(span?.attributes['gen_ai.usage.cost']).toBeUndefined();
  });

  it('ends an aborted stream, marked partial', async () => {
    h.sim.script({ content: ['a', 'b', 'c'], hangAfterChunks: 1 });
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true });
    let n = 0;
    const consumed = (async () => {
      for await (const _ of stream) {
        n++;
        if (n === 2) stream.controller.abort();
      }
    })();
    await consumed.catch(() => {});
    await h.flush();
    const span = h.llmSpans()[0];
    expect(span).toBeDefined();
    expect(span?.attributes['llmcost.cost.partial']).toBe(true);
  });
});

describe('streams that fail', () => {
  it('ends the span with the error and what was seen when the connection drops mid-stream', async () => {
    h.sim.script({ content: ['a', 'b', 'c'], destroyAfterChunks: 1 });
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true });
    let seen = '';
    const error = await (async () => {
      for await (const c of stream) seen += c.choices[0]?.delta.content ?? '';
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(seen).toBe('a');
    await h.flush();
    const span = h.llmSpans()[0];
    expect(span?.status.code).toBe(2);
    expect(span?.attributes['error.type']).toBeDefined();
    expect(span?.attributes['llmcost.cost.partial']).toBe(true);
    expect(span?.attributes['llmcost.unpriced.reason']).toBe('no_usage');
  });
});

describe('providers speaking the OpenAI wire format', () => {
  it('uses the provider-reported cost (OpenRouter usage.cost) when present', async () => {
    const { OpenAIInstrumentation } = await import('../src/index.js');
    expect(OpenAIInstrumentation).toBeDefined();
    h.otel.openai?.setConfig({ providers: { [h.sim.openaiBaseURL]: 'openrouter' } });
    try {
      h.sim.script({ cost: 0.0123, usage: { inputTokens: 1000, outputTokens: 10 } });
      await client.chat.completions.create({ model: 'openai/gpt-4o', messages });
      await h.flush();
      const span = h.llmSpans()[0];
      expect(span?.attributes['gen_ai.provider.name']).toBe('openrouter');
      expect(span?.attributes['gen_ai.usage.cost']).toBe(0.0123);
      expect(span?.attributes['llmcost.cost.source']).toBe('provider_reported');
    } finally {
      h.otel.openai?.setConfig({});
    }
  });

  it('prices by the forced provider for a base URL', async () => {
    h.otel.openai?.setConfig({ providers: { [new URL(h.sim.url).host]: 'groq' } });
    try {
      h.sim.script({ usage: { inputTokens: 1000, outputTokens: 100 } });
      await client.chat.completions.create({ model: 'llama-3.3-70b-versatile', messages });
      await h.flush();
      const span = h.llmSpans()[0];
      expect(span?.attributes['gen_ai.provider.name']).toBe('groq');
      // Groq llama-3.3-70b-versatile: 0.59/M input, 0.79/M output -> 0.00059 + 0.000079
      expect(span?.attributes['gen_ai.usage.cost']).toBe(0.000669);
    } finally {
      h.otel.openai?.setConfig({});
    }
  });
});
