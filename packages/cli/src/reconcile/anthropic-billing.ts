/**
 * What Anthropic billed, per UTC day and model, from the organization's Admin API: costs
 * (`/v1/organizations/cost_report`, grouped by workspace and description: model, token type, service tier)
 * and tokens (`/v1/organizations/usage_report/messages`, grouped by model, workspace, service tier).
 * The cost report leaves out Priority Tier costs (Anthropic documents it); a priority day is marked so.
 */
import { DAY_SECONDS, dayStart, rfc3339 } from './days.js';
import { type AdminApi, apiOrigin, getAllPages, type HttpOptions, ReconcileError } from './http.js';
import { adminKey, KEYS } from './keys.js';
import { BilledBook, type BilledModelDay } from './types.js';

export const ANTHROPIC_DEFAULT_URL = 'https://api.anthropic.com';
export const ANTHROPIC_URL_ENV = 'LLMCOST_ANTHROPIC_ADMIN_URL';
export const ANTHROPIC_VERSION = '2023-06-01';
export const PRIORITY_NOTE =
  "Anthropic's cost report leaves out Priority Tier costs: the billed cost is below the invoice";

interface Bucket<R> {
  starting_at: string;
  ending_at: string;
  results: R[];
}

interface CostResult {
  /** Lowest currency unit (cents) as a decimal string: "123.45" USD is $1.2345. */
  amount: string;
  currency: string;
  description?: string | null;
  cost_type?: string | null;
  model?: string | null;
  service_tier?: string | null;
  token_type?: string | null;
  workspace_id?: string | null;
}

interface UsageResult {
  uncached_input_tokens?: number;
  cache_read_input_tokens?: number;
  cache_creation?: { ephemeral_5m_input_tokens?: number; ephemeral_1h_input_tokens?: number } | null;
  output_tokens?: number;
  model?: string | null;
  service_tier?: string | null;
  workspace_id?: string | null;
}

export function anthropicApi(baseUrl?: string, env: NodeJS.ProcessEnv = process.env): AdminApi {
  const key = adminKey('anthropic', env);
  return {
    service: 'Anthropic',
    baseUrl: apiOrigin(baseUrl, env[ANTHROPIC_URL_ENV], ANTHROPIC_DEFAULT_URL),
    headers: { 'x-api-key': key, 'anthropic-version': ANTHROPIC_VERSION },
    keyVar: KEYS.anthropic.variable,
    keyKind: KEYS.anthropic.kind,
    baseUrlHint: `--base-url (or ${ANTHROPIC_URL_ENV})`,
  };
}

function bucketDay(startingAt: string): string {
  const ms = Date.parse(startingAt);
  if (Number.isNaN(ms))
    throw new ReconcileError(`Anthropic sent a bucket starting at "${startingAt}", not an RFC 3339 time`);
  return new Date(ms).toISOString().slice(0, 10);
}

export async function anthropicBilling(
  api: AdminApi,
  from: string,
  to: string,
  opts: HttpOptions = {},
): Promise<BilledModelDay[]> {
  const range: [string, string][] = [
    ['starting_at', rfc3339(dayStart(from))],
    ['ending_at', rfc3339(dayStart(to) + DAY_SECONDS)],
    ['bucket_width', '1d'],
    ['limit', '31'],
  ];
  const [costs, usage] = await Promise.all([
    getAllPages<Bucket<CostResult>>(
      api,
      'v1/organizations/cost_report',
      [...range, ['group_by[]', 'workspace_id'], ['group_by[]', 'description']],
      opts,
    ),
    getAllPages<Bucket<UsageResult>>(
      api,
      'v1/organizations/usage_report/messages',
      [...range, ['group_by[]', 'model'], ['group_by[]', 'workspace_id'], ['group_by[]', 'service_tier']],
      opts,
    ),
  ]);
  const first = dayStart(from);
  const last = dayStart(to);
  const inRange = (day: string) => dayStart(day) >= first && dayStart(day) <= last;
  const book = new BilledBook();

  for (const bucket of costs) {
    const day = bucketDay(bucket.starting_at);
    if (!inRange(day)) continue;
    for (const r of bucket.results ?? []) {
      const cents = Number(r.amount);
      if (!Number.isFinite(cents))
        throw new ReconcileError(`Anthropic sent a cost amount that is not a number: ${r.amount}`);
      if ((r.currency ?? 'USD').toUpperCase() !== 'USD') {
        throw new ReconcileError(`Anthropic billed in ${r.currency}; the reconciliation compares USD`);
      }
      const isModel = !!r.model && (r.cost_type ?? 'tokens') === 'tokens';
      const row = isModel
        ? book.entry(day, r.model!)
        : book.entry(day, r.description ?? r.cost_type ?? '(no description)', true);
      row.costUsd += cents / 100;
      if (r.service_tier === 'batch') row.batch = true;
      else if (r.service_tier && r.service_tier !== 'standard') book.tier(row, r.service_tier);
    }
  }
  for (const bucket of usage) {
    const day = bucketDay(bucket.starting_at);
    if (!inRange(day)) continue;
    for (const r of bucket.results ?? []) {
      const row = book.entry(day, r.model ?? '(no model)');
      const write =
        (r.cache_creation?.ephemeral_5m_input_tokens ?? 0) + (r.cache_creation?.ephemeral_1h_input_tokens ?? 0);
      const read = r.cache_read_input_tokens ?? 0;
      row.tokens.input += (r.uncached_input_tokens ?? 0) + read + write;
      row.tokens.cacheRead += read;
      row.tokens.cacheWrite += write;
      row.tokens.output += r.output_tokens ?? 0;
      if (r.service_tier === 'batch') row.batch = true;
      else if (r.service_tier && r.service_tier !== 'standard') {
        book.tier(row, r.service_tier);
        if (r.service_tier === 'priority') book.note(row, PRIORITY_NOTE);
      }
    }
  }
  return book.all();
}
