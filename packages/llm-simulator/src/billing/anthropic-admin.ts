import { type AnthropicLedgerEntry, anthropicKey, type BilledLine, DEFAULT_WORKSPACE_ID } from './ledger.ts';
import {
  type AdminContext,
  type AdminRefusals,
  adminEndpoint,
  BadRequest,
  BUCKET_LIMITS,
  type BucketWidth,
  decimalString,
  groupByParam,
  groupSum,
  inBucket,
  limitParam,
  listParam,
  pageOfBuckets,
  sendJson,
  WIDTH_MS,
  widthParam,
} from './report.ts';

/**
 * Anthropic's Usage and Cost admin endpoints (https://platform.claude.com/docs/en/api/admin/usage_report and
 * .../cost_report; https://platform.claude.com/docs/en/manage-claude/usage-cost-api), served from the ledger:
 * - `GET /v1/organizations/usage_report/messages`: `starting_at` (RFC 3339, required; snapped to the start of
 *   its UTC bucket), `ending_at` (buckets that end by then; default: through the bucket holding now),
 *   `bucket_width` 1d / 1h / 1m (limit default 7 / 24 / 60, max 31 / 168 / 1440), filters `models[]`,
 *   `api_key_ids[]`, `workspace_ids[]`, `service_tiers[]`, `context_window[]`, `group_by[]` of api_key_id,
 *   workspace_id, model, service_tier, context_window, `page`.
 * - `GET /v1/organizations/cost_report`: `bucket_width=1d` only, limit default 7 max 31, `group_by[]` of
 *   workspace_id / description. `amount` is in cents as a decimal string (`"123.45"` is $1.23), currency
 *   `USD`. As the real endpoint: Priority Tier costs are not in it (they are in the usage report).
 *
 * `workspace_id` is null for the default workspace, as Anthropic reports it. Auth: an admin key
 * (`x-api-key: sk-ant-admin...`) and `anthropic-version`; any other key gets 401 authentication_error.
 */

type Entry = AnthropicLedgerEntry;

const TOKEN_TYPES: Record<BilledLine['kind'], string> = {
  input: 'uncached_input_tokens',
  cached_input: 'cache_read_input_tokens',
  cache_write_5m: 'cache_creation.ephemeral_5m_input_tokens',
  cache_write_1h: 'cache_creation.ephemeral_1h_input_tokens',
  output: 'output_tokens',
};

const TOKEN_LABELS: Record<BilledLine['kind'], string> = {
  input: 'Input Tokens',
  cached_input: 'Cache Read Input Tokens',
  cache_write_5m: 'Cache Write (5m) Input Tokens',
  cache_write_1h: 'Cache Write (1h) Input Tokens',
  output: 'Output Tokens',
};

/** Tiers whose costs the cost report leaves out (Priority Tier is billed under its own commitment). */
const NOT_IN_COST_REPORT = new Set(['priority', 'priority_on_demand']);

function contextWindow(e: Entry): string {
  const u = e.usage;
  const input = u.inputTokens + u.cacheReadInputTokens + u.cacheCreation5mInputTokens + u.cacheCreation1hInputTokens;
  return input > 200_000 ? '200k-1M' : '0-200k';
}

function workspaceOf(e: Entry): string | null {
  return e.workspaceId === DEFAULT_WORKSPACE_ID ? null : e.workspaceId;
}

function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function anthropicError(ctx: AdminContext, status: number, type: string, message: string) {
  const requestId = ctx.nextId('req_');
  sendJson(
    ctx.res,
    status,
    { type: 'error', error: { type, message }, request_id: requestId },
    { 'request-id': requestId },
  );
}

function authorized(ctx: AdminContext): boolean {
  const key = anthropicKey(ctx.req.headers);
  if (!key) {
    anthropicError(ctx, 401, 'authentication_error', 'x-api-key header is required');
    return false;
  }
  if (!key.startsWith('sk-ant-admin')) {
    // A standard key (sk-ant-api03-...) is not accepted by the Admin API.
    anthropicError(ctx, 401, 'authentication_error', 'invalid x-api-key');
    return false;
  }
  if (!ctx.req.headers['anthropic-version']) {
    anthropicError(ctx, 400, 'invalid_request_error', 'anthropic-version: header is required');
    return false;
  }
  return true;
}

function timeParam(ctx: AdminContext, name: string, required: boolean): number | undefined {
  const raw = ctx.query.get(name);
  if (raw === null) {
    if (required) throw new BadRequest(`${name}: Field required`);
    return undefined;
  }
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw new BadRequest(`${name}: Input should be a valid datetime, got '${raw}'`);
  return ms;
}

function pageFor(ctx: AdminContext, width: BucketWidth) {
  const startMs = timeParam(ctx, 'starting_at', true)!;
  const endMs = timeParam(ctx, 'ending_at', false);
  const limit = limitParam(ctx.query, BUCKET_LIMITS[width]);
  const now = Date.now();
  const include = endMs === undefined ? (s: number) => s <= now : (s: number) => s + WIDTH_MS[width] <= endMs;
  return pageOfBuckets(startMs, width, limit, ctx.query.get('page'), include);
}

function entriesOf(ctx: AdminContext): Entry[] {
  const models = listParam(ctx.query, 'models');
  const keys = listParam(ctx.query, 'api_key_ids');
  const workspaces = listParam(ctx.query, 'workspace_ids');
  const tiers = listParam(ctx.query, 'service_tiers');
  const windows = listParam(ctx.query, 'context_window');
  return (ctx.ledger.reportable('anthropic') as Entry[]).filter(
    (e) =>
      (!models.length || models.includes(e.model)) &&
      (!keys.length || keys.includes(e.apiKeyId)) &&
      (!workspaces.length || workspaces.includes(e.workspaceId)) &&
      (!tiers.length || tiers.includes(e.serviceTier)) &&
      (!windows.length || windows.includes(contextWindow(e))),
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
    data: starts.map((start) => ({
      starting_at: rfc3339(start),
      ending_at: rfc3339(start + WIDTH_MS[width]),
      results: results(start),
    })),
    has_more: nextPage !== null,
    next_page: nextPage,
  });
}

function usageReport(ctx: AdminContext): void {
  const width = widthParam(ctx.query, ['1d', '1h', '1m']);
  const groups = groupByParam(ctx.query, ['api_key_id', 'workspace_id', 'model', 'service_tier', 'context_window']);
  const { starts, nextPage } = pageFor(ctx, width);
  const entries = entriesOf(ctx);
  const keyOf = (e: Entry) => ({
    api_key_id: groups.has('api_key_id') ? e.apiKeyId : null,
    workspace_id: groups.has('workspace_id') ? workspaceOf(e) : null,
    model: groups.has('model') ? e.model : null,
    service_tier: groups.has('service_tier') ? e.serviceTier : null,
    context_window: groups.has('context_window') ? contextWindow(e) : null,
  });
  page(ctx, starts, nextPage, width, (start) =>
    groupSum(
      inBucket(entries, start, width),
      (e) => JSON.stringify(keyOf(e)),
      (e) => ({
        uncached_input_tokens: 0,
        cache_creation: { ephemeral_1h_input_tokens: 0, ephemeral_5m_input_tokens: 0 },
        cache_read_input_tokens: 0,
        output_tokens: 0,
        server_tool_use: { web_search_requests: 0 },
        ...keyOf(e),
      }),
      (row, e) => {
        row.uncached_input_tokens += e.usage.inputTokens;
        row.cache_creation.ephemeral_1h_input_tokens += e.usage.cacheCreation1hInputTokens;
        row.cache_creation.ephemeral_5m_input_tokens += e.usage.cacheCreation5mInputTokens;
        row.cache_read_input_tokens += e.usage.cacheReadInputTokens;
        row.output_tokens += e.usage.outputTokens;
        row.server_tool_use.web_search_requests += e.usage.webSearchRequests;
      },
    ),
  );
}

function costReport(ctx: AdminContext): void {
  const width = widthParam(ctx.query, ['1d']);
  const groups = groupByParam(ctx.query, ['workspace_id', 'description']);
  const { starts, nextPage } = pageFor(ctx, width);
  const entries = (ctx.ledger.reportable('anthropic') as Entry[]).filter((e) => !NOT_IN_COST_REPORT.has(e.serviceTier));
  const byDescription = groups.has('description');
  page(ctx, starts, nextPage, width, (start) => {
    const lines = inBucket(entries, start, width).flatMap((e) =>
      ctx.ledger.linesOf(e).map((line) => ({
        key: {
          currency: 'USD',
          cost_type: byDescription ? 'tokens' : null,
          description: byDescription ? `${e.model} Usage - ${TOKEN_LABELS[line.kind]}` : null,
          model: byDescription ? e.model : null,
          service_tier: byDescription ? (e.batch || e.serviceTier === 'batch' ? 'batch' : 'standard') : null,
          token_type: byDescription ? TOKEN_TYPES[line.kind] : null,
          context_window: byDescription ? contextWindow(e) : null,
          workspace_id: groups.has('workspace_id') ? workspaceOf(e) : null,
        },
        cents: line.usd * 100,
      })),
    );
    return groupSum(
      lines,
      (l) => JSON.stringify(l.key),
      (l) => ({ ...l.key, cents: 0 }),
      (row, l) => {
        row.cents += l.cents;
      },
    ).map(({ cents, ...row }) => ({ amount: decimalString(cents), ...row }));
  });
}

const refusals: AdminRefusals = {
  provider: 'anthropic',
  authorized,
  rateLimited: (ctx) =>
    anthropicError(
      ctx,
      429,
      'rate_limit_error',
      'Number of requests has exceeded your rate limit. Please try again later.',
    ),
  badRequest: (ctx, message) => anthropicError(ctx, 400, 'invalid_request_error', message),
};

/** Path suffix -> handler, GET only. */
export const anthropicAdminRoutes: Record<string, (ctx: AdminContext) => void> = {
  '/v1/organizations/usage_report/messages': adminEndpoint(refusals, usageReport),
  '/v1/organizations/cost_report': adminEndpoint(refusals, costReport),
};
