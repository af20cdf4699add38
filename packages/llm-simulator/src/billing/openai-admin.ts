import { type BilledLine, bearerKey, type OpenAILedgerEntry } from './ledger.ts';
import {
  type AdminContext,
  type AdminRefusals,
  adminEndpoint,
  BadRequest,
  BUCKET_LIMITS,
  type BucketWidth,
  groupByParam,
  groupSum,
  inBucket,
  limitParam,
  listParam,
  pageOfBuckets,
  roundUsd,
  sendJson,
  WIDTH_MS,
  widthParam,
} from './report.ts';

/**
 * OpenAI's Usage and Costs admin endpoints (https://platform.openai.com/docs/api-reference/usage and
 * .../usage/costs), served from the ledger:
 * - `GET /v1/organization/costs`: `start_time` (unix s, inclusive, required), `end_time` (exclusive, default
 *   now), `bucket_width=1d` only, `project_ids[]`, `group_by[]` of project_id / line_item, `limit` 1..180
 *   (default 7), `page`. Results `organization.costs.result`: `amount: { value, currency: 'usd' }`,
 *   `line_item`, `project_id` (null unless grouped).
 * - `GET /v1/organization/usage/completions` (chat completions and Responses calls) and `.../usage/embeddings`:
 *   `bucket_width` 1d / 1h / 1m (limit default 7 / 24 / 60, max 31 / 168 / 1440), filters `project_ids[]`,
 *   `user_ids[]`, `api_key_ids[]`, `models[]` (`batch` for completions), `group_by[]`.
 *
 * Buckets are UTC (days, hours or minutes), listed from `start_time` snapped to its bucket, empty ones
 * included with `results: []`. Auth: an admin key (`sk-admin-...`) as `Authorization: Bearer`; a standard key
 * gets 403 (missing scope api.usage.read), no or an unknown key 401.
 *
 * Line items are named as OpenAI names them, `<model>, input` / `<model>, cached input` / `<model>, output`,
 * prefixed `priority | ` for calls served at the priority tier (`flex | `, `batch | ` likewise; cache writes
 * `<model>, cache write`: these three are this simulator's guess at the naming).
 */

type Entry = OpenAILedgerEntry;

const KIND_LABELS: Record<BilledLine['kind'], string> = {
  input: 'input',
  cached_input: 'cached input',
  cache_write_5m: 'cache write',
  cache_write_1h: 'cache write',
  output: 'output',
};

export function lineItemName(entry: Entry, kind: BilledLine['kind']): string {
  const tier = entry.batch ? 'batch' : entry.serviceTier;
  const prefix = tier === 'priority' || tier === 'flex' || tier === 'batch' ? `${tier} | ` : '';
  return `${prefix}${entry.model}, ${KIND_LABELS[kind]}`;
}

function openaiError(ctx: AdminContext, status: number, message: string, type: string, code: string | null) {
  sendJson(ctx.res, status, { error: { message, type, param: null, code } }, { 'x-request-id': ctx.nextId('req_') });
}

/** Answers (and returns false) when the request may not read the reports. */
function authorized(ctx: AdminContext): boolean {
  const key = bearerKey(ctx.req.headers);
  if (!key) {
    openaiError(
      ctx,
      401,
      "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
      'invalid_request_error',
      null,
    );
    return false;
  }
  if (key.startsWith('sk-admin-')) return true;
  if (key.startsWith('sk-')) {
    openaiError(
      ctx,
      403,
      'You have insufficient permissions for this operation. Missing scopes: api.usage.read. An admin key (sk-admin-...) is required for the organization usage and costs endpoints.',
      'invalid_request_error',
      null,
    );
    return false;
  }
  openaiError(ctx, 401, 'Incorrect API key provided.', 'invalid_request_error', 'invalid_api_key');
  return false;
}

function unixParam(ctx: AdminContext, name: string, required: boolean): number | undefined {
  const raw = ctx.query.get(name);
  if (raw === null) {
    if (required) throw new BadRequest(`Missing required parameter: '${name}'.`);
    return undefined;
  }
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new BadRequest(`Invalid '${name}': expected unix seconds, got '${raw}'.`);
  return value * 1000;
}

/** The page of buckets the query asks for, and the ledger entries in range that pass `filter`. */
function pageFor(ctx: AdminContext, width: BucketWidth, maxLimit: number, defaultLimit: number) {
  const startMs = unixParam(ctx, 'start_time', true)!;
  const endMs = unixParam(ctx, 'end_time', false) ?? Date.now();
  const limit = limitParam(ctx.query, { default: defaultLimit, max: maxLimit });
  return pageOfBuckets(startMs, width, limit, ctx.query.get('page'), (s) => s < endMs);
}

function entriesOf(ctx: AdminContext, apis: Entry['api'][]): Entry[] {
  const projects = listParam(ctx.query, 'project_ids');
  const keys = listParam(ctx.query, 'api_key_ids');
  const models = listParam(ctx.query, 'models');
  const batch = ctx.query.get('batch');
  return (ctx.ledger.reportable('openai') as Entry[]).filter(
    (e) =>
      apis.includes(e.api) &&
      (!projects.length || projects.includes(e.projectId)) &&
      (!keys.length || keys.includes(e.apiKeyId)) &&
      (!models.length || models.includes(e.model)) &&
      (batch === null || String(e.batch) === batch),
  );
}

function page(
  ctx: AdminContext,
  starts: number[],
  nextPage: string | null,
  width: BucketWidth,
  results: (start: number) => unknown[],
) {
  sendJson(ctx.res, 200, {
    object: 'page',
    data: starts.map((start) => ({
      object: 'bucket',
      start_time: start / 1000,
      end_time: (start + WIDTH_MS[width]) / 1000,
      results: results(start),
    })),
    has_more: nextPage !== null,
    next_page: nextPage,
  });
}

function costs(ctx: AdminContext): void {
  const width = widthParam(ctx.query, ['1d']);
  const groups = groupByParam(ctx.query, ['project_id', 'line_item']);
  const { starts, nextPage } = pageFor(ctx, width, 180, 7);
  const entries = entriesOf(ctx, ['chat.completions', 'responses', 'embeddings']);
  page(ctx, starts, nextPage, width, (start) => {
    const lines = inBucket(entries, start, width).flatMap((entry) =>
      ctx.ledger.linesOf(entry).map((line) => ({
        project_id: groups.has('project_id') ? entry.projectId : null,
        line_item: groups.has('line_item') ? lineItemName(entry, line.kind) : null,
        usd: line.usd,
      })),
    );
    return groupSum(
      lines,
      (l) => `${l.project_id}\u0000${l.line_item}`,
      (l) => ({ project_id: l.project_id, line_item: l.line_item, usd: 0 }),
      (row, l) => {
        row.usd += l.usd;
      },
    ).map((row) => ({
      object: 'organization.costs.result',
      amount: { value: roundUsd(row.usd), currency: 'usd' },
      line_item: row.line_item,
      project_id: row.project_id,
    }));
  });
}

function usageGroupKey(entry: Entry, groups: Set<string>) {
  return {
    project_id: groups.has('project_id') ? entry.projectId : null,
    user_id: null,
    api_key_id: groups.has('api_key_id') ? entry.apiKeyId : null,
    model: groups.has('model') ? entry.model : null,
  };
}

function completions(ctx: AdminContext): void {
  const width = widthParam(ctx.query, ['1d', '1h', '1m']);
  const groups = groupByParam(ctx.query, ['project_id', 'user_id', 'api_key_id', 'model', 'batch', 'service_tier']);
  const { starts, nextPage } = pageFor(ctx, width, BUCKET_LIMITS[width].max, BUCKET_LIMITS[width].default);
  const entries = entriesOf(ctx, ['chat.completions', 'responses']);
  page(ctx, starts, nextPage, width, (start) =>
    groupSum(
      inBucket(entries, start, width),
      (e) =>
        JSON.stringify([
          usageGroupKey(e, groups),
          groups.has('batch') && e.batch,
          groups.has('service_tier') && e.serviceTier,
        ]),
      (e) => ({
        object: 'organization.usage.completions.result',
        input_tokens: 0,
        output_tokens: 0,
        input_cached_tokens: 0,
        input_audio_tokens: 0,
        output_audio_tokens: 0,
        num_model_requests: 0,
        ...usageGroupKey(e, groups),
        batch: groups.has('batch') ? e.batch : null,
        service_tier: groups.has('service_tier') ? e.serviceTier : null,
      }),
      (row, e) => {
        // input_tokens / output_tokens count text tokens (cached included); audio has its own fields.
        row.input_tokens += e.usage.inputTokens - e.usage.inputAudioTokens;
        row.output_tokens += e.usage.outputTokens - e.usage.outputAudioTokens;
        row.input_cached_tokens += e.usage.cachedTokens;
        row.input_audio_tokens += e.usage.inputAudioTokens;
        row.output_audio_tokens += e.usage.outputAudioTokens;
        row.num_model_requests += 1;
      },
    ),
  );
}

function embeddings(ctx: AdminContext): void {
  const width = widthParam(ctx.query, ['1d', '1h', '1m']);
  const groups = groupByParam(ctx.query, ['project_id', 'user_id', 'api_key_id', 'model']);
  const { starts, nextPage } = pageFor(ctx, width, BUCKET_LIMITS[width].max, BUCKET_LIMITS[width].default);
  const entries = entriesOf(ctx, ['embeddings']);
  page(ctx, starts, nextPage, width, (start) =>
    groupSum(
      inBucket(entries, start, width),
      (e) => JSON.stringify(usageGroupKey(e, groups)),
      (e) => ({
        object: 'organization.usage.embeddings.result',
        input_tokens: 0,
        num_model_requests: 0,
        ...usageGroupKey(e, groups),
      }),
      (row, e) => {
        row.input_tokens += e.usage.inputTokens;
        row.num_model_requests += 1;
      },
    ),
  );
}

const refusals: AdminRefusals = {
  provider: 'openai',
  authorized,
  rateLimited: (ctx) =>
    openaiError(
      ctx,
      429,
      'Rate limit reached for requests. Please try again later.',
      'requests',
      'rate_limit_exceeded',
    ),
  badRequest: (ctx, message) => openaiError(ctx, 400, message, 'invalid_request_error', null),
};

/** Path suffix -> handler, GET only. */
export const openaiAdminRoutes: Record<string, (ctx: AdminContext) => void> = {
  '/v1/organization/costs': adminEndpoint(refusals, costs),
  '/v1/organization/usage/completions': adminEndpoint(refusals, completions),
  '/v1/organization/usage/embeddings': adminEndpoint(refusals, embeddings),
};
