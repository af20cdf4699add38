import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from './helpers/harness.js';

// Older openai majors, installed under aliases (`openai-v4`, ...), so the require hook does not see the
// name `openai`: they are patched through the documented manual fallback (the code path bundled apps use).
// gpt-4o: 2.50/M input, 1.25/M cached, 10/M output; text-embedding-3-small: 0.02/M.

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
  h.receiver.reset();
});

const messages = [{ role: 'user', content: 'hi' }];
const jsonFormat = {
  type: 'json_schema',
  json_schema: { name: 'n', strict: true, schema: { type: 'object', properties: { n: { type: 'number' } } } },
};

describe.each([
  ['openai-v4', '4.'],
  ['openai-v5', '5.'],
  ['openai-v6', '6.'],
])('%s', (pkg, major) => {
  // biome-ignore lint/suspicious/noExplicitAny: each major has its own types
  let client: any;
  // biome-ignore lint/suspicious/noExplicitAny: each major has its own types
  let mod: any;

  beforeAll(() => {
    mod = h.require(pkg);
    expect(h.require(`${pkg}/version`).VERSION.startsWith(major)).toBe(true);
    h.otel.openai?.manuallyInstrument(mod);
    client = new mod.OpenAI({ apiKey: 'sk-test', baseURL: h.sim.openaiBaseURL, maxRetries: 1 });
  });

  it('prices chat completions, streams (usage chunk hidden), responses and embeddings', async () => {
    h.sim.script(
      { usage: { inputTokens: 1000, cachedTokens: 400, outputTokens: 200 } },
      { content: ['a', 'b'], usage: { inputTokens: 1000, outputTokens: 100 } },
      { usage: { inputTokens: 100, outputTokens: 10 } },
      { usage: { inputTokens: 5000 } },
    );
    const res = await client.chat.completions.create({ model: 'gpt-4o', messages });
    expect(res.usage.prompt_tokens).toBe(1000);
    const stream = await client.chat.completions.create({ model: 'gpt-4o', messages, stream: true });
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks.every((c) => c.choices.length === 1)).toBe(true);
    await client.responses.create({ model: 'gpt-4o', input: 'hi' });
    await client.embeddings.create({ model: 'text-embedding-3-small', input: 'x' });
    await h.flush();
    const costs = h.llmSpans().map((s) => s.attributes['gen_ai.usage.cost']);
    // 0.002 + 0.002; 0.0025 + 0.001; 0.00025 + 0.0001; 5000 * 0.02/M
    expect(costs).toEqual([0.004, 0.0035, 0.00035, 0.0001]);
  });

  it('keeps parse() and the APIPromise helpers; a retried 429 is one span', async () => {
    h.sim.script(
      { content: '{"n":1}', usage: { inputTokens: 10, outputTokens: 10 } },
      { status: 429, headers: { 'retry-after-ms': '1' } },
      {},
    );
    const completions = major === '4.' ? client.beta.chat.completions : client.chat.completions;
    const parsed = await completions.parse({ model: 'gpt-4o', messages, response_format: jsonFormat });
    expect(parsed.choices[0].message.parsed).toEqual({ n: 1 });
    const { data, response } = await client.chat.completions.create({ model: 'gpt-4o', messages }).withResponse();
    expect(data.choices).toHaveLength(1);
    expect(response.status).toBe(200);
    expect(h.sim.requests).toHaveLength(3);
    await h.flush();
    expect(h.llmSpans()).toHaveLength(2);
    expect(h.llmSpans()[0]?.attributes['gen_ai.usage.cost']).toBe(0.000125);
  });

  it('rethrows API errors as the SDK class', async () => {
    h.sim.script({ status: 400, errorMessage: 'nope' });
    const error = await client.chat.completions.create({ model: 'gpt-4o', messages }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(mod.BadRequestError);
    await h.flush();
    expect(h.llmSpans()[0]?.attributes['error.type']).toBe('BadRequestError');
  });
});
