import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from './index.ts';

let sim: Simulator;
let client: Anthropic;

beforeAll(async () => {
  sim = await startSimulator();
  client = new Anthropic({ apiKey: 'sk-ant-test', baseURL: sim.url, maxRetries: 0, openTelemetry: false });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const model = 'claude-haiku-4-5';
const messages = [{ role: 'user' as const, content: 'hi' }];

describe('Anthropic Message Batches wire format', () => {
  it('create (in_progress), retrieve (ended, results_url), JSONL results of each kind, billed at the batch tier', async () => {
    sim.script({ model, usage: { inputTokens: 100, outputTokens: 20 } });
    const batch = await client.messages.batches.create({
      requests: [
        { custom_id: 'ok', params: { model, max_tokens: 10, messages } },
        { custom_id: 'bad', params: { model, messages } as never },
        { custom_id: 'late_expired', params: { model, max_tokens: 10, messages } },
        { custom_id: 'stop_canceled', params: { model, max_tokens: 10, messages } },
      ],
    });
    expect(batch).toMatchObject({ type: 'message_batch', processing_status: 'in_progress', results_url: null });
    expect(batch.id).toMatch(/^msgbatch_/);
    expect(batch.request_counts.processing).toBe(4);
    const ended = await client.messages.batches.retrieve(batch.id);
    expect(ended.processing_status).toBe('ended');
    expect(ended.results_url).toBe(`${sim.url}/v1/messages/batches/${batch.id}/results`);
    expect(ended.request_counts).toEqual({ processing: 0, succeeded: 1, errored: 1, canceled: 1, expired: 1 });
    const lines = [];
    for await (const line of await client.messages.batches.results(batch.id)) lines.push(line);
    expect(lines.map((l) => l.result.type)).toEqual(['succeeded', 'errored', 'expired', 'canceled']);
    const ok = lines[0]?.result;
    if (ok?.type !== 'succeeded') throw new Error('expected a succeeded result');
    expect(ok.message.usage).toMatchObject({ input_tokens: 100, output_tokens: 20, service_tier: 'batch' });
    expect(lines[1]?.result).toMatchObject({ type: 'errored', error: { error: { type: 'invalid_request_error' } } });
    expect(sim.billing.entries).toHaveLength(1);
    expect(sim.billing.entries[0]).toMatchObject({ batch: true, serviceTier: 'batch' });
  });

  it('beta batches share the endpoints; an unknown batch is a 404 not_found_error', async () => {
    const batch = await client.beta.messages.batches.create({
      requests: [{ custom_id: 'ok', params: { model, max_tokens: 10, messages } }],
    });
    expect((await client.beta.messages.batches.retrieve(batch.id)).processing_status).toBe('ended');
    await expect(client.messages.batches.retrieve('msgbatch_nope')).rejects.toBeInstanceOf(Anthropic.NotFoundError);
  });
});

describe('Anthropic server tools', () => {
  it('a web_search tool: server_tool_use and web_search_tool_result blocks, usage.server_tool_use counts', async () => {
    const r = await client.messages.create({
      model,
      max_tokens: 10,
      messages,
      tools: [{ type: 'web_search_20250305', name: 'web_search', max_uses: 2 }],
    });
    expect(r.content.map((b) => b.type)).toEqual([
      'server_tool_use',
      'web_search_tool_result',
      'server_tool_use',
      'web_search_tool_result',
      'text',
    ]);
    expect(r.usage.server_tool_use).toEqual({ web_search_requests: 2, web_fetch_requests: 0 });
    expect(sim.billing.entries[0]?.usage).toMatchObject({ webSearchRequests: 2 });
  });

  it('streamed: message_start reports 0, message_delta the final counts; the SDK accumulates the blocks', async () => {
    const stream = client.messages.stream({
      model,
      max_tokens: 10,
      messages,
      tools: [{ type: 'web_search_20250305', name: 'web_search' }],
    });
    let startCount: number | undefined;
    stream.on('streamEvent', (e) => {
      if (e.type === 'message_start') startCount = e.message.usage.server_tool_use?.web_search_requests;
    });
    const final = await stream.finalMessage();
    expect(startCount).toBe(0);
    expect(final.usage.server_tool_use?.web_search_requests).toBe(1);
    expect(final.content[0]).toMatchObject({
      type: 'server_tool_use',
      name: 'web_search',
      input: { query: 'simulated query' },
    });
  });

  it('no server tool: server_tool_use is null', async () => {
    const r = await client.messages.create({ model, max_tokens: 10, messages });
    expect(r.usage.server_tool_use).toBeNull();
  });
});

describe('legacy Text Completions (POST /v1/complete)', () => {
  const body = { model: 'claude-2.1', max_tokens_to_sample: 10, prompt: '\n\nHuman: hi\n\nAssistant:' };
  const headers = { 'content-type': 'application/json', 'x-api-key': 'sk-ant-test', 'anthropic-version': '2023-06-01' };

  it('a Completion without usage', async () => {
    sim.script({ content: 'Hello' });
    const res = await fetch(`${sim.url}/v1/complete`, { method: 'POST', headers, body: JSON.stringify(body) });
    const json = await res.json();
    expect(json).toMatchObject({
      type: 'completion',
      completion: 'Hello',
      stop_reason: 'stop_sequence',
      model: 'claude-2.1',
    });
    expect(json).not.toHaveProperty('usage');
  });

  it('a stream of completion events, the last with the stop reason', async () => {
    sim.script({ content: ['He', 'llo'] });
    const res = await fetch(`${sim.url}/v1/complete`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ ...body, stream: true }),
    });
    const text = await res.text();
    const events = text
      .split('\n')
      .filter((l) => l.startsWith('data: '))
      .map((l) => JSON.parse(l.slice(6)));
    expect(events.filter((e) => e.type === 'completion').map((e) => [e.completion, e.stop_reason])).toEqual([
      ['He', null],
      ['llo', 'stop_sequence'],
    ]);
  });
});
