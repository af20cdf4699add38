/** The comparison: join billed models to ours, compare per (day, model), name the cause of each gap, total per day. */
import {
  addTokens,
  type BilledModelDay,
  type Cause,
  type DayTotal,
  emptyTokens,
  type OurModelDay,
  type Provider,
  type Report,
  type Row,
  type Tokens,
  type Unmatched,
} from './types.js';

/** Differences below this are float noise, never a gap. */
export const ROUNDING_USD = 1e-6;

const SNAPSHOT_SUFFIX = /^-(\d{4}-\d{2}-\d{2}|\d{8})$/;

/**
 * The model of ours a billed model belongs to: the same name, or ours plus a snapshot date
 * (`gpt-4o-2024-08-06` is `gpt-4o`, `claude-sonnet-4-5-20250929` is `claude-sonnet-4-5`); null when none.
 */
export function matchModel(billed: string, ours: Iterable<string>): string | null {
  let best: string | null = null;
  for (const o of ours) {
    if (o === billed) return o;
    if (billed.startsWith(o) && SNAPSHOT_SUFFIX.test(billed.slice(o.length)) && (!best || o.length > best.length))
      best = o;
  }
  return best;
}

export function withinTolerance(billedUsd: number, oursUsd: number, tolerancePct: number): boolean {
  return Math.abs(oursUsd - billedUsd) <= (tolerancePct / 100) * Math.abs(billedUsd) + ROUNDING_USD;
}

export function totalTokens(t: Tokens): number {
  return t.input + t.output;
}

/** Same tokens: input + output equal within the tolerance (token counts are exact, so 0 apart is the norm). */
export function sameTokens(billed: Tokens, ours: Tokens, tolerancePct: number): boolean {
  const b = totalTokens(billed);
  return Math.abs(totalTokens(ours) - b) <= (tolerancePct / 100) * b;
}

/**
 * The likely cause of a gap above the tolerance, first rule that holds:
 * we counted less than the bill:
 *   1. `unpriced`: we saw calls of the model we could not price (unpriced requests > 0);
 *   2. `uninstrumented`: the provider billed more tokens than we saw (or we saw nothing of it at all);
 *   3. `tier_or_batch`: otherwise, when the bill shows batch or a non-standard tier;
 *   4. `price_mismatch`: otherwise (same tokens, different cost).
 * we counted more than the bill:
 *   1. `not_billed`: we saw more tokens than the provider billed (or it billed nothing);
 *   2. `tier_or_batch` / 3. `price_mismatch` as above.
 */
export function causeOf(row: Omit<Row, 'cause' | 'gap'>, tolerancePct: number): Cause {
  const tokensSame = sameTokens(row.billedTokens, row.oursTokens, tolerancePct);
  const special = row.batch || row.tiers.length > 0;
  const priceCause: Cause = special ? 'tier_or_batch' : 'price_mismatch';
  if (row.diffUsd < 0) {
    if (row.unpriced > 0) return 'unpriced';
    const sawNothing = row.oursUsd === 0 && row.oursRequests === 0 && totalTokens(row.oursTokens) === 0;
    if (sawNothing || (!tokensSame && totalTokens(row.billedTokens) > totalTokens(row.oursTokens)))
      return 'uninstrumented';
    return priceCause;
  }
  if (row.billedUsd === 0 && totalTokens(row.billedTokens) === 0) return 'not_billed';
  if (!tokensSame && totalTokens(row.oursTokens) > totalTokens(row.billedTokens)) return 'not_billed';
  return priceCause;
}

const pct = (diff: number, billed: number): number | null => (billed === 0 ? null : (100 * diff) / billed);

export interface CompareInput {
  provider: Provider;
  from: string;
  to: string;
  days: string[];
  tolerancePct: number;
  billed: BilledModelDay[];
  ours: OurModelDay[];
  notes?: string[];
}

export function compare(input: CompareInput): Report {
  const { tolerancePct } = input;
  const ourModels = new Set(input.ours.map((o) => o.model));
  const rows = new Map<string, Omit<Row, 'cause' | 'gap' | 'diffUsd' | 'diffPct'>>();
  const entry = (day: string, model: string, matched: boolean) => {
    const key = `${day}\u0000${model}`;
    let r = rows.get(key);
    if (!r) {
      r = {
        day,
        model,
        billedModels: [],
        matched,
        billedUsd: 0,
        oursUsd: 0,
        billedTokens: emptyTokens(),
        oursTokens: emptyTokens(),
        billedRequests: null,
        oursRequests: 0,
        unpriced: 0,
        batch: false,
        tiers: [],
        notes: [],
      };
      rows.set(key, r);
    }
    return r;
  };
  const unmatched = new Map<string, Unmatched>();
  const nonModelByDay = new Map<string, number>();
  for (const b of input.billed) {
    if (b.nonModel) {
      // tool fees, storage, training: our telemetry prices model calls only, so these are listed, never drift
      nonModelByDay.set(b.day, (nonModelByDay.get(b.day) ?? 0) + b.costUsd);
      const u = unmatched.get(b.model) ?? {
        model: b.model,
        days: [],
        billedUsd: 0,
        tokens: emptyTokens(),
        nonModel: true,
      };
      if (!u.days.includes(b.day)) u.days.push(b.day);
      u.billedUsd += b.costUsd;
      unmatched.set(b.model, u);
      continue;
    }
    const target = matchModel(b.model, ourModels);
    const r = entry(b.day, target ?? b.model, target !== null);
    if (!r.billedModels.includes(b.model)) r.billedModels.push(b.model);
    r.billedUsd += b.costUsd;
    addTokens(r.billedTokens, b.tokens);
    if (b.requests !== null) r.billedRequests = (r.billedRequests ?? 0) + b.requests;
    r.batch ||= b.batch;
    for (const t of b.tiers) if (!r.tiers.includes(t)) r.tiers.push(t);
    for (const n of b.notes) if (!r.notes.includes(n)) r.notes.push(n);
    if (target === null) {
      const u = unmatched.get(b.model) ?? {
        model: b.model,
        days: [],
        billedUsd: 0,
        tokens: emptyTokens(),
        nonModel: !!b.nonModel,
      };
      if (!u.days.includes(b.day)) u.days.push(b.day);
      u.billedUsd += b.costUsd;
      addTokens(u.tokens, b.tokens);
      unmatched.set(b.model, u);
    }
  }
  for (const o of input.ours) {
    const r = entry(o.day, o.model, true);
    r.oursUsd += o.costUsd;
    addTokens(r.oursTokens, o.tokens);
    r.oursRequests += o.requests;
    r.unpriced += o.unpriced;
  }

  const done: Row[] = [...rows.values()]
    .map((r) => {
      const diffUsd = r.oursUsd - r.billedUsd;
      const base = { ...r, diffUsd, diffPct: pct(diffUsd, r.billedUsd) };
      const gap = !withinTolerance(r.billedUsd, r.oursUsd, tolerancePct);
      return { ...base, gap, cause: gap ? causeOf(base, tolerancePct) : null };
    })
    .sort((a, b) => a.day.localeCompare(b.day) || a.model.localeCompare(b.model));

  const days: DayTotal[] = input.days.map((day) => {
    const of = done.filter((r) => r.day === day);
    const billedUsd = of.reduce((n, r) => n + r.billedUsd, 0);
    const oursUsd = of.reduce((n, r) => n + r.oursUsd, 0);
    const diffUsd = oursUsd - billedUsd;
    return {
      day,
      billedUsd,
      oursUsd,
      diffUsd,
      diffPct: pct(diffUsd, billedUsd),
      withinTolerance: withinTolerance(billedUsd, oursUsd, tolerancePct),
      nonModelBilledUsd: nonModelByDay.get(day) ?? 0,
    };
  });
  const billedUsd = days.reduce((n, d) => n + d.billedUsd, 0);
  const oursUsd = days.reduce((n, d) => n + d.oursUsd, 0);
  const causes: Partial<Record<Cause, number>> = {};
  for (const r of done) if (r.cause) causes[r.cause] = (causes[r.cause] ?? 0) + 1;
  const notes = [...(input.notes ?? [])];
  for (const r of done) for (const n of r.notes) if (!notes.includes(n)) notes.push(n);

  return {
    provider: input.provider,
    from: input.from,
    to: input.to,
    tolerancePct,
    rows: done,
    days,
    totals: {
      billedUsd,
      oursUsd,
      diffUsd: oursUsd - billedUsd,
      diffPct: pct(oursUsd - billedUsd, billedUsd),
      billedTokens: done.reduce((t, r) => addTokens(t, r.billedTokens), emptyTokens()),
      oursTokens: done.reduce((t, r) => addTokens(t, r.oursTokens), emptyTokens()),
      nonModelBilledUsd: days.reduce((n, d) => n + d.nonModelBilledUsd, 0),
    },
    causes,
    unmatched: [...unmatched.values()].sort((a, b) => b.billedUsd - a.billedUsd || a.model.localeCompare(b.model)),
    notes,
    ok: days.every((d) => d.withinTolerance),
  };
}
