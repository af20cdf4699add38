import type OpenAIType from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../../test/helpers/harness.js';
import { withAttribution } from '../../attribution/scope.js';

// Batch API results with the real openai 7 client over HTTP to the simulator. Expected costs by hand from the
// price data (packages/pricing/data/genai-prices.json, genai-prices 0.2.3), USD per 1M tokens:
// - gpt-4o: standard input 2.50 / output 10; batch variant (processing=batch, since 2026-10-14) input 1.25 / output 5.
// - gpt-4o-mini: batch input 0.075 / output 0.30.
// - text-embedding-3-small: input 0.02, and no batch variant in the data (so the standard price applies).

let h: Harness;
let client: OpenAIType;
let toFile: typeof import('openai').toFile;

beforeAll(async () => {
  h = await startHarness();
  const openai = h.require('openai') as typeof import('openai');
  toFile = openai.toFile;
  client = new openai.OpenAI({ apiKey: 'sk-test', baseURL: h.sim.openaiBaseURL, maxRetries: 0 });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
  h.receiver.reset();
});

/** The batch results are read from a copy of the download, after the caller got it: wait for `n` spans. */
async function spans(n: number) {
  for (let i = 0; i < 50; i++) {
    await h.flush();
    if (h.llmSpans().length >= n) break;
    await new Promise((r) => setTimeout(r, 10));
  }
  return h.llmSpans();
}

function inputFile(url: string, bodies: Record<string, unknown>[]) {
  const text = bodies.map((body, i) => JSON.stringify({ custom_id: `req-${i}`, method: 'POST', url, body })).join('\n');
  return toFile(Buffer.from(text), 'batch.jsonl');
}

/** Uploads, creates, polls once: the completed batch. */
async function runBatch(
  endpoint: '/v1/chat/completions' | '/v1/embeddings',
  bodies: Record<string, unknown>[],
  metadata?: Record<string, string>,
) {
  const file = await client.files.create({ file: await inputFile(endpoint, bodies), purpose: 'batch' });
  const batch = await client.batches.create({ input_file_id: file.id, endpoint, completion_window: '24h', metadata });
  return client.batches.retrieve(batch.id);
}

const chat = (model: string) => ({ model, messages: [{ role: 'user', content: 'hi' }] });

describe('OpenAI Batch API results', () => {
  it('prices each result line at the batch price, deferred, attributed to the batch metadata', async () => {
    h.sim.script({ path: '/batches', usage: { inputTokens: 1000, outputTokens: 200 } });
    const done = await runBatch('/v1/chat/completions', [chat('gpt-4o'), chat('gpt-4o')], {
      'app.team': 'search',
      'app.customer.id': 'acme',
      note: 'not an attribution key',
    });
    const content = await client.files.content(done.output_file_id!);
    const text = await content.text();
    expect(text.trim().split('\n')).toHaveLength(2);
    const lines = await spans(2);
    expect(lines).toHaveLength(2);
    for (const span of lines) {
      expect(span.name).toBe('chat gpt-4o');
      expect(span.attributes).toMatchObject({
        'gen_ai.usage.input_tokens': 1000,
        'gen_ai.usage.output_tokens': 200,
        'llmcost.deferred': true,
        'llmcost.price.context.processing': 'batch',
        'llmcost.price.variant': 'processing=batch',
        'app.team': 'search',
        'app.customer.id': 'acme',
      });
      expect(span.attributes['openai.batch.id']).toBe(done.id);
      expect(span.attributes['openai.batch.custom_id']).toMatch(/^req-[01]$/);
      expect(span.attributes.note).toBeUndefined();
      // 1000 * 1.25/M = 0.00125; 200 * 5/M = 0.001 (standard would be 0.0025 + 0.002 = 0.0045)
      expect(span.attributes['gen_ai.usage.cost']).toBe(0.00225);
    }
    const cost = h.points('llmcost.cost', { 'gen_ai.request.model': 'gpt-4o', 'app.team': 'search' });
    // two lines at 0.00225
    expect(cost[0]?.value).toBeCloseTo(0.0045, 12);
    // Deferred: the provider's time is not ours to measure.
    expect(h.points('gen_ai.client.operation.duration', { 'gen_ai.request.model': 'gpt-4o' })).toHaveLength(0);
  });

  it('counts a line once per process however often the file is downloaded', async () => {
    h.sim.script({ path: '/batches', usage: { inputTokens: 10_000, outputTokens: 1000 } });
    const done = await runBatch('/v1/chat/completions', [chat('gpt-4o-mini')]);
    await (await client.files.content(done.output_file_id!)).text();
    await spans(1);
    const again = await client.files.content(done.output_file_id!);
    expect(JSON.parse(await again.text()).custom_id).toBe('req-0');
    await new Promise((r) => setTimeout(r, 50));
    await h.flush();
    const [span, ...rest] = h.llmSpans();
    expect(rest).toHaveLength(0);
    // 10000 * 0.075/M = 0.00075; 1000 * 0.30/M = 0.0003
    expect(span?.attributes['gen_ai.usage.cost']).toBe(0.00105);
  });

  it('batch metadata wins over the download context; the rest of the context stays', async () => {
    h.sim.script({ path: '/batches', usage: { inputTokens: 1000, outputTokens: 200 } });
    const done = await runBatch('/v1/chat/completions', [chat('gpt-4o')], { 'app.team': 'search' });
    await withAttribution({ team: 'cron', userId: 'u-1' }, async () => {
      await (await client.files.content(done.output_file_id!)).text();
    });
    const [span] = await spans(1);
    expect(span?.attributes).toMatchObject({ 'app.team': 'search', 'user.id': 'u-1' });
  });

  it('learns a batch from batches.list (auto-pagination kept)', async () => {
    h.sim.script({ path: '/batches', usage: { inputTokens: 1000, outputTokens: 200 } });
    const file = await client.files.create({
      file: await inputFile('/v1/chat/completions', [chat('gpt-4o')]),
      purpose: 'batch',
    });
    // Created and never retrieved through the client: only the list tells this process about it.
    await fetch(`${h.sim.openaiBaseURL}/batches`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        input_file_id: file.id,
        endpoint: '/v1/chat/completions',
        completion_window: '24h',
        metadata: { 'app.feature': 'nightly' },
      }),
    });
    const listed = [];
    for await (const b of client.batches.list()) listed.push(b);
    expect(listed).toHaveLength(1);
    await (await client.files.content(listed[0]!.output_file_id!)).text();
    const [span] = await spans(1);
    expect(span?.attributes['app.feature']).toBe('nightly');
    // 1000 * 1.25/M + 200 * 5/M
    expect(span?.attributes['gen_ai.usage.cost']).toBe(0.00225);
  });

  it('prices embedding batches (no batch variant in the data: the standard price)', async () => {
    h.sim.script({ path: '/batches', usage: { inputTokens: 5000 } });
    const done = await runBatch('/v1/embeddings', [{ model: 'text-embedding-3-small', input: 'x' }]);
    await (await client.files.content(done.output_file_id!)).text();
    const [span] = await spans(1);
    expect(span?.attributes).toMatchObject({
      'gen_ai.operation.name': 'embeddings',
      'gen_ai.usage.input_tokens': 5000,
      'gen_ai.usage.output_tokens': 0,
      'llmcost.deferred': true,
    });
    expect(span?.attributes['llmcost.price.variant']).toBeUndefined();
    // 5000 * 0.02/M
    expect(span?.attributes['gen_ai.usage.cost']).toBe(0.0001);
  });

  it('reads lines of a batch this process never saw (no metadata), and leaves other files alone', async () => {
    h.sim.script({ path: '/batches', usage: { inputTokens: 1000, outputTokens: 200 } });
    const file = await client.files.create({
      file: await inputFile('/v1/chat/completions', [chat('gpt-4o')]),
      purpose: 'batch',
    });
    // Created and polled with plain HTTP: the instrumentation does not know this batch.
    const post = await fetch(`${h.sim.openaiBaseURL}/batches`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' }),
    });
    const { id } = (await post.json()) as { id: string };
    const polled = (await (await fetch(`${h.sim.openaiBaseURL}/batches/${id}`)).json()) as { output_file_id: string };
    const raw = await client.files.content(polled.output_file_id);
    expect(await raw.json()).toMatchObject({ custom_id: 'req-0' });
    const other = await client.files.content(file.id); // the input file: no output lines
    expect(await other.text()).toContain('"custom_id":"req-0"');
    await spans(1);
    await new Promise((r) => setTimeout(r, 50));
    await h.flush();
    const [span, ...rest] = h.llmSpans();
    expect(rest).toHaveLength(0);
    // 1000 * 1.25/M + 200 * 5/M
    expect(span?.attributes['gen_ai.usage.cost']).toBe(0.00225);
  });
});
