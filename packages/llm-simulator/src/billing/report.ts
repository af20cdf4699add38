import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Ledger } from './ledger.ts';
import type { BillingProvider } from './prices.ts';

/** What an admin endpoint handler gets: the request, its query, the response and the ledger. */
export interface AdminContext {
  req: IncomingMessage;
  res: ServerResponse;
  query: URLSearchParams;
  ledger: Ledger;
  nextId(prefix: string): string;
}

/** A request the report cannot answer: a 400 in the provider's error format. */
export class BadRequest extends Error {}

export type BucketWidth = '1d' | '1h' | '1m';

export const WIDTH_MS: Record<BucketWidth, number> = { '1d': 86_400_000, '1h': 3_600_000, '1m': 60_000 };

/** Buckets per page, by width (both providers document the same defaults and maxima). */
export const BUCKET_LIMITS: Record<BucketWidth, { default: number; max: number }> = {
  '1d': { default: 7, max: 31 },
  '1h': { default: 24, max: 168 },
  '1m': { default: 60, max: 1440 },
};

/** An array parameter, in any of the spellings clients send: `name[]=a&name[]=b`, `name=a&name=b`, `name=a,b`. */
export function listParam(query: URLSearchParams, name: string): string[] {
  return [...query.getAll(`${name}[]`), ...query.getAll(name)]
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter(Boolean);
}

export function groupByParam(query: URLSearchParams, allowed: readonly string[]): Set<string> {
  const groups = listParam(query, 'group_by');
  const bad = groups.find((g) => !allowed.includes(g));
  if (bad) throw new BadRequest(`Invalid group_by value '${bad}'; expected any of: ${allowed.join(', ')}`);
  return new Set(groups);
}

export function widthParam(query: URLSearchParams, allowed: readonly BucketWidth[]): BucketWidth {
  const width = query.get('bucket_width') ?? '1d';
  if (!(allowed as readonly string[]).includes(width)) {
    throw new BadRequest(`Invalid bucket_width '${width}'; expected one of: ${allowed.join(', ')}`);
  }
  return width as BucketWidth;
}

export function limitParam(query: URLSearchParams, limits: { default: number; max: number }): number {
  const raw = query.get('limit');
  if (raw === null) return limits.default;
  const limit = Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > limits.max) {
    throw new BadRequest(`Invalid limit '${raw}'; expected an integer from 1 to ${limits.max}`);
  }
  return limit;
}

/** The UTC bucket that holds `ms`. */
export function bucketStart(ms: number, width: BucketWidth): number {
  return Math.floor(ms / WIDTH_MS[width]) * WIDTH_MS[width];
}

/** The opaque `next_page` cursor: the start of the next page's first bucket. */
export function encodePage(startMs: number): string {
  return `page_${Buffer.from(JSON.stringify({ t: startMs })).toString('base64url')}`;
}

function decodePage(page: string): number {
  try {
    const t = JSON.parse(Buffer.from(page.replace(/^page_/, ''), 'base64url').toString('utf8')).t;
    if (typeof t === 'number') return t;
  } catch {
    // fall through
  }
  throw new BadRequest(`Invalid page '${page}'`);
}

/**
 * The bucket starts of one page: from `firstMs` (snapped to the width, or the `page` cursor), every bucket
 * `include` accepts, at most `limit`; `nextPage` when buckets are left.
 */
export function pageOfBuckets(
  firstMs: number,
  width: BucketWidth,
  limit: number,
  page: string | null,
  include: (startMs: number) => boolean,
): { starts: number[]; nextPage: string | null } {
  const step = WIDTH_MS[width];
  let s = page ? Math.max(decodePage(page), bucketStart(firstMs, width)) : bucketStart(firstMs, width);
  const starts: number[] = [];
  for (; include(s) && starts.length < limit; s += step) starts.push(s);
  return { starts, nextPage: include(s) ? encodePage(s) : null };
}

/** The entries of the bucket that starts at `start`. */
export function inBucket<E extends { timeMs: number }>(entries: E[], start: number, width: BucketWidth): E[] {
  return entries.filter((e) => e.timeMs >= start && e.timeMs < start + WIDTH_MS[width]);
}

/** How one provider's admin API refuses a request, in its own error format. */
export interface AdminRefusals {
  provider: BillingProvider;
  /** Checks the key (and required headers); answers the error itself and returns false when refused. */
  authorized(ctx: AdminContext): boolean;
  /** Answers the 429 (the retry-after header is set already). */
  rateLimited(ctx: AdminContext): void;
  badRequest(ctx: AdminContext, message: string): void;
}

/** An admin endpoint: the key check, an injected rate limit, then the report; a BadRequest is a 400. */
export function adminEndpoint(refusals: AdminRefusals, handle: (ctx: AdminContext) => void) {
  return (ctx: AdminContext): void => {
    if (!refusals.authorized(ctx)) return;
    const retryAfter = ctx.ledger.takeRateLimit(refusals.provider);
    if (retryAfter !== undefined) {
      ctx.res.setHeader('retry-after', String(retryAfter));
      refusals.rateLimited(ctx);
      return;
    }
    try {
      handle(ctx);
    } catch (error) {
      if (!(error instanceof BadRequest)) throw error;
      refusals.badRequest(ctx, error.message);
    }
  };
}

/** Sums rows by key: `key` picks the grouping, `add` folds an item into its row. */
export function groupSum<T, R>(
  items: T[],
  key: (item: T) => string,
  init: (item: T) => R,
  add: (row: R, item: T) => void,
) {
  const rows = new Map<string, R>();
  for (const item of items) {
    const k = key(item);
    let row = rows.get(k);
    if (!row) {
      row = init(item);
      rows.set(k, row);
    }
    add(row, item);
  }
  return [...rows.values()];
}

/** A decimal string without exponent or float noise (at most 10 decimals). */
export function decimalString(value: number): string {
  const fixed = value.toFixed(10).replace(/0+$/, '').replace(/\.$/, '');
  return fixed === '-0' ? '0' : fixed;
}

/** Rounds float noise off a USD sum (12 decimals). */
export function roundUsd(value: number): number {
  return Number(value.toFixed(12));
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
