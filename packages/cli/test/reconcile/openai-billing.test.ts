import { afterEach, describe, expect, it } from 'vitest';
import { openaiApi, openaiBilling, parseLineItem } from '../../src/reconcile/openai-billing.js';
import { startServer } from './server.js';

const D1 = Date.parse('2026-11-29T00:00:00Z') / 1000;
const D2 = D1 + 86400;
let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

const cost = (value: number | string, line_item: string | null, project_id = 'proj_a') => ({
  object: 'organization.costs.result',
  amount: { value, currency: 'usd' },
  line_item,
  project_id,
  organization_id: 'org-1',
});
const usage = (o: Record<string, unknown>) => ({
  object: 'organization.usage.completions.result',
  input_tokens: 0,
  output_tokens: 0,
  input_cached_tokens: 0,
  input_audio_tokens: 0,
  output_audio_tokens: 0,
  num_model_requests: 0,
  project_id: 'proj_a',
  user_id: null,
  api_key_id: null,
  batch: false,
  service_tier: 'default',
  ...o,
});
const page = (data: unknown[], next: string | null = null) => ({
  object: 'page',
  data,
  has_more: next !== null,
  next_page: next,
});
const bucket = (start: number, results: unknown[]) => ({
  object: 'bucket',
  start_time: start,
  end_time: start + 86400,
  results,
});

describe('OpenAI line items', () => {
  it.each([
    ['gpt-4o-2024-08-06, input', { model: 'gpt-4o-2024-08-06', kind: 'input', batch: false }],
    ['gpt-4o-mini-2024-07-18, cached input', { model: 'gpt-4o-mini-2024-07-18', kind: 'cached input', batch: false }],
    [
      'priority | gpt-5-2025-08-07, output, long context',
      { model: 'gpt-5-2025-08-07', kind: 'output', tier: 'priority', batch: false },
    ],
    [
      'gpt-audio-mini-2025-12-15 audio, input',
      { model: 'gpt-audio-mini-2025-12-15', kind: 'input', modality: 'audio', batch: false },
    ],
    ['gpt-4.1-2025-04-14, output, batch', { model: 'gpt-4.1-2025-04-14', kind: 'output', batch: true }],
    ['batch | gpt-4o-2024-08-06, cache write', { model: 'gpt-4o-2024-08-06', kind: 'cache write', batch: true }],
    [
      'flex | o3-2025-04-16, cached input',
      { model: 'o3-2025-04-16', kind: 'cached input', tier: 'flex', batch: false },
    ],
    ['web search tool calls', null],
    ['Vector storage', null],
  ])('%s', (item, want) => {
    expect(parseLineItem(item)).toEqual(want);
  });
});

describe('OpenAI billing', () => {
  it('asks for daily costs by project and line item and tokens by model, and sums them per day and served model', async () => {
    const s = await startServer((req) => {
      const p = req.query.get('page');
      if (req.path === '/v1/organization/costs') {
        return p === null
          ? {
              body: page(
                [
                  bucket(D1, [
                    cost(0.5, 'gpt-4o-2024-08-06, input'),
                    cost('0.5', 'gpt-4o-2024-08-06, output'),
                    cost(0.25, 'gpt-4o-2024-08-06, input', 'proj_b'),
                    cost(0.1, 'web search tool calls'),
                  ]),
                ],
                'page_2',
              ),
            }
          : { body: page([bucket(D2, [cost(1.7, 'priority | gpt-5-2025-08-07, output')])]) };
      }
      if (req.path === '/v1/organization/usage/completions') {
        return {
          body: page([
            bucket(D1, [
              usage({
                model: 'gpt-4o-2024-08-06',
                input_tokens: 300_000,
                input_cached_tokens: 100_000,
                output_tokens: 50_000,
                num_model_requests: 40,
              }),
              usage({
                model: 'gpt-4o-2024-08-06',
                input_tokens: 1000,
                output_tokens: 10,
                num_model_requests: 1,
                batch: true,
              }),
            ]),
            bucket(D2, [
              usage({
                model: 'gpt-5-2025-08-07',
                input_tokens: 10,
                output_tokens: 100_000,
                num_model_requests: 2,
                service_tier: 'priority',
              }),
            ]),
          ]),
        };
      }
      if (req.path === '/v1/organization/usage/embeddings') {
        return {
          body: page([
            bucket(D1, [
              {
                object: 'organization.usage.embeddings.result',
                input_tokens: 5000,
                num_model_requests: 5,
                model: 'text-embedding-3-small',
                project_id: 'proj_a',
              },
            ]),
          ]),
        };
      }
      return { status: 404, body: { error: { message: 'not found' } } };
    });
    close = s.close;
    const rows = await openaiBilling(openaiApi(s.url, { OPENAI_ADMIN_KEY: 'sk-admin-t' }), '2026-11-29', '2026-11-30');

    const costs = s.seen.filter((r) => r.path === '/v1/organization/costs');
    expect(costs).toHaveLength(2);
    expect(Object.fromEntries([...costs[0]!.query].filter(([k]) => k !== 'group_by[]'))).toEqual({
      start_time: String(D1),
      end_time: String(D2 + 86400),
      bucket_width: '1d',
      limit: '31',
    });
    expect(costs[0]!.query.getAll('group_by[]')).toEqual(['project_id', 'line_item']);
    expect(costs[1]!.query.get('page')).toBe('page_2');
    const completions = s.seen.find((r) => r.path === '/v1/organization/usage/completions')!;
    expect(completions.query.getAll('group_by[]')).toEqual(['model', 'project_id', 'batch', 'service_tier']);
    expect(s.seen.every((r) => r.headers.authorization === 'Bearer sk-admin-t')).toBe(true);

    expect(rows).toEqual([
      {
        day: '2026-11-29',
        model: 'gpt-4o-2024-08-06',
        costUsd: 1.25,
        tokens: { input: 301_000, output: 50_010, cacheRead: 100_000, cacheWrite: 0 },
        requests: 41,
        batch: true,
        tiers: [],
        notes: [],
      },
      {
        day: '2026-11-29',
        model: 'text-embedding-3-small',
        costUsd: 0,
        tokens: { input: 5000, output: 0, cacheRead: 0, cacheWrite: 0 },
        requests: 5,
        batch: false,
        tiers: [],
        notes: [],
      },
      {
        day: '2026-11-29',
        model: 'web search tool calls',
        costUsd: 0.1,
        tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
        requests: null,
        batch: false,
        tiers: [],
        notes: [],
        nonModel: true,
      },
      {
        day: '2026-11-30',
        model: 'gpt-5-2025-08-07',
        costUsd: 1.7,
        tokens: { input: 10, output: 100_000, cacheRead: 0, cacheWrite: 0 },
        requests: 2,
        batch: false,
        tiers: ['priority'],
        notes: [],
      },
    ]);
  });
});
