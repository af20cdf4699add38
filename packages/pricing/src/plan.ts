/**
 * The price computation of genai-prices (`calcPrice`), compiled once per price entry so that pricing a call
 * is a handful of multiplications instead of a walk over the unit lattice (~13 µs per call in the package).
 *
 * It follows the package's algorithm step for step, in the same arithmetic order, so results are identical
 * to the bit: usage is split into leaf counts (a unit's count minus the counts of its more specific units
 * that have their own price), each leaf is multiplied by its price, tiered prices use the tier selected by
 * the request's total input tokens. test/vectors.test.ts checks it against genai-prices' reference implementation.
 */
import tokenUsageKeys from '../data/token-usage-keys.json' with { type: 'json' };
import { UNITS, UNITS_BY_PRICE_KEY, type Unit } from './data.js';

export type GenaiUsage = Record<string, number | undefined>;

interface Tiered {
  base: number;
  tiers: { start: number; price: number }[];
}
type Price = number | Tiered;

interface Entry {
  unit: Unit;
  price: Price;
}

export interface PricePlan {
  /** Units to split usage into, most specific first; `within[i]` lists the indexes of the more specific ones. */
  leaves: Unit[];
  within: number[][];
  /** Each priced entry, with the index of its leaf (-1: `requests`, counted as 1). */
  entries: (Entry & { leaf: number; direction: number })[];
  hasTier: boolean;
  /**
   * False when the model has prices but none for the units a token usage feeds (e.g. whisper-1, priced per
   * audio hour): pricing such a call from tokens would give a silent 0. A model with no prices at all is free.
   */
  pricesTokens: boolean;
}

/** The genai-prices usage keys that a provider-neutral token usage feeds (see toGenaiUsage), and `requests`. */
export const TOKEN_USAGE_KEYS: ReadonlySet<string> = new Set([...tokenUsageKeys.keys, 'requests']);

export interface PlanCost {
  input: number;
  output: number;
  total: number;
}

export class InvalidUsageError extends Error {}

/** Unit a's dimensions all hold in unit b: b is a or more specific than a. */
function contains(a: Unit, b: Unit): boolean {
  for (const [k, v] of Object.entries(a.dimensions)) if (b.dimensions[k] !== v) return false;
  return true;
}

function normalizePrice(value: unknown): Price {
  if (typeof value === 'number') return value;
  const t = value as Tiered;
  return { base: t.base, tiers: [...t.tiers].sort((x, y) => x.start - y.start) };
}

const INPUT = 0;
const OUTPUT = 1;
const OTHER = 2;

export function compilePlan(modelPrice: Record<string, unknown>): PricePlan {
  const priced: Entry[] = [];
  for (const [priceKey, value] of Object.entries(modelPrice)) {
    if (value === undefined) continue;
    const unit = UNITS_BY_PRICE_KEY.get(priceKey);
    if (!unit) continue; // genai-prices skips (and warns about) price keys it has no unit for
    priced.push({ unit, price: normalizePrice(value) });
  }
  const leaves = [...new Set(priced.filter((e) => e.unit.usageKey !== 'requests').map((e) => e.unit))].sort(
    (a, b) =>
      Object.keys(b.dimensions).length - Object.keys(a.dimensions).length || a.usageKey.localeCompare(b.usageKey),
  );
  return {
    leaves,
    within: leaves.map((unit) => leaves.flatMap((u, j) => (u !== unit && contains(unit, u) ? [j] : []))),
    entries: priced.map((e) => ({
      ...e,
      leaf: leaves.indexOf(e.unit),
      direction:
        e.unit.dimensions.direction === 'input' ? INPUT : e.unit.dimensions.direction === 'output' ? OUTPUT : OTHER,
    })),
    hasTier: priced.some((e) => typeof e.price === 'object'),
    pricesTokens: priced.length === 0 || priced.some((e) => TOKEN_USAGE_KEYS.has(e.unit.usageKey)),
  };
}

/**
 * What of a call's usage the plan cannot price, or undefined when it prices some of it: the call reports
 * counts > 0 in units none of the model's prices cover (a unit covers its more specific units: `audio_hours`
 * prices `input_audio_seconds`). A model with no prices (free) or a per-request price covers every call.
 */
export function uncoveredUsage(plan: PricePlan, usage: GenaiUsage): string | undefined {
  if (plan.entries.length === 0 || plan.entries.some((e) => e.leaf < 0)) return undefined;
  const reported: string[] = [];
  for (const [key, count] of Object.entries(usage)) {
    if (!count) continue;
    const unit = UNITS.get(key);
    if (unit && plan.entries.some((e) => contains(e.unit, unit))) return undefined;
    reported.push(key);
  }
  return reported.length > 0 ? reported.join(', ') : undefined;
}

function tieredCost(price: Tiered, count: number, inputTotal: number): number {
  if (count <= 0) return 0;
  let p = price.base;
  for (const tier of price.tiers) if (inputTotal > tier.start) p = tier.price;
  return (p * count) / 1e6;
}

const scratch = new Float64Array(64);

/** Cost of one call; throws InvalidUsageError when a part exceeds its total (e.g. cache reads > input). */
export function runPlan(plan: PricePlan, usage: GenaiUsage): PlanCost {
  const { leaves, within } = plan;
  const n = leaves.length;
  const leaf = n <= scratch.length ? scratch : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const value = usage[leaves[i]!.usageKey] ?? 0;
    let more = 0;
    for (const j of within[i]!) more += leaf[j]!;
    let rest = value - more;
    if (rest < 0) {
      const tolerance = Number.EPSILON * Math.max(1, Math.abs(value), Math.abs(more)) * (n + 1);
      if (Math.abs(rest) <= tolerance) rest = 0;
      else {
        const parts = within[i]!.map((j) => leaves[j]!.usageKey).join(' + ');
        throw new InvalidUsageError(
          `${parts} (${more}) exceeds ${leaves[i]!.usageKey} (${value}): a part cannot exceed its total (totals include their parts, e.g. input includes cached tokens)`,
        );
      }
    }
    leaf[i] = rest;
  }
  const inputTotal = plan.hasTier ? (usage.input_tokens ?? 0) : 0;
  let input = 0;
  let output = 0;
  let other = 0;
  for (const { unit, price, leaf: index, direction } of plan.entries) {
    const count = index < 0 ? 1 : leaf[index]!;
    const cost =
      typeof price === 'number' ? (price * count) / unit.per : (tieredCost(price, count, inputTotal) * 1e6) / unit.per;
    if (direction === INPUT) input += cost;
    else if (direction === OUTPUT) output += cost;
    else other += cost;
  }
  return { input, output, total: input + output + other };
}
