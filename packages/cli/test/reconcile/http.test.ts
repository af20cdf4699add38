import { afterEach, describe, expect, it } from 'vitest';
import { anthropicApi } from '../../src/reconcile/anthropic-billing.js';
import { apiOrigin, getAllPages, getJson, ReconcileError, retryAfterMs } from '../../src/reconcile/http.js';
import { adminKey } from '../../src/reconcile/keys.js';
import { openaiApi } from '../../src/reconcile/openai-billing.js';
import { startServer } from './server.js';

const servers: Array<{ close: () => Promise<void> }> = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
async function server(...args: Parameters<typeof startServer>) {
  const s = await startServer(...args);
  servers.push(s);
  return s;
}
const openaiEnv = (url: string) => ({ OPENAI_ADMIN_KEY: 'sk-admin-test', LLMCOST_OPENAI_ADMIN_URL: url });
const bucket = (start: number, value: number) => ({
  object: 'bucket',
  start_time: start,
  end_time: start + 86400,
  results: [
    {
      object: 'organization.costs.result',
      amount: { value, currency: 'usd' },
      line_item: 'gpt-4o-2024-08-06, input',
      project_id: 'proj_1',
    },
  ],
});

describe('paging', () => {
  it('follows next_page as page until has_more is false, keeping the other parameters', async () => {
    const pages: Record<string, unknown> = {
      first: { object: 'page', data: [bucket(0, 1)], has_more: true, next_page: 'page_AAA' },
      page_AAA: { object: 'page', data: [bucket(86400, 2)], has_more: true, next_page: 'page_BBB' },
      page_BBB: { object: 'page', data: [bucket(172800, 3)], has_more: false, next_page: null },
    };
    const s = await server((req) => ({ body: pages[req.query.get('page') ?? 'first'] }));
    const api = openaiApi(undefined, openaiEnv(s.url));
    const buckets = await getAllPages<{ start_time: number }>(api, 'v1/organization/costs', [
      ['start_time', '0'],
      ['group_by[]', 'project_id'],
      ['group_by[]', 'line_item'],
    ]);
    expect(buckets.map((b) => b.start_time)).toEqual([0, 86400, 172800]);
    expect(s.seen.map((r) => r.query.get('page'))).toEqual([null, 'page_AAA', 'page_BBB']);
    for (const r of s.seen) {
      expect(r.path).toBe('/v1/organization/costs');
      expect(r.query.getAll('group_by[]')).toEqual(['project_id', 'line_item']);
      expect(r.headers.authorization).toBe('Bearer sk-admin-test');
    }
  });

  it('refuses a cursor that repeats', async () => {
    const s = await server(() => ({ body: { data: [], has_more: true, next_page: 'same' } }));
    await expect(getAllPages(openaiApi(undefined, openaiEnv(s.url)), 'v1/organization/costs', [])).rejects.toThrow(
      /sent the page cursor same twice/,
    );
  });
});

describe('rate limits and failures', () => {
  it('waits as retry-after says on 429, then retries', async () => {
    const s = await server((_req, n) =>
      n <= 2
        ? {
            status: 429,
            headers: { 'retry-after': '2' },
            body: { error: { message: 'Rate limit reached', type: 'requests' } },
          }
        : { body: { data: [], has_more: false, next_page: null } },
    );
    const waits: number[] = [];
    const sleep = async (ms: number) => {
      waits.push(ms);
    };
    const body = await getJson(openaiApi(undefined, openaiEnv(s.url)), new URL('/v1/organization/costs', s.url), {
      sleep,
    });
    expect(body).toEqual({ data: [], has_more: false, next_page: null });
    expect(waits).toEqual([2000, 2000]);
    expect(s.seen).toHaveLength(3);
  });

  it('backs off exponentially without retry-after, and gives up after the bounded attempts', async () => {
    const s = await server(() => ({
      status: 429,
      body: { type: 'error', error: { type: 'rate_limit_error', message: 'slow down' } },
    }));
    const waits: number[] = [];
    const api = anthropicApi(undefined, {
      ANTHROPIC_ADMIN_KEY: 'sk-ant-admin01-x',
      LLMCOST_ANTHROPIC_ADMIN_URL: s.url,
    });
    const err = await getJson(api, new URL('/v1/organizations/cost_report', s.url), {
      attempts: 4,
      sleep: async (ms) => {
        waits.push(ms);
      },
    }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(ReconcileError);
    expect((err as Error).message).toMatch(/Anthropic kept rate-limited GET .*cost_report after 4 attempt/);
    expect(waits).toEqual([1000, 2000, 4000]);
    expect(s.seen).toHaveLength(4);
  });

  it('fails at once when retry-after is longer than the longest wait', async () => {
    const s = await server(() => ({ status: 429, headers: { 'retry-after': '3600' }, body: {} }));
    await expect(
      getJson(openaiApi(undefined, openaiEnv(s.url)), new URL('/v1/organization/costs', s.url), {
        sleep: async () => {},
      }),
    ).rejects.toThrow(/asked to wait 3600 s/);
    expect(s.seen).toHaveLength(1);
  });

  it('retries a 5xx (overloaded) and reports the API as down when it stays down', async () => {
    const s = await server(() => ({
      status: 529,
      body: { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } },
    }));
    const api = anthropicApi(undefined, {
      ANTHROPIC_ADMIN_KEY: 'sk-ant-admin01-x',
      LLMCOST_ANTHROPIC_ADMIN_URL: s.url,
    });
    await expect(
      getJson(api, new URL('/v1/organizations/cost_report', s.url), { attempts: 2, sleep: async () => {} }),
    ).rejects.toThrow(/failing \(HTTP 529: Overloaded\).*\n {2}fix: Anthropic looks down/s);
  });

  it('names the unreachable API and the flag that points at it', async () => {
    const s = await server(() => ({ body: {} }));
    await s.close();
    servers.pop();
    await expect(
      getJson(openaiApi(undefined, openaiEnv(s.url)), new URL('/v1/organization/costs', s.url)),
    ).rejects.toThrow(
      /cannot reach the OpenAI admin API at .*\n {2}fix: .*--base-url \(or LLMCOST_OPENAI_ADMIN_URL\)/s,
    );
  });

  it('reads retry-after as seconds, an HTTP date, or retry-after-ms', () => {
    const now = Date.parse('2026-12-01T00:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': '7' }), now)).toBe(7000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'Tue, 01 Dec 2026 00:00:30 GMT' }), now)).toBe(30_000);
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250', 'retry-after': '1' }), now)).toBe(250);
    expect(retryAfterMs(new Headers(), now)).toBeNull();
  });
});

describe('admin keys', () => {
  it('maps the API refusing the key to the key variable and the key type', async () => {
    const s = await server(() => ({
      status: 401,
      body: {
        error: {
          message: 'You have insufficient permissions for this operation. Missing scopes: api.usage.read.',
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      },
    }));
    await expect(
      getJson(openaiApi(undefined, openaiEnv(s.url)), new URL('/v1/organization/costs', s.url)),
    ).rejects.toThrow(
      /OpenAI refused the key in OPENAI_ADMIN_KEY \(HTTP 401: You have insufficient permissions.*\n {2}fix: set OPENAI_ADMIN_KEY to an OpenAI admin key \(sk-admin-\.\.\.\)/s,
    );
    const a = await server(() => ({
      status: 403,
      body: { type: 'error', error: { type: 'permission_error', message: 'This API key does not have access' } },
    }));
    const api = anthropicApi(undefined, {
      ANTHROPIC_ADMIN_KEY: 'sk-ant-admin01-x',
      LLMCOST_ANTHROPIC_ADMIN_URL: a.url,
    });
    await expect(getJson(api, new URL('/v1/organizations/cost_report', a.url))).rejects.toThrow(
      /Anthropic refused the key in ANTHROPIC_ADMIN_KEY \(HTTP 403: This API key does not have access\).*sk-ant-admin/s,
    );
  });

  it('detects a standard key by its prefix before any call, without printing the secret', () => {
    expect(() => adminKey('openai', { OPENAI_ADMIN_KEY: 'sk-proj-abcdef123456' })).toThrow(
      /OPENAI_ADMIN_KEY holds a standard API key \(sk-proj-\.\.\.\), not an admin key\n {2}fix: .*sk-admin-/,
    );
    expect(() => adminKey('openai', { OPENAI_ADMIN_KEY: 'sk-abcdef123456' })).toThrow(/standard API key \(sk-\.\.\.\)/);
    expect(() => adminKey('anthropic', { ANTHROPIC_ADMIN_KEY: 'sk-ant-api03-secret' })).toThrow(
      /ANTHROPIC_ADMIN_KEY holds a standard API key \(sk-ant-api03-\.\.\.\).*sk-ant-admin/s,
    );
    expect(() => adminKey('openai', { OPENAI_API_KEY: 'sk-proj-x' })).toThrow(
      /OPENAI_ADMIN_KEY is not set \(OPENAI_API_KEY is set, but a standard key cannot read the bill\)/,
    );
    expect(adminKey('openai', { OPENAI_ADMIN_KEY: 'sk-admin-abc' })).toBe('sk-admin-abc');
    expect(adminKey('anthropic', { ANTHROPIC_ADMIN_KEY: 'sk-ant-admin01-abc' })).toBe('sk-ant-admin01-abc');
  });

  it('sends each provider its auth headers', () => {
    expect(openaiApi(undefined, { OPENAI_ADMIN_KEY: 'sk-admin-a' }).headers).toEqual({
      authorization: 'Bearer sk-admin-a',
    });
    expect(anthropicApi(undefined, { ANTHROPIC_ADMIN_KEY: 'sk-ant-admin01-a' }).headers).toEqual({
      'x-api-key': 'sk-ant-admin01-a',
      'anthropic-version': '2023-06-01',
    });
  });
});

describe('base URL', () => {
  it('takes --base-url, then the variable, then the default; a trailing /v1 is dropped', () => {
    expect(apiOrigin(undefined, undefined, 'https://api.openai.com')).toBe('https://api.openai.com/');
    expect(apiOrigin(undefined, 'http://127.0.0.1:8080/v1/', 'https://api.openai.com')).toBe('http://127.0.0.1:8080/');
    expect(apiOrigin('http://sim:9/proxy', 'http://x', 'https://api.openai.com')).toBe('http://sim:9/proxy/');
    expect(() => apiOrigin('nope', undefined, 'https://api.openai.com')).toThrow(/"nope" is not a URL/);
  });
});
