import type OpenAIType from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../../../test/helpers/harness.js';
import { withAttribution } from '../../attribution/scope.js';

// Background responses and the web search tool fee, with the real openai 7 client over HTTP to the simulator.
// Expected costs by hand from the price data (packages/pricing/data/genai-prices.json, genai-prices 0.2.3):
// - o4-mini: input 1.10 / output 4.40 USD per 1M tokens.
// - gpt-4o: input 2.50 / output 10 USD per 1M tokens; web_searches_kcount 10 USD per 1,000 searches.
// - gpt-4o-search-preview: input 2.50 / output 10, and no web_searches_kcount (the search fee is not in the data).

let h: Harness;
let client: OpenAIType;

beforeAll(async () => {
  h = await startHarness();
  const { OpenAI } = h.require('openai') as typeof import('openai');
  client = new OpenAI({ apiKey: 'sk-test', baseURL: h.sim.openaiBaseURL, maxRetries: 0 });
});
afterAll(() => h.close());
beforeEach(() => {
  h.sim.reset();
  h.receiver.reset();
});

async function spans() {
  await h.flush();
  return h.llmSpans();
}

describe('Responses in background mode', () => {
  it('counts nothing for the queued create; prices the completed retrieve once, deferred, with the create attribution', async () => {
    h.sim.script({ usage: { inputTokens: 1000, outputTokens: 3000 } });
    const queued = await withAttribution({ feature: 'report', userId: 'u-7' }, () =>
      client.responses.create({ model: 'o4-mini', input: 'write a report', background: true }),
    );
    expect(queued.status).toBe('queued');
    expect(await spans()).toHaveLength(0);
    expect(h.points('llmcost.unpriced')).toHaveLength(0);

    await withAttribution({ feature: 'poller' }, async () => {
      let r = await client.responses.retrieve(queued.id);
      expect(r.status).toBe('in_progress'); // no usage yet: nothing to count
      expect(await spans()).toHaveLength(0);
      while (r.status !== 'completed') r = await client.responses.retrieve(queued.id);
      await client.responses.retrieve(queued.id); // polled again: still one call
    });
    const [span, ...rest] = await spans();
    expect(rest).toHaveLength(0);
    expect(span?.name).toBe('chat o4-mini');
    expect(span?.attributes).toMatchObject({
      'gen_ai.response.id': queued.id,
      'llmcost.deferred': true,
      'app.feature': 'report',
      'user.id': 'u-7',
    });
    // 1000 * 1.10/M = 0.0011; 3000 * 4.40/M = 0.0132
    expect(span?.attributes['gen_ai.usage.cost']).toBe(0.0143);
    expect(h.points('gen_ai.client.operation.duration', { 'gen_ai.request.model': 'o4-mini' })).toHaveLength(0);
  });

  it('prices a resumed stream (responses.stream({ response_id })) once, and not again on retrieve', async () => {
    h.sim.script({ usage: { inputTokens: 1000, outputTokens: 3000 } });
    const queued = await client.responses.create({ model: 'o4-mini', input: 'hi', background: true });
    const stream = client.responses.stream({ response_id: queued.id, starting_after: 1 });
    const final = await stream.finalResponse();
    expect(final.usage?.output_tokens).toBe(3000);
    await client.responses.retrieve(queued.id);
    await client.responses.retrieve(queued.id);
    const [span, ...rest] = await spans();
    expect(rest).toHaveLength(0);
    expect(span?.attributes['llmcost.deferred']).toBe(true);
    // as above: 0.0011 + 0.0132
    expect(span?.attributes['gen_ai.usage.cost']).toBe(0.0143);
  });

  it('prices a streamed background create from its final event, once', async () => {
    h.sim.script({ content: ['a', 'b'], usage: { inputTokens: 2000, outputTokens: 500 } });
    const stream = await client.responses.create({ model: 'o4-mini', input: 'hi', background: true, stream: true });
    let id = '';
    for await (const e of stream) if (e.type === 'response.completed') id = e.response.id;
    await client.responses.retrieve(id);
    await client.responses.retrieve(id);
    const [span, ...rest] = await spans();
    expect(rest).toHaveLength(0);
    // 2000 * 1.10/M = 0.0022; 500 * 4.40/M = 0.0022
    expect(span?.attributes['gen_ai.usage.cost']).toBe(0.0044);
  });

  it('prices a background response created elsewhere with the attribution of the retrieve', async () => {
    h.sim.script({ usage: { inputTokens: 1000, outputTokens: 3000 } });
    // Created by another process (plain HTTP here): this one only polls it.
    const post = await fetch(`${h.sim.openaiBaseURL}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'o4-mini', input: 'hi', background: true }),
    });
    const { id } = (await post.json()) as { id: string };
    await withAttribution({ team: 'jobs' }, async () => {
      while ((await client.responses.retrieve(id)).status !== 'completed');
    });
    const [span, ...rest] = await spans();
    expect(rest).toHaveLength(0);
    expect(span?.attributes).toMatchObject({ 'app.team': 'jobs', 'llmcost.deferred': true });
    // 1000 * 1.10/M + 3000 * 4.40/M
    expect(span?.attributes['gen_ai.usage.cost']).toBe(0.0143);
  });

  it('leaves a response created without background mode to its create (one span, not deferred)', async () => {
    h.sim.script({ usage: { inputTokens: 1000, outputTokens: 3000 } });
    await client.responses.create({ model: 'o4-mini', input: 'hi' });
    const [span, ...rest] = await spans();
    expect(rest).toHaveLength(0);
    expect(span?.attributes['llmcost.deferred']).toBeUndefined();
    expect(span?.attributes['gen_ai.usage.cost']).toBe(0.0143);
  });
});

describe('web search tool fees', () => {
  it('counts web_search_call items into the usage and prices them where the model has web_searches_kcount', async () => {
    h.sim.script({
      usage: { inputTokens: 1000, outputTokens: 100 },
      toolCalls: [
        { name: 'web_search', arguments: 'otel' },
        { name: 'web_search', arguments: 'genai semconv' },
      ],
    });
    const r = await client.responses.create({ model: 'gpt-4o', input: 'news?', tools: [{ type: 'web_search' }] });
    expect(r.output.filter((o) => o.type === 'web_search_call')).toHaveLength(2);
    const [span] = await spans();
    expect(span?.attributes['llmcost.usage.web_searches']).toBe(2);
    // 1000 * 2.50/M = 0.0025; 100 * 10/M = 0.001; 2 searches * 10/1000 = 0.02
    expect(span?.attributes['gen_ai.usage.cost']).toBe(0.0235);
  });

  it('records the count but prices tokens only where the data has no search fee', async () => {
    h.sim.script({ usage: { inputTokens: 1000, outputTokens: 100 } });
    await client.responses.create({
      model: 'gpt-4o-search-preview',
      input: 'news?',
      tools: [{ type: 'web_search_preview' }],
    });
    const [span] = await spans();
    expect(span?.attributes['llmcost.usage.web_searches']).toBe(1);
    // 1000 * 2.50/M + 100 * 10/M; the search fee is unpriced in the data (not 0 by choice: unknown)
    expect(span?.attributes['gen_ai.usage.cost']).toBe(0.0035);
  });
});
