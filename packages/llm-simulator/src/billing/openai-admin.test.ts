import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { apiKeyIdOf, type Simulator, startSimulator } from '../index.ts';

let sim: Simulator;
let client: OpenAI;

const DAY = 86_400_000;
const today = Math.floor(Date.now() / DAY) * DAY;
const s = (ms: number) => String(ms / 1000);

beforeAll(async () => {
  sim = await startSimulator();
  client = new OpenAI({
    apiKey: 'sk-proj-test',
    baseURL: sim.openaiBaseURL,
    maxRetries: 0,
    defaultHeaders: { 'OpenAI-Project': 'proj_shop' },
  });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

// biome-ignore lint/suspicious/noExplicitAny: admin responses are checked field by field
async function admin(path: string, params: Record<string, string | string[]>, key = 'sk-admin-test'): Promise<any> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) query.append(name, v);
  }
  const res = await fetch(`${sim.url}/v1/organization/${path}?${query}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

/** The demo's OpenAI traffic, one call each. */
async function servedTraffic() {
  const user = [{ role: 'user' as const, content: 'hi' }];
  sim.script({ model: 'gpt-4o-2024-08-06', usage: { inputTokens: 1000, cachedTokens: 400, outputTokens: 200 } });
  await client.chat.completions.create({ model: 'gpt-4o', messages: user });
  sim.script({ usage: { inputTokens: 620, outputTokens: 240 } });
  await client.chat.completions.create({ model: 'gpt-4o', service_tier: 'priority', messages: user });
  // A stream that does not ask for usage: billed all the same.
  sim.script({ usage: { inputTokens: 90, outputTokens: 5 } });
  const stream = await client.chat.completions.create({
    model: 'ft:gpt-4o-mini:shop::review-triage',
    messages: user,
    stream: true,
  });
  for await (const _ of stream);
  await client.embeddings.create({ model: 'text-embedding-3-small', input: 'red shoes' }); // 12 tokens (default)
}

describe('OpenAI billing: the ledger', () => {
  it('records every served call with the usage, tier, project and a key id as the response reported them', async () => {
    await servedTraffic();
    sim.script({ usage: { inputTokens: 10, outputTokens: 30, reasoningTokens: 20 } });
    await client.responses.create({ model: 'gpt-6.1-sol', input: 'hi' });
    const entries = sim.billing.entries;
    expect(entries.map((e) => [e.provider, e.api, e.model, e.serviceTier, e.batch])).toEqual([
      ['openai', 'chat.completions', 'gpt-4o-2024-08-06', 'default', false],
      ['openai', 'chat.completions', 'gpt-4o', 'priority', false],
      ['openai', 'chat.completions', 'ft:gpt-4o-mini:shop::review-triage', 'default', false],
      ['openai', 'embeddings', 'text-embedding-3-small', 'default', false],
      ['openai', 'responses', 'gpt-6.1-sol', 'default', false],
    ]);
    expect(entries[0]).toMatchObject({
      projectId: 'proj_shop',
      apiKeyId: apiKeyIdOf('openai', 'sk-proj-test'),
      served: true,
      usage: { inputTokens: 1000, cachedTokens: 400, outputTokens: 200 },
    });
    expect(entries[0]!.apiKeyId).toMatch(/^key_[0-9a-f]{16}$/);
    expect(JSON.stringify(entries)).not.toContain('sk-proj-test');
    expect(entries[2]!.usage).toMatchObject({ inputTokens: 90, outputTokens: 5 });
    expect(Math.abs(entries[0]!.timeMs - Date.now())).toBeLessThan(60_000);
  });

  it('bills errors not at all, and a request without OpenAI-Project to proj_default', async () => {
    sim.script({ status: 400 });
    await expect(client.chat.completions.create({ model: 'gpt-4o', messages: [] })).rejects.toThrow();
    const plain = new OpenAI({ apiKey: 'sk-other', baseURL: sim.openaiBaseURL, maxRetries: 0 });
    await plain.chat.completions.create({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(sim.billing.entries).toHaveLength(1);
    expect(sim.billing.entries[0]).toMatchObject({
      projectId: 'proj_default',
      apiKeyId: apiKeyIdOf('openai', 'sk-other'),
    });
  });

  it('reset() clears the ledger and the billing state', async () => {
    await servedTraffic();
    sim.billing.rateLimitNext(1);
    sim.reset();
    expect(sim.billing.entries).toHaveLength(0);
    expect((await admin('costs', { start_time: s(today) })).status).toBe(200);
  });
});

describe('GET /v1/organization/costs', () => {
  it('bills the served calls per line item at the provider price list', async () => {
    await servedTraffic();
    const { status, body } = await admin('costs', { start_time: s(today), 'group_by[]': 'line_item', limit: '1' });
    expect(status).toBe(200);
    expect(body).toMatchObject({ object: 'page', has_more: false, next_page: null });
    expect(body.data).toHaveLength(1);
    expect(body.data[0]).toMatchObject({ object: 'bucket', start_time: today / 1000, end_time: (today + DAY) / 1000 });
    const byItem = Object.fromEntries(
      // biome-ignore lint/suspicious/noExplicitAny: wire JSON
      body.data[0].results.map((r: any) => [r.line_item, r.amount.value]),
    );
    // gpt-4o-2024-08-06 default: 600 uncached x $2.50/M = 0.0015; 400 cached x $1.25/M = 0.0005; 200 x $10/M = 0.002
    // gpt-4o priority: 620 x $4.25/M = 0.002635; 240 x $17/M = 0.00408
    // fine-tune: 90 x $0.30/M = 0.000027; 5 x $1.20/M = 0.000006. Embeddings: 12 x $0.02/M = 0.00000024
    expect(byItem).toEqual({
      'gpt-4o-2024-08-06, input': 0.0015,
      'gpt-4o-2024-08-06, cached input': 0.0005,
      'gpt-4o-2024-08-06, output': 0.002,
      'priority | gpt-4o, input': 0.002635,
      'priority | gpt-4o, output': 0.00408,
      'ft:gpt-4o-mini:shop::review-triage, input': 0.000027,
      'ft:gpt-4o-mini:shop::review-triage, output': 0.000006,
      'text-embedding-3-small, input': 0.00000024,
    });
    expect(body.data[0].results[0]).toMatchObject({
      object: 'organization.costs.result',
      amount: { currency: 'usd' },
      project_id: null,
    });
  });

  it('reports a hidden caller on its day and project; ungrouped, one total per day', async () => {
    await servedTraffic();
    const yesterdayNoon = today - DAY / 2;
    const hidden = sim.billing.add({
      provider: 'openai',
      model: 'gpt-4o-mini',
      usage: { inputTokens: 1_000_000, outputTokens: 1_000_000 },
      projectId: 'proj_hidden',
      time: yesterdayNoon,
    });
    expect(hidden).toMatchObject({ served: false, apiKeyId: 'key_hidden', serviceTier: 'default' });
    const grouped = await admin('costs', { start_time: s(today - DAY), 'group_by[]': ['project_id'] });
    expect(grouped.body.data).toHaveLength(2);
    // 1M x $0.15/M + 1M x $0.60/M = 0.75
    expect(grouped.body.data[0].results).toEqual([
      {
        object: 'organization.costs.result',
        amount: { value: 0.75, currency: 'usd' },
        line_item: null,
        project_id: 'proj_hidden',
      },
    ]);
    // Today: 0.0015 + 0.0005 + 0.002 + 0.002635 + 0.00408 + 0.000027 + 0.000006 + 0.00000024 = 0.01074824
    expect(grouped.body.data[1].results).toEqual([
      {
        object: 'organization.costs.result',
        amount: { value: 0.01074824, currency: 'usd' },
        line_item: null,
        project_id: 'proj_shop',
      },
    ]);
    const filtered = await admin('costs', { start_time: s(today - DAY), 'project_ids[]': 'proj_hidden' });
    expect(filtered.body.data[1].results).toEqual([]);
  });

  it('paginates daily buckets with limit and page, empty days included', async () => {
    sim.billing.add({
      provider: 'openai',
      model: 'gpt-4o',
      usage: { inputTokens: 1_000_000 },
      time: today - 5 * DAY + 1,
    });
    const start = s(today - 10 * DAY + 3_600_000); // mid-day: snapped to the UTC day
    const pages = [];
    let page: string | undefined;
    do {
      const { body } = await admin('costs', { start_time: start, limit: '4', ...(page ? { page } : {}) });
      pages.push(body);
      page = body.next_page ?? undefined;
      expect(body.has_more).toBe(page !== undefined);
    } while (page);
    // 10 past days and today: 4 + 4 + 3 buckets
    expect(pages.map((p) => p.data.length)).toEqual([4, 4, 3]);
    const buckets = pages.flatMap((p) => p.data);
    expect(buckets.map((b) => b.start_time)).toEqual(
      Array.from({ length: 11 }, (_, i) => (today - (10 - i) * DAY) / 1000),
    );
    expect(buckets.filter((b) => b.results.length).map((b) => [b.start_time, b.results[0].amount.value])).toEqual([
      [(today - 5 * DAY) / 1000, 2.5],
    ]);
  });

  it('bills a price change from its time on', async () => {
    sim.billing.setPrice({ provider: 'openai', model: 'gpt-4o-mini', price: { input: 0.3 }, from: today });
    sim.billing.add({ provider: 'openai', model: 'gpt-4o-mini', usage: { inputTokens: 1_000_000 }, time: today - DAY });
    sim.billing.add({ provider: 'openai', model: 'gpt-4o-mini', usage: { inputTokens: 1_000_000 }, time: today + 1 });
    const { body } = await admin('costs', { start_time: s(today - DAY) });
    // before: 1M x $0.15/M; from today: 1M x $0.30/M
    // biome-ignore lint/suspicious/noExplicitAny: wire JSON
    expect(body.data.map((b: any) => b.results[0].amount.value)).toEqual([0.15, 0.3]);
  });

  it('bills a model missing from the price list at 0 and warns once', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    await client.chat.completions.create({ model: 'gpt-unlisted', messages: [{ role: 'user', content: 'hi' }] });
    const first = await admin('costs', { start_time: s(today), 'group_by[]': 'line_item' });
    await admin('costs', { start_time: s(today) });
    expect(first.body.data[0].results).toEqual([
      {
        object: 'organization.costs.result',
        amount: { value: 0, currency: 'usd' },
        line_item: 'gpt-unlisted, input',
        project_id: null,
      },
      {
        object: 'organization.costs.result',
        amount: { value: 0, currency: 'usd' },
        line_item: 'gpt-unlisted, output',
        project_id: null,
      },
    ]);
    expect(sim.billing.unpricedModels).toEqual(['openai:gpt-unlisted']);
    expect(warn).toHaveBeenCalledTimes(1);
    warn.mockRestore();
  });

  it('leaves out calls younger than the report delay', async () => {
    await servedTraffic();
    sim.billing.setReportDelay(60_000);
    const { body } = await admin('costs', { start_time: s(today) });
    expect(body.data[0].results).toEqual([]);
  });
});

describe('GET /v1/organization/usage/completions and /embeddings', () => {
  it('sums tokens and requests by model, project, key, batch and tier', async () => {
    await servedTraffic();
    await servedTraffic();
    sim.billing.add({ provider: 'openai', model: 'gpt-4o', usage: { inputTokens: 50, outputTokens: 7 } });
    const { body } = await admin('usage/completions', {
      start_time: s(today),
      'group_by[]': ['model', 'project_id', 'api_key_id', 'batch', 'service_tier'],
    });
    const key = apiKeyIdOf('openai', 'sk-proj-test');
    expect(body.data[0].results).toEqual([
      {
        object: 'organization.usage.completions.result',
        input_tokens: 2000,
        output_tokens: 400,
        input_cached_tokens: 800,
        input_audio_tokens: 0,
        output_audio_tokens: 0,
        num_model_requests: 2,
        project_id: 'proj_shop',
        user_id: null,
        api_key_id: key,
        model: 'gpt-4o-2024-08-06',
        batch: false,
        service_tier: 'default',
      },
      expect.objectContaining({ model: 'gpt-4o', service_tier: 'priority', input_tokens: 1240, num_model_requests: 2 }),
      expect.objectContaining({ model: 'ft:gpt-4o-mini:shop::review-triage', input_tokens: 180, output_tokens: 10 }),
      expect.objectContaining({
        model: 'gpt-4o',
        api_key_id: 'key_hidden',
        project_id: 'proj_default',
        input_tokens: 50,
      }),
    ]);
    const ungrouped = await admin('usage/completions', { start_time: s(today) });
    expect(ungrouped.body.data[0].results).toEqual([
      expect.objectContaining({
        input_tokens: 3470,
        num_model_requests: 7,
        model: null,
        project_id: null,
        batch: null,
      }),
    ]);
    const embeddings = await admin('usage/embeddings', { start_time: s(today), 'group_by[]': 'model' });
    expect(embeddings.body.data[0].results).toEqual([
      {
        object: 'organization.usage.embeddings.result',
        input_tokens: 24,
        num_model_requests: 2,
        project_id: null,
        user_id: null,
        api_key_id: null,
        model: 'text-embedding-3-small',
      },
    ]);
  });

  it('serves hourly buckets (default limit 24)', async () => {
    await servedTraffic();
    const { body } = await admin('usage/completions', { start_time: s(today - 2 * DAY), bucket_width: '1h' });
    expect(body.data).toHaveLength(24);
    expect(body.data[1].start_time - body.data[0].start_time).toBe(3600);
    expect(body.has_more).toBe(true);
  });
});

describe('OpenAI admin auth, errors and rate limits', () => {
  it('needs an admin key: a standard key gets 403, no key or an unknown one 401', async () => {
    const project = await admin('costs', { start_time: s(today) }, 'sk-proj-abc');
    expect(project.status).toBe(403);
    expect(project.body).toEqual({
      error: {
        message: expect.stringContaining('api.usage.read'),
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    });
    expect((await admin('usage/completions', { start_time: s(today) }, 'sk-abc')).status).toBe(403);
    const unknown = await admin('costs', { start_time: s(today) }, 'nonsense');
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.code).toBe('invalid_api_key');
    const none = await fetch(`${sim.url}/v1/organization/costs?start_time=${s(today)}`);
    expect(none.status).toBe(401);
  });

  it('answers the next N admin requests 429 with retry-after', async () => {
    sim.billing.rateLimitNext(2, { retryAfterSeconds: 3 });
    for (let i = 0; i < 2; i++) {
      const limited = await admin('costs', { start_time: s(today) });
      expect(limited.status).toBe(429);
      expect(limited.headers.get('retry-after')).toBe('3');
      expect(limited.body.error).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded' });
    }
    expect((await admin('costs', { start_time: s(today) })).status).toBe(200);
  });

  it('rejects bad parameters with 400', async () => {
    expect((await admin('costs', {})).status).toBe(400);
    expect((await admin('costs', { start_time: s(today), bucket_width: '1h' })).status).toBe(400);
    expect((await admin('costs', { start_time: s(today), 'group_by[]': 'model' })).status).toBe(400);
    expect((await admin('costs', { start_time: s(today), limit: '181' })).status).toBe(400);
    const bad = await admin('usage/completions', { start_time: s(today), limit: '32' });
    expect(bad.body.error.type).toBe('invalid_request_error');
  });
});
