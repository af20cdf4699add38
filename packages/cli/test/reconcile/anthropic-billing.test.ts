import { afterEach, describe, expect, it } from 'vitest';
import { anthropicApi, anthropicBilling, PRIORITY_NOTE } from '../../src/reconcile/anthropic-billing.js';
import { startServer } from './server.js';

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

const cost = (o: Record<string, unknown>) => ({
  currency: 'USD',
  cost_type: 'tokens',
  context_window: '0-200k',
  service_tier: 'standard',
  workspace_id: null,
  inference_geo: 'global',
  ...o,
});
const usage = (o: Record<string, unknown>) => ({
  uncached_input_tokens: 0,
  cache_read_input_tokens: 0,
  cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
  output_tokens: 0,
  server_tool_use: { web_search_requests: 0 },
  workspace_id: null,
  api_key_id: null,
  context_window: null,
  service_tier: 'standard',
  ...o,
});
const day = (d: string, results: unknown[]) => ({
  starting_at: `${d}T00:00:00Z`,
  ending_at: new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().replace('.000Z', 'Z'),
  results,
});

describe('Anthropic billing', () => {
  it('reads the cost report (cents as decimal strings) and the messages usage report per day and model', async () => {
    const sonnet = 'claude-sonnet-4-5-20250929';
    const s = await startServer((req) => {
      if (req.path === '/v1/organizations/cost_report') {
        return req.query.get('page') === null
          ? {
              body: {
                data: [
                  day('2026-11-29', [
                    cost({
                      amount: '150.0',
                      description: 'Claude Sonnet 4.5 Usage - Input Tokens',
                      model: sonnet,
                      token_type: 'uncached_input_tokens',
                    }),
                    cost({
                      amount: '75.5',
                      description: 'Claude Sonnet 4.5 Usage - Output Tokens',
                      model: sonnet,
                      token_type: 'output_tokens',
                    }),
                    cost({
                      amount: '12.25',
                      description: 'Claude Sonnet 4.5 Batch - Input Tokens',
                      model: sonnet,
                      service_tier: 'batch',
                      token_type: 'uncached_input_tokens',
                      workspace_id: 'wrkspc_1',
                    }),
                  ]),
                ],
                has_more: true,
                next_page: 'page_MjAyNi0xMS0zMA==',
              },
            }
          : {
              body: {
                data: [
                  day('2026-11-30', [
                    cost({
                      amount: '1000',
                      description: 'Web Search',
                      cost_type: 'web_search',
                      model: null,
                      token_type: null,
                      service_tier: null,
                      context_window: null,
                    }),
                  ]),
                ],
                has_more: false,
                next_page: null,
              },
            };
      }
      if (req.path === '/v1/organizations/usage_report/messages') {
        return {
          body: {
            data: [
              day('2026-11-29', [
                usage({
                  model: sonnet,
                  uncached_input_tokens: 400_000,
                  cache_read_input_tokens: 50_000,
                  cache_creation: { ephemeral_5m_input_tokens: 10_000, ephemeral_1h_input_tokens: 2_000 },
                  output_tokens: 60_000,
                }),
                usage({ model: sonnet, uncached_input_tokens: 1_000, output_tokens: 100, service_tier: 'batch' }),
              ]),
              day('2026-11-30', [
                usage({ model: sonnet, uncached_input_tokens: 20, output_tokens: 30, service_tier: 'priority' }),
              ]),
            ],
            has_more: false,
            next_page: null,
          },
        };
      }
      return { status: 404, body: { type: 'error', error: { type: 'not_found_error', message: 'Not found' } } };
    });
    close = s.close;
    const api = anthropicApi(undefined, {
      ANTHROPIC_ADMIN_KEY: 'sk-ant-admin01-t',
      LLMCOST_ANTHROPIC_ADMIN_URL: `${s.url}/v1`,
    });
    const rows = await anthropicBilling(api, '2026-11-29', '2026-11-30');

    const costs = s.seen.filter((r) => r.path === '/v1/organizations/cost_report');
    expect(costs.map((r) => r.query.get('page'))).toEqual([null, 'page_MjAyNi0xMS0zMA==']);
    expect(costs[0]!.query.get('starting_at')).toBe('2026-11-29T00:00:00Z');
    expect(costs[0]!.query.get('ending_at')).toBe('2026-12-01T00:00:00Z');
    expect(costs[0]!.query.getAll('group_by[]')).toEqual(['workspace_id', 'description']);
    const messages = s.seen.find((r) => r.path === '/v1/organizations/usage_report/messages')!;
    expect(messages.query.get('bucket_width')).toBe('1d');
    expect(messages.query.getAll('group_by[]')).toEqual(['model', 'workspace_id', 'service_tier']);
    for (const r of s.seen) {
      expect(r.headers['x-api-key']).toBe('sk-ant-admin01-t');
      expect(r.headers['anthropic-version']).toBe('2023-06-01');
    }

    expect(rows).toHaveLength(3);
    const [d1, d2sonnet, d2search] = rows;
    expect(d1!.costUsd).toBeCloseTo(2.3775, 10); // (150 + 75.5 + 12.25) cents
    expect(d1).toMatchObject({
      day: '2026-11-29',
      model: sonnet,
      tokens: { input: 463_000, output: 60_100, cacheRead: 50_000, cacheWrite: 12_000 },
      requests: null,
      batch: true,
      tiers: [],
    });
    expect(d2sonnet).toMatchObject({
      day: '2026-11-30',
      model: sonnet,
      costUsd: 0,
      tiers: ['priority'],
      notes: [PRIORITY_NOTE],
    });
    expect(d2search).toMatchObject({ day: '2026-11-30', model: 'Web Search', costUsd: 10, nonModel: true });
  });
});
