/** The shapes the reconciliation passes between its parts: what the provider billed, what we saw, the comparison. */

export type Provider = 'openai' | 'anthropic';

export interface Tokens {
  /** All input tokens, cache reads and cache writes included. */
  input: number;
  /** All output tokens, reasoning included. */
  output: number;
  cacheRead: number;
  cacheWrite: number;
}

export function emptyTokens(): Tokens {
  return { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
}

export function addTokens(into: Tokens, t: Tokens): Tokens {
  into.input += t.input;
  into.output += t.output;
  into.cacheRead += t.cacheRead;
  into.cacheWrite += t.cacheWrite;
  return into;
}

/** What the provider billed for one billed model (the served snapshot, e.g. `gpt-4o-2024-08-06`) on one UTC day. */
export interface BilledModelDay {
  day: string;
  model: string;
  costUsd: number;
  tokens: Tokens;
  /** Requests the provider counted; null when its report has no request count (Anthropic). */
  requests: number | null;
  /** Part of it ran as batch. */
  batch: boolean;
  /** Service tiers other than the standard one (`priority`, `flex`, `scale`, ...). */
  tiers: string[];
  /** Not a model: a line item such as `web search tool calls`, `code_execution`; never joined to a model of ours. */
  nonModel?: boolean;
  /** Facts about this row's bill worth printing, e.g. a cost the provider's report leaves out. */
  notes: string[];
}

/** What our telemetry counted for one requested model (`gen_ai_request_model`) on one UTC day. */
export interface OurModelDay {
  day: string;
  model: string;
  costUsd: number;
  tokens: Tokens;
  /** Priced plus unpriced calls. */
  requests: number;
  unpriced: number;
}

export type Cause = 'uninstrumented' | 'unpriced' | 'price_mismatch' | 'tier_or_batch' | 'not_billed';

export const CAUSES: Record<Cause, string> = {
  uninstrumented: 'the provider billed tokens we never saw: calls made outside instrumented processes',
  unpriced: 'we saw the calls but could not price them (llmcost_unpriced_requests_total > 0 for the model)',
  price_mismatch: 'same tokens, different cost: our price for the model differs from the one billed',
  tier_or_batch: 'same tokens, different cost, and the bill shows batch or a non-standard service tier',
  not_billed: 'we counted more than the provider billed',
};

export interface Row {
  day: string;
  /** Our model name; a billed model that matched nothing of ours keeps its billed name. */
  model: string;
  /** The billed (snapshot) models joined to this row. */
  billedModels: string[];
  matched: boolean;
  billedUsd: number;
  oursUsd: number;
  /** ours - billed: negative when we counted less than the bill. */
  diffUsd: number;
  /** diff as % of billed; null when nothing was billed. */
  diffPct: number | null;
  billedTokens: Tokens;
  oursTokens: Tokens;
  billedRequests: number | null;
  oursRequests: number;
  unpriced: number;
  batch: boolean;
  tiers: string[];
  /** The gap is above the tolerance. */
  gap: boolean;
  cause: Cause | null;
  notes: string[];
}

export interface DayTotal {
  day: string;
  billedUsd: number;
  oursUsd: number;
  diffUsd: number;
  diffPct: number | null;
  withinTolerance: boolean;
  /** Billed items that are no model call (tool fees, storage): shown, but kept out of the drift. */
  nonModelBilledUsd: number;
}

export interface Unmatched {
  model: string;
  days: string[];
  billedUsd: number;
  tokens: Tokens;
  nonModel: boolean;
}

export interface Report {
  provider: Provider;
  from: string;
  to: string;
  tolerancePct: number;
  rows: Row[];
  days: DayTotal[];
  totals: {
    billedUsd: number;
    oursUsd: number;
    diffUsd: number;
    diffPct: number | null;
    billedTokens: Tokens;
    oursTokens: Tokens;
    nonModelBilledUsd: number;
  };
  causes: Partial<Record<Cause, number>>;
  unmatched: Unmatched[];
  notes: string[];
  /** Every day's total drift is within the tolerance. */
  ok: boolean;
}

/** The billed rows of a report, keyed by day and billed model, created on first use. */
export class BilledBook {
  private readonly rows = new Map<string, BilledModelDay>();

  entry(day: string, model: string, nonModel = false): BilledModelDay {
    const key = `${day}\u0000${model}`;
    let row = this.rows.get(key);
    if (!row) {
      row = { day, model, costUsd: 0, tokens: emptyTokens(), requests: null, batch: false, tiers: [], notes: [] };
      if (nonModel) row.nonModel = true;
      this.rows.set(key, row);
    }
    return row;
  }

  tier(row: BilledModelDay, tier: string): void {
    if (!row.tiers.includes(tier)) row.tiers.push(tier);
  }

  note(row: BilledModelDay, note: string): void {
    if (!row.notes.includes(note)) row.notes.push(note);
  }

  all(): BilledModelDay[] {
    return [...this.rows.values()].sort((a, b) => a.day.localeCompare(b.day) || a.model.localeCompare(b.model));
  }
}
