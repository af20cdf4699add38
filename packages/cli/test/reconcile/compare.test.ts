import { describe, expect, it } from 'vitest';
import { causeOf, compare, matchModel, sameTokens, withinTolerance } from '../../src/reconcile/compare.js';
import { formatReport, reportJson } from '../../src/reconcile/report.js';
import type { BilledModelDay, OurModelDay, Tokens } from '../../src/reconcile/types.js';

const D1 = '2026-11-29';
const D2 = '2026-11-30';
const tok = (input: number, output: number, cacheRead = 0, cacheWrite = 0): Tokens => ({
  input,
  output,
  cacheRead,
  cacheWrite,
});
const billed = (
  day: string,
  model: string,
  costUsd: number,
  tokens: Tokens,
  extra: Partial<BilledModelDay> = {},
): BilledModelDay => ({
  day,
  model,
  costUsd,
  tokens,
  requests: 10,
  batch: false,
  tiers: [],
  notes: [],
  ...extra,
});
const ours = (
  day: string,
  model: string,
  costUsd: number,
  tokens: Tokens,
  extra: Partial<OurModelDay> = {},
): OurModelDay => ({
  day,
  model,
  costUsd,
  tokens,
  requests: 10,
  unpriced: 0,
  ...extra,
});

describe('joining billed models to ours', () => {
  it.each([
    ['gpt-4o-2024-08-06', ['gpt-4o'], 'gpt-4o'],
    ['gpt-4o', ['gpt-4o'], 'gpt-4o'],
    ['gpt-4o-mini-2024-07-18', ['gpt-4o', 'gpt-4o-mini'], 'gpt-4o-mini'],
    ['claude-sonnet-4-5-20250929', ['claude-sonnet-4-5'], 'claude-sonnet-4-5'],
    ['claude-3-5-haiku-20241022', ['claude-3-5-haiku-20241022', 'claude-3-5-haiku'], 'claude-3-5-haiku-20241022'],
    ['gpt-4o-audio-preview', ['gpt-4o'], null],
    ['gpt-4o-2024-8-6', ['gpt-4o'], null],
    ['o3-2025-04-16', ['o3-mini'], null],
  ])('%s with ours %j -> %s', (b, o, want) => {
    expect(matchModel(b, o)).toBe(want);
  });
});

describe('tolerance', () => {
  it('is a percentage of the billed amount', () => {
    expect(withinTolerance(100, 101, 1)).toBe(true);
    expect(withinTolerance(100, 98.99, 1)).toBe(false);
    expect(withinTolerance(100, 101.01, 1)).toBe(false);
    expect(withinTolerance(0, 0, 1)).toBe(true);
    expect(withinTolerance(0, 0.01, 1)).toBe(false);
    expect(withinTolerance(0.3, 0.1 + 0.2, 0)).toBe(true); // float noise is no gap
  });

  it('compares input + output tokens', () => {
    expect(sameTokens(tok(1000, 100), tok(1000, 100), 0)).toBe(true);
    expect(sameTokens(tok(1000, 100), tok(1005, 100), 1)).toBe(true);
    expect(sameTokens(tok(1000, 100), tok(990, 99), 0)).toBe(false);
  });
});

describe('causes', () => {
  const row = (o: Partial<Parameters<typeof causeOf>[0]>) => ({
    day: D1,
    model: 'm',
    billedModels: ['m'],
    matched: true,
    billedUsd: 1,
    oursUsd: 0.5,
    diffUsd: -0.5,
    diffPct: -50,
    billedTokens: tok(1000, 100),
    oursTokens: tok(1000, 100),
    billedRequests: 10,
    oursRequests: 10,
    unpriced: 0,
    batch: false,
    tiers: [],
    notes: [],
    ...o,
  });
  it('under-count: unpriced first, then tokens we never saw, then tier/batch, then price', () => {
    expect(causeOf(row({ unpriced: 2, oursTokens: tok(500, 50) }), 1)).toBe('unpriced');
    expect(causeOf(row({ oursTokens: tok(500, 50) }), 1)).toBe('uninstrumented');
    expect(causeOf(row({ oursUsd: 0, oursRequests: 0, oursTokens: tok(0, 0), billedTokens: tok(0, 0) }), 1)).toBe(
      'uninstrumented',
    );
    expect(causeOf(row({ batch: true }), 1)).toBe('tier_or_batch');
    expect(causeOf(row({ tiers: ['priority'] }), 1)).toBe('tier_or_batch');
    expect(causeOf(row({}), 1)).toBe('price_mismatch');
    expect(causeOf(row({ oursTokens: tok(2000, 200) }), 1)).toBe('price_mismatch'); // more tokens, less cost
  });
  it('over-count: tokens the provider did not bill, then tier/batch, then price', () => {
    const over = { oursUsd: 2, diffUsd: 1, diffPct: 100 };
    expect(causeOf(row({ ...over, oursTokens: tok(2000, 200) }), 1)).toBe('not_billed');
    expect(causeOf(row({ ...over, billedUsd: 0, billedTokens: tok(0, 0), billedRequests: null }), 1)).toBe(
      'not_billed',
    );
    expect(causeOf(row({ ...over, tiers: ['priority'] }), 1)).toBe('tier_or_batch');
    expect(causeOf(row({ ...over }), 1)).toBe('price_mismatch');
  });
});

describe('compare', () => {
  // Day 1, hand-computed (list prices per 1M tokens: gpt-4o 2.50/10, gpt-4o-mini 0.15/0.60, o3 2/8):
  //   gpt-4o       billed 200k in + 50k out = 0.50 + 0.50 = $1.00; ours the same            -> no gap
  //   gpt-4o-mini  billed 1M in + 250k out = 0.15 + 0.15 = $0.30; ours saw half: $0.15     -> uninstrumented, -50%
  //   o3           billed $2.00 for 100k in + 100k out; ours priced the same tokens $1.00  -> price_mismatch, -50%
  //   gpt-4.1      billed $0.50 as batch; ours $1.00 for the same tokens                  -> tier_or_batch, +100%
  //   ft:gpt-4o:acme billed $0.40; ours 3 unpriced calls, $0                              -> unpriced, -100%
  //   gpt-3.5-turbo ours $0.05, billed nothing                                            -> not_billed
  //   web search tool calls billed $0.10, no model call                                 -> listed, kept out of the drift
  //   day: billed 4.20 (+0.10 not model calls), ours 3.20, diff -1.00 = -23.8095%
  // Day 2: gpt-4o billed $1.00, ours $1.005 (+0.5%): within 1%.
  const report = compare({
    provider: 'openai',
    from: D1,
    to: D2,
    days: [D1, D2],
    tolerancePct: 1,
    billed: [
      billed(D1, 'gpt-4o-2024-08-06', 1.0, tok(200_000, 50_000)),
      billed(D1, 'gpt-4o-mini-2024-07-18', 0.3, tok(1_000_000, 250_000)),
      billed(D1, 'o3-2025-04-16', 2.0, tok(100_000, 100_000)),
      billed(D1, 'gpt-4.1-2025-04-14', 0.5, tok(100_000, 25_000), { batch: true }),
      billed(D1, 'ft:gpt-4o:acme', 0.4, tok(40_000, 10_000)),
      billed(D1, 'web search tool calls', 0.1, tok(0, 0), { nonModel: true, requests: null }),
      billed(D2, 'gpt-4o-2024-08-06', 1.0, tok(200_000, 50_000)),
    ],
    ours: [
      ours(D1, 'gpt-4o', 1.0, tok(200_000, 50_000)),
      ours(D1, 'gpt-4o-mini', 0.15, tok(500_000, 125_000), { requests: 5 }),
      ours(D1, 'o3', 1.0, tok(100_000, 100_000)),
      ours(D1, 'gpt-4.1', 1.0, tok(100_000, 25_000)),
      ours(D1, 'ft:gpt-4o:acme', 0, tok(40_000, 10_000), { unpriced: 3, requests: 3 }),
      ours(D1, 'gpt-3.5-turbo', 0.05, tok(10_000, 1_000)),
      ours(D2, 'gpt-4o', 1.005, tok(200_000, 50_000)),
    ],
  });
  const byModel = Object.fromEntries(report.rows.filter((r) => r.day === D1).map((r) => [r.model, r]));

  it('joins snapshots to requested models and compares each (day, model)', () => {
    expect(byModel['gpt-4o']).toMatchObject({
      billedModels: ['gpt-4o-2024-08-06'],
      billedUsd: 1,
      oursUsd: 1,
      gap: false,
      cause: null,
    });
    expect(byModel['gpt-4o-mini']).toMatchObject({ diffUsd: -0.15, gap: true, cause: 'uninstrumented' });
    expect(byModel['gpt-4o-mini']!.diffPct).toBeCloseTo(-50, 10);
    expect(byModel.o3).toMatchObject({ diffUsd: -1, diffPct: -50, cause: 'price_mismatch' });
    expect(byModel['gpt-4.1']).toMatchObject({ diffUsd: 0.5, diffPct: 100, batch: true, cause: 'tier_or_batch' });
    expect(byModel['ft:gpt-4o:acme']).toMatchObject({ diffUsd: -0.4, diffPct: -100, unpriced: 3, cause: 'unpriced' });
    expect(byModel['gpt-3.5-turbo']).toMatchObject({ billedUsd: 0, diffPct: null, cause: 'not_billed' });
    expect(byModel['web search tool calls']).toBeUndefined();
  });

  it('totals each day and decides the exit code on the day totals', () => {
    const [d1, d2] = report.days;
    expect(d1!.billedUsd).toBeCloseTo(4.2, 10);
    expect(d1!.nonModelBilledUsd).toBeCloseTo(0.1, 10);
    expect(d1!.oursUsd).toBeCloseTo(3.2, 10);
    expect(d1!.diffUsd).toBeCloseTo(-1.0, 10);
    expect(d1!.diffPct).toBeCloseTo(-23.8095238, 6);
    expect(d1!.withinTolerance).toBe(false);
    expect(d2).toMatchObject({ billedUsd: 1, withinTolerance: true });
    expect(d2!.diffPct).toBeCloseTo(0.5, 10);
    expect(report.ok).toBe(false);
    expect(report.totals.billedUsd).toBeCloseTo(5.2, 10);
    expect(report.totals.nonModelBilledUsd).toBeCloseTo(0.1, 10);
    expect(report.totals.oursUsd).toBeCloseTo(4.205, 10);
    expect(report.causes).toEqual({
      uninstrumented: 1,
      price_mismatch: 1,
      tier_or_batch: 1,
      unpriced: 1,
      not_billed: 1,
    });
    expect(report.unmatched).toEqual([
      { model: 'web search tool calls', days: [D1], billedUsd: 0.1, tokens: tok(0, 0), nonModel: true },
    ]);
  });

  it('passes when every day is within the tolerance, even if one model drifts', () => {
    const r = compare({
      provider: 'anthropic',
      from: D1,
      to: D1,
      days: [D1],
      tolerancePct: 1,
      billed: [
        billed(D1, 'claude-sonnet-4-5-20250929', 99, tok(1, 1)),
        billed(D1, 'claude-haiku-4-5-20251001', 1, tok(1, 1)),
      ],
      ours: [ours(D1, 'claude-sonnet-4-5', 99, tok(1, 1)), ours(D1, 'claude-haiku-4-5', 1.5, tok(1, 1))],
    });
    expect(r.days[0]!.diffPct).toBeCloseTo(0.5, 10);
    expect(r.ok).toBe(true);
    expect(r.rows.find((x) => x.model === 'claude-haiku-4-5')).toMatchObject({ gap: true, cause: 'price_mismatch' });
  });

  it('prints a table with a day total, the unmatched models, the causes and the verdict', () => {
    const text = formatReport(report);
    expect(text).toContain('llm-cost reconcile: openai, 2026-11-29 to 2026-11-30 (UTC days), tolerance 1%');
    expect(text).toMatch(
      /2026-11-29 {2}gpt-4o-mini +0\.300000 +0\.150000 +-0\.150000 +-50\.00% +1000000\/250000 +500000\/125000 +0 {2}uninstrumented/,
    );
    expect(text).toMatch(/2026-11-29 {2}gpt-4\.1 \[batch\] .* \+100\.00% .* tier_or_batch/);
    expect(text).toMatch(/2026-11-29 {2}day total +4\.200000 +3\.200000 +-1\.000000 +-23\.81% .*DRIFT > 1%/);
    expect(text).toMatch(/2026-11-30 {2}day total +1\.000000 +1\.005000 +\+0\.005000 +\+0\.50% .*ok/);
    expect(text).toContain(
      'web search tool calls (not a model call: kept out of the drift): 0.100000 USD on 2026-11-29',
    );
    expect(text).toContain('drift above 1% on 2026-11-29 (exit 1)');
    const json = JSON.parse(reportJson(report));
    expect(json.ok).toBe(false);
    expect(json.causes.unpriced).toEqual({ rows: 1, meaning: expect.stringContaining('could not price') });
    expect(json.rows).toHaveLength(7);
  });
});
