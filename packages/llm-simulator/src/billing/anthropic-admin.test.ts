import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { apiKeyIdOf, type Simulator, startSimulator } from '../index.ts';

let sim: Simulator;
let client: Anthropic;

const DAY = 86_400_000;
const today = Math.floor(Date.now() / DAY) * DAY;
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

beforeAll(async () => {
  sim = await startSimulator();
  client = new Anthropic({ apiKey: 'sk-ant-api03-test', baseURL: sim.url, maxRetries: 0, openTelemetry: false });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

async function admin(
  path: string,
  params: Record<string, string | string[]>,
  headers: Record<string, string> = { 'x-api-key': 'sk-ant-admin01-test', 'anthropic-version': '2023-06-01' },
  // biome-ignore lint/suspicious/noExplicitAny: admin responses are checked field by field
): Promise<any> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    for (const v of Array.isArray(value) ? value : [value]) query.append(name, v);
  }
  const res = await fetch(`${sim.url}/v1/organizations/${path}?${query}`, { headers });
  return { status: res.status, headers: res.headers, body: await res.json() };
}

const todayOnly = { starting_at: iso(today), ending_at: iso(today + DAY) };

/** The demo's Anthropic call, a stream with cache writes, and a call served at the priority tier. */
async function servedTraffic() {
  const messages = [{ role: 'user' as const, content: 'hi' }];
  sim.script({ usage: { inputTokens: 1500, cachedTokens: 1400, outputTokens: 350 } });
  await client.messages.create({ model: 'claude-sonnet-5-5', max_tokens: 1024, messages });
  sim.script({ usage: { inputTokens: 10_000, cacheWriteTokens: 3000, cacheWrite1hTokens: 1000, outputTokens: 100 } });
  await client.messages.stream({ model: 'claude-sonnet-5-5', max_tokens: 1024, messages }).finalMessage();
  sim.script({ serviceTier: 'priority', usage: { inputTokens: 1000, outputTokens: 100 } });
  await client.messages.create({ model: 'claude-sonnet-5-5', max_tokens: 1024, messages });
}

describe('Anthropic billing: the ledger', () => {
  it('records messages (streams too) with the usage as Anthropic reports it, in the default workspace', async () => {
    await servedTraffic();
    const [plain, stream, priority] = sim.billing.entries;
    expect(plain).toMatchObject({
      provider: 'anthropic',
      api: 'messages',
      model: 'claude-sonnet-5-5',
      serviceTier: 'standard',
      batch: false,
      workspaceId: 'wrkspc_default',
      apiKeyId: apiKeyIdOf('anthropic', 'sk-ant-api03-test'),
      usage: { inputTokens: 100, cacheReadInputTokens: 1400, outputTokens: 350 },
    });
    expect(plain!.apiKeyId).toMatch(/^apikey_[0-9a-f]{16}$/);
    expect(stream!.usage).toEqual({
      inputTokens: 7000,
      cacheReadInputTokens: 0,
      cacheCreation5mInputTokens: 2000,
      cacheCreation1hInputTokens: 1000,
      outputTokens: 100,
      webSearchRequests: 0,
    });
    expect(priority!.serviceTier).toBe('priority');
  });
});

describe('GET /v1/organizations/cost_report', () => {
  it('reports cents as a decimal string, without the priority-tier call', async () => {
    await servedTraffic();
    const { status, body } = await admin('cost_report', todayOnly);
    expect(status).toBe(200);
    // demo call: 100 x $2/M + 1400 x $0.10/M + 350 x $10/M = 0.0002 + 0.00014 + 0.0035 = $0.00384
    // stream: 7000 x $2/M + 2000 x $2.50/M + 1000 x $4/M + 100 x $10/M = 0.014 + 0.005 + 0.004 + 0.001 = $0.024
    // priority call: not in the cost report. Total $0.02784 = 2.784 cents
    expect(body).toEqual({
      data: [
        {
          starting_at: iso(today),
          ending_at: iso(today + DAY),
          results: [
            {
              amount: '2.784',
              currency: 'USD',
              cost_type: null,
              description: null,
              model: null,
              service_tier: null,
              token_type: null,
              context_window: null,
              workspace_id: null,
            },
          ],
        },
      ],
      has_more: false,
      next_page: null,
    });
  });

  it('breaks costs down by description: model, token type, tier, context window', async () => {
    await servedTraffic();
    const { body } = await admin('cost_report', { ...todayOnly, 'group_by[]': 'description' });
    // biome-ignore lint/suspicious/noExplicitAny: wire JSON
    const rows = body.data[0].results.map((r: any) => [r.token_type, r.amount]);
    expect(rows).toEqual([
      ['uncached_input_tokens', '1.42'], // (100 + 7000) x $2/M = $0.0142
      ['cache_read_input_tokens', '0.014'], // 1400 x $0.10/M = $0.00014
      ['output_tokens', '0.45'], // (350 + 100) x $10/M = $0.0045
      ['cache_creation.ephemeral_5m_input_tokens', '0.5'], // 2000 x $2.50/M = $0.005
      ['cache_creation.ephemeral_1h_input_tokens', '0.4'], // 1000 x $4/M = $0.004
    ]);
    expect(body.data[0].results[0]).toMatchObject({
      currency: 'USD',
      cost_type: 'tokens',
      model: 'claude-sonnet-5-5',
      service_tier: 'standard',
      context_window: '0-200k',
      workspace_id: null,
      description: expect.stringContaining('claude-sonnet-5-5'),
    });
  });

  it('shows a hidden caller in its own workspace on its day, and paginates with empty days', async () => {
    sim.billing.add({
      provider: 'anthropic',
      model: 'claude-sonnet-5-5',
      usage: { inputTokens: 1_000_000, outputTokens: 100_000 },
      workspaceId: 'wrkspc_01hidden',
      time: today - 2 * DAY + 5000,
    });
    await servedTraffic();
    const pages = [];
    let page: string | undefined;
    do {
      const { body } = await admin('cost_report', {
        starting_at: iso(today - 4 * DAY + 1234), // snapped to the UTC day
        ending_at: iso(today + DAY),
        'group_by[]': 'workspace_id',
        limit: '2',
        ...(page ? { page } : {}),
      });
      pages.push(body);
      page = body.next_page ?? undefined;
    } while (page);
    expect(pages.map((p) => [p.data.length, p.has_more])).toEqual([
      [2, true],
      [2, true],
      [1, false],
    ]);
    const buckets = pages.flatMap((p) => p.data);
    expect(buckets.map((b) => b.starting_at)).toEqual([4, 3, 2, 1, 0].map((d) => iso(today - d * DAY)));
    // hidden: 1M x $2/M + 100k x $10/M = $3 = 300 cents
    expect(
      buckets.map((b) => b.results.map((r: { workspace_id: string; amount: string }) => [r.workspace_id, r.amount])),
    ).toEqual([[], [], [['wrkspc_01hidden', '300']], [], [[null, '2.784']]]);
  });

  it('bills a price change from its time on', async () => {
    sim.billing.setPrice({ provider: 'anthropic', model: 'claude-sonnet-5-5', price: { output: 15 }, from: today });
    sim.billing.add({
      provider: 'anthropic',
      model: 'claude-sonnet-5-5',
      usage: { outputTokens: 1_000_000 },
      time: today - DAY,
    });
    sim.billing.add({
      provider: 'anthropic',
      model: 'claude-sonnet-5-5',
      usage: { outputTokens: 1_000_000 },
      time: today,
    });
    const { body } = await admin('cost_report', { starting_at: iso(today - DAY), ending_at: iso(today + DAY) });
    // $10/M before, $15/M from today: 1000 and 1500 cents
    // biome-ignore lint/suspicious/noExplicitAny: wire JSON
    expect(body.data.map((b: any) => b.results[0].amount)).toEqual(['1000', '1500']);
  });
});

describe('GET /v1/organizations/usage_report/messages', () => {
  it('sums tokens by model, tier, workspace, key and context window; priority usage included', async () => {
    await servedTraffic();
    const { body } = await admin('usage_report/messages', {
      ...todayOnly,
      'group_by[]': ['model', 'service_tier', 'workspace_id', 'api_key_id', 'context_window'],
    });
    const key = apiKeyIdOf('anthropic', 'sk-ant-api03-test');
    const common = { model: 'claude-sonnet-5-5', workspace_id: null, api_key_id: key, context_window: '0-200k' };
    expect(body.data[0].results).toEqual([
      {
        uncached_input_tokens: 7100,
        cache_creation: { ephemeral_1h_input_tokens: 1000, ephemeral_5m_input_tokens: 2000 },
        cache_read_input_tokens: 1400,
        output_tokens: 450,
        server_tool_use: { web_search_requests: 0 },
        ...common,
        service_tier: 'standard',
      },
      {
        uncached_input_tokens: 1000,
        cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 0 },
        cache_read_input_tokens: 0,
        output_tokens: 100,
        server_tool_use: { web_search_requests: 0 },
        ...common,
        service_tier: 'priority',
      },
    ]);
    const filtered = await admin('usage_report/messages', { ...todayOnly, 'service_tiers[]': 'priority' });
    expect(filtered.body.data[0].results).toEqual([
      expect.objectContaining({ uncached_input_tokens: 1000, model: null }),
    ]);
  });

  it('serves hourly buckets and, without ending_at, runs through the current bucket', async () => {
    await servedTraffic();
    const hour = Math.floor(Date.now() / 3_600_000) * 3_600_000;
    const { body } = await admin('usage_report/messages', {
      starting_at: iso(hour - 3 * 3_600_000),
      bucket_width: '1h',
    });
    expect(body.data.map((b: { starting_at: string }) => b.starting_at)).toEqual(
      [3, 2, 1, 0].map((h) => iso(hour - h * 3_600_000)),
    );
    expect(body.data[3].results[0].output_tokens).toBe(550);
    expect(body.data[0].results).toEqual([]);
  });
});

describe('Anthropic admin auth, errors and rate limits', () => {
  it('needs an admin key and anthropic-version', async () => {
    const standard = await admin('cost_report', todayOnly, {
      'x-api-key': 'sk-ant-api03-test',
      'anthropic-version': '2023-06-01',
    });
    expect(standard.status).toBe(401);
    expect(standard.body).toEqual({
      type: 'error',
      error: { type: 'authentication_error', message: 'invalid x-api-key' },
      request_id: expect.any(String),
    });
    expect((await admin('cost_report', todayOnly, {})).status).toBe(401);
    const noVersion = await admin('usage_report/messages', todayOnly, { 'x-api-key': 'sk-ant-admin01-test' });
    expect(noVersion.status).toBe(400);
    expect(noVersion.body.error.type).toBe('invalid_request_error');
  });

  it('answers the next N admin requests 429 with retry-after, only for the provider asked', async () => {
    sim.billing.rateLimitNext(1, { provider: 'anthropic', retryAfterSeconds: 2 });
    const openai = await fetch(`${sim.url}/v1/organization/costs?start_time=${today / 1000}`, {
      headers: { authorization: 'Bearer sk-admin-x' },
    });
    expect(openai.status).toBe(200);
    const limited = await admin('cost_report', todayOnly);
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('2');
    expect(limited.body.error.type).toBe('rate_limit_error');
    expect((await admin('cost_report', todayOnly)).status).toBe(200);
  });

  it('rejects bad parameters with 400', async () => {
    expect((await admin('cost_report', {})).status).toBe(400);
    expect((await admin('cost_report', { ...todayOnly, bucket_width: '1h' })).status).toBe(400);
    expect((await admin('cost_report', { ...todayOnly, limit: '32' })).status).toBe(400);
    expect((await admin('usage_report/messages', { starting_at: 'yesterday' })).status).toBe(400);
    expect((await admin('usage_report/messages', { ...todayOnly, 'group_by[]': 'description' })).status).toBe(400);
  });
});
