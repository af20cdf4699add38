/**
 * What OpenAI billed, per UTC day and served model, from the organization's admin API:
 * costs (`/v1/organization/costs`, grouped by project and line item) and tokens and requests
 * (`/v1/organization/usage/completions` and `/usage/embeddings`, grouped by model, project, batch, service tier).
 */
import { DAY_SECONDS, dayOf, dayStart } from './days.js';
import { type AdminApi, apiOrigin, getAllPages, type HttpOptions, ReconcileError } from './http.js';
import { adminKey, KEYS } from './keys.js';
import { BilledBook, type BilledModelDay } from './types.js';

export const OPENAI_DEFAULT_URL = 'https://api.openai.com';
export const OPENAI_URL_ENV = 'LLMCOST_OPENAI_ADMIN_URL';

interface Bucket<R> {
  object: 'bucket';
  start_time: number;
  end_time: number;
  results: R[];
}

interface CostResult {
  object: 'organization.costs.result';
  amount?: { value: number | string; currency: string };
  line_item?: string | null;
  project_id?: string | null;
}

interface UsageResult {
  object: string;
  input_tokens?: number;
  input_cached_tokens?: number;
  output_tokens?: number;
  num_model_requests?: number;
  model?: string | null;
  project_id?: string | null;
  batch?: boolean | null;
  service_tier?: string | null;
}

export interface LineItem {
  model: string;
  /** `input`, `cached input`, `output`, `cache writes`, ... */
  kind: string;
  modality?: string;
  /** The tier prefix (`priority | gpt-...`), absent for the standard tier. */
  tier?: string;
  batch: boolean;
}

/**
 * A cost line item names the served model and the token kind: `gpt-4o-2024-08-06, input`,
 * `gpt-4o-mini-2024-07-18, cached input`, `priority | gpt-5-2025-08-07, output, long context`,
 * `gpt-audio-mini-2025-12-15 audio, input`, `batch | gpt-4o-2024-08-06, input`. Anything else (`web search tool calls`, `Vector storage`,
 * fine-tuning training) is no model call: null.
 */
export function parseLineItem(lineItem: string): LineItem | null {
  const m =
    /^(?:([a-z_]+) \| )?(.+?)(?: (text|audio|image))?, (input|output|cached input|cache writes?)((?:, [^,]+)*)$/i.exec(
      lineItem.trim(),
    );
  if (!m) return null;
  const prefix = m[1]?.toLowerCase();
  const item: LineItem = { model: m[2]!, kind: m[4]!.toLowerCase(), batch: /\bbatch\b/i.test(lineItem) };
  if (m[3]) item.modality = m[3];
  if (prefix && !['default', 'standard', 'batch'].includes(prefix)) item.tier = prefix;
  return item;
}

export function openaiApi(baseUrl?: string, env: NodeJS.ProcessEnv = process.env): AdminApi {
  const key = adminKey('openai', env);
  return {
    service: 'OpenAI',
    baseUrl: apiOrigin(baseUrl, env[OPENAI_URL_ENV], OPENAI_DEFAULT_URL),
    headers: { authorization: `Bearer ${key}` },
    keyVar: KEYS.openai.variable,
    keyKind: KEYS.openai.kind,
    baseUrlHint: `--base-url (or ${OPENAI_URL_ENV})`,
  };
}

function rangeParams(from: string, to: string): [string, string][] {
  return [
    ['start_time', String(dayStart(from))],
    ['end_time', String(dayStart(to) + DAY_SECONDS)],
    ['bucket_width', '1d'],
    ['limit', '31'],
  ];
}

export async function openaiBilling(
  api: AdminApi,
  from: string,
  to: string,
  opts: HttpOptions = {},
): Promise<BilledModelDay[]> {
  const range = rangeParams(from, to);
  const [costs, completions, embeddings] = await Promise.all([
    getAllPages<Bucket<CostResult>>(
      api,
      'v1/organization/costs',
      [...range, ['group_by[]', 'project_id'], ['group_by[]', 'line_item']],
      opts,
    ),
    getAllPages<Bucket<UsageResult>>(
      api,
      'v1/organization/usage/completions',
      [
        ...range,
        ['group_by[]', 'model'],
        ['group_by[]', 'project_id'],
        ['group_by[]', 'batch'],
        ['group_by[]', 'service_tier'],
      ],
      opts,
    ),
    getAllPages<Bucket<UsageResult>>(
      api,
      'v1/organization/usage/embeddings',
      [...range, ['group_by[]', 'model'], ['group_by[]', 'project_id']],
      opts,
    ),
  ]);
  const book = new BilledBook();
  const days = new Set<string>();
  for (let t = dayStart(from); t <= dayStart(to); t += DAY_SECONDS) days.add(dayOf(t));

  for (const bucket of costs) {
    const day = dayOf(bucket.start_time);
    if (!days.has(day)) continue;
    for (const r of bucket.results ?? []) {
      const value = Number(r.amount?.value ?? 0);
      if (!Number.isFinite(value))
        throw new ReconcileError(`OpenAI sent a cost amount that is not a number: ${r.amount?.value}`);
      const currency = (r.amount?.currency ?? 'usd').toLowerCase();
      if (currency !== 'usd') throw new ReconcileError(`OpenAI billed in ${currency}; the reconciliation compares USD`);
      const label = r.line_item ?? '(no line item)';
      const item = parseLineItem(label);
      const row = book.entry(day, item?.model ?? label, !item);
      row.costUsd += value;
      if (item?.tier) book.tier(row, item.tier);
      if (item?.batch) row.batch = true;
    }
  }
  for (const bucket of [...completions, ...embeddings]) {
    const day = dayOf(bucket.start_time);
    if (!days.has(day)) continue;
    for (const r of bucket.results ?? []) {
      const row = book.entry(day, r.model ?? '(no model)');
      const input = r.input_tokens ?? 0;
      row.tokens.input += input;
      row.tokens.cacheRead += r.input_cached_tokens ?? 0;
      row.tokens.output += r.output_tokens ?? 0;
      row.requests = (row.requests ?? 0) + (r.num_model_requests ?? 0);
      if (r.batch) row.batch = true;
      const tier = r.service_tier?.toLowerCase();
      if (tier && !['default', 'standard', 'auto'].includes(tier)) book.tier(row, tier);
    }
  }
  return book.all();
}
