import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from './index.ts';

let sim: Simulator;
let client: OpenAI;

beforeAll(async () => {
  sim = await startSimulator();
  client = new OpenAI({ apiKey: 'sk-test', baseURL: sim.openaiBaseURL, maxRetries: 0 });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const jsonl = (lines: unknown[]) => lines.map((l) => JSON.stringify(l)).join('\n');

describe('OpenAI Batch API', () => {
  it('uploads the input, runs the batch and serves one output line per request', async () => {
    const input = jsonl(
      ['a', 'b'].map((id) => ({
        custom_id: id,
        method: 'POST',
        url: '/v1/chat/completions',
        body: { model: 'gpt-4o', messages: [{ role: 'user', content: id }] },
      })),
    );
    const file = await client.files.create({ file: await toFile(Buffer.from(input), 'in.jsonl'), purpose: 'batch' });
    expect(file).toMatchObject({ object: 'file', purpose: 'batch', status: 'processed' });
    sim.script({ path: '/batches', usage: { inputTokens: 100, outputTokens: 20 } });
    const batch = await client.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
      metadata: { 'app.team': 'search' },
    });
    expect(batch).toMatchObject({ object: 'batch', status: 'validating', output_file_id: null });
    const done = await client.batches.retrieve(batch.id);
    expect(done.status).toBe('completed');
    expect(done.metadata).toEqual({ 'app.team': 'search' });
    expect(done.usage?.input_tokens).toBe(200);
    expect(done.request_counts?.completed).toBe(2);
    const listed = [];
    for await (const b of client.batches.list()) listed.push(b.id);
    expect(listed).toEqual([batch.id]);
    const content = await client.files.content(done.output_file_id!);
    const lines = (await content.text())
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.custom_id)).toEqual(['a', 'b']);
    expect(lines[0].id).toMatch(/^batch_req_/);
    expect(lines[0].response.status_code).toBe(200);
    expect(lines[0].response.body).toMatchObject({ object: 'chat.completion', model: 'gpt-4o' });
    expect(lines[0].response.body.usage).toMatchObject({ prompt_tokens: 100, completion_tokens: 20 });
  });

  it('runs embeddings lines and answers 404 for unknown ids', async () => {
    const input = jsonl([
      { custom_id: 'e', method: 'POST', url: '/v1/embeddings', body: { model: 'text-embedding-3-small', input: 'x' } },
    ]);
    const file = await client.files.create({ file: await toFile(Buffer.from(input), 'e.jsonl'), purpose: 'batch' });
    const batch = await client.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/embeddings',
      completion_window: '24h',
    });
    const done = await client.batches.retrieve(batch.id);
    const line = JSON.parse(await (await client.files.content(done.output_file_id!)).text());
    expect(line.response.body).toMatchObject({ object: 'list', usage: { prompt_tokens: 12 } });
    await expect(client.batches.retrieve('batch_nope')).rejects.toThrow(/404/);
    await expect(client.files.content('file-nope')).rejects.toThrow(/404/);
  });
});

describe('Responses in background mode', () => {
  it('queues without usage, reports in_progress, then completed; a stream can be resumed', async () => {
    sim.script({ usage: { inputTokens: 50, outputTokens: 10 } });
    const queued = await client.responses.create({ model: 'o4-mini', input: 'hi', background: true });
    expect(queued).toMatchObject({ status: 'queued', background: true, usage: null });
    expect((await client.responses.retrieve(queued.id)).status).toBe('in_progress');
    const done = await client.responses.retrieve(queued.id);
    expect(done).toMatchObject({ status: 'completed', usage: { input_tokens: 50, output_tokens: 10 } });
    const resumed = await client.responses.retrieve(queued.id, { stream: true, starting_after: 1 });
    const types: string[] = [];
    for await (const e of resumed) types.push(e.type);
    expect(types[0]).toBe('response.output_item.added');
    expect(types.at(-1)).toBe('response.completed');
  });

  it('adds web_search_call items when the request offers the web search tool', async () => {
    sim.script({
      toolCalls: [
        { name: 'web_search', arguments: 'a' },
        { name: 'web_search', arguments: 'b' },
      ],
    });
    const r = await client.responses.create({ model: 'gpt-4o', input: 'news', tools: [{ type: 'web_search' }] });
    expect(r.output.filter((o) => o.type === 'web_search_call')).toHaveLength(2);
    expect(r.output_text).toBe('Hello from the simulator.');
  });
});
