import type OpenAIType from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './helpers/harness.js';

// How calls are observed through the SDK's own objects: the APIPromise the caller gets, the promises SDK helpers
// derive from it, and stream items. gpt-4o list prices (USD per 1M tokens): input 2.50, output 10.00.

let h: Harness;
let OpenAI: typeof OpenAIType;
let client: OpenAIType;

beforeAll(async () => {
  h = await startHarness();
  OpenAI = h.require('openai').OpenAI;
  client = new OpenAI({ apiKey: 'sk-test', baseURL: h.sim.openaiBaseURL, maxRetries: 0 });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
  h.receiver.reset();
  h.useRuntime();
});

const messages = [{ role: 'user' as const, content: 'hello' }];
const jsonFormat = {
  type: 'json_schema' as const,
  json_schema: { name: 'a', strict: true, schema: { type: 'object', properties: { answer: { type: 'number' } } } },
};

describe('the APIPromise the caller gets', () => {
  it('is the SDK object with nothing of ours to see: the same keys as a promise we do not observe', async () => {
    h.sim.script({ usage: { inputTokens: 10, outputTokens: 10 } }, { usage: { inputTokens: 10, outputTokens: 10 } });
    const observed = client.chat.completions.create({ model: 'gpt-4o', messages });
    // The client's own request method is not patched: the same kind of APIPromise, not observed.
    const plain = client.post('/chat/completions', { body: { model: 'gpt-4o', messages } });
    expect(Object.keys(observed).sort()).toEqual(Object.keys(plain).sort());
    const symbols = (p: object) => Object.getOwnPropertySymbols(p).map(String).sort();
    expect(symbols(observed)).toEqual(symbols(plain)); // Node's own (async ids), none of ours
    expect(observed).toBeInstanceOf(plain.constructor);
    expect(observed.constructor.name).toBe('APIPromise');
    await Promise.all([observed, plain]);
    await h.flush();
    expect(h.llmSpans()).toHaveLength(1);
  });

  it('ends the span of a parse() helper call that fails (the caller consumes the promise the helper derived)', async () => {
    h.sim.script({ status: 400, errorMessage: 'bad schema' });
    const error = await client.chat.completions
      .parse({ model: 'gpt-4o', messages, response_format: jsonFormat })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const span = await h.onlySpan();
    expect(span.attributes['error.type']).toBe('BadRequestError');
    expect(span.status.code).toBe(2); // ERROR
  });

  it("prices a parse() call whose helper rejects the result (the tokens were billed): the caller keeps the helper's error", async () => {
    h.sim.script({ content: '{"answer":', finishReason: 'length', usage: { inputTokens: 1000, outputTokens: 100 } });
    const error = await client.chat.completions
      .parse({ model: 'gpt-4o', messages, response_format: jsonFormat })
      .catch((e: unknown) => e);
    expect((error as Error).constructor.name).toBe('LengthFinishReasonError');
    const span = await h.onlySpan();
    // 1000 * 2.5/M + 100 * 10/M
    expect(span.attributes['gen_ai.usage.cost']).toBe(0.0035);
    expect(span.attributes['gen_ai.response.finish_reasons']).toEqual(['length']);
  });

  it('observes one outcome when the caller consumes the promise several ways', async () => {
    h.sim.script({ usage: { inputTokens: 1000, outputTokens: 0 } });
    const promise = client.chat.completions.create({ model: 'gpt-4o', messages });
    const [a, b, { data }] = await Promise.all([promise, promise.then((r) => r), promise.withResponse()]);
    expect(a).toBe(b);
    expect(data).toBe(a);
    await h.flush();
    expect(h.llmSpans().map((s) => s.attributes['gen_ai.usage.cost'])).toEqual([0.0025]);
  });
});

describe('stream content', () => {
  it('records the streamed text only when content is captured', async () => {
    const read = async () => {
      const stream = await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true });
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
      return text;
    };
    h.sim.script({ content: ['Hel', 'lo'] }, { content: ['Hel', 'lo'] });
    expect(await read()).toBe('Hello');
    h.useRuntime({ captureContent: true });
    expect(await read()).toBe('Hello');
    await h.flush();
    const [off, on] = h.llmSpans();
    expect(off?.attributes['gen_ai.output.messages']).toBeUndefined();
    expect(on?.attributes['gen_ai.output.messages']).toBe('Hello');
  });
});
