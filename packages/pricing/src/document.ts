/**
 * The genai-prices data document: a list of providers with their models and prices, in the schema that
 * genai-prices publishes for its auto-updater (and that data/genai-prices.json is written in). validateDocument
 * checks a document fetched at run time before it may replace the data in use.
 */
import type { MatchLogic } from './match.js';

export type PriceValue = number | { base: number; tiers: { start: number; price: number }[] };
export type ModelPriceJson = Record<string, PriceValue>;
export type Constraint = { start_date: string } | { start_time: string; end_time: string };
export type PricesJson = ModelPriceJson | { constraint?: Constraint; prices: ModelPriceJson }[];

export interface PriceVariantJson {
  when: Record<string, string>;
  prices: ModelPriceJson;
  constraint?: Constraint;
}

export interface ModelJson {
  id: string;
  match: MatchLogic;
  name?: string;
  prices: PricesJson;
  price_variants?: PriceVariantJson[];
}

export interface ProviderJson {
  id: string;
  name?: string;
  model_match?: MatchLogic;
  provider_match?: MatchLogic;
  fallback_model_providers?: string[];
  models: ModelJson[];
}

export type PriceDocument = ProviderJson[];

const CLAUSES = new Set(['equals', 'starts_with', 'ends_with', 'contains', 'regex', 'and', 'or']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function matchProblem(m: unknown): string | undefined {
  if (!isObject(m)) return 'is not an object';
  const keys = Object.keys(m);
  if (keys.length !== 1 || !CLAUSES.has(keys[0]!)) return `has keys ${JSON.stringify(keys)}, not one clause`;
  const key = keys[0]!;
  const v = m[key];
  if (key === 'and' || key === 'or') {
    if (!Array.isArray(v)) return `${key} is not a list`;
    for (const c of v) {
      const p = matchProblem(c);
      if (p) return p;
    }
    return undefined;
  }
  if (typeof v !== 'string') return `${key} is not a string`;
  if (key === 'regex') {
    try {
      new RegExp(v);
    } catch {
      return `regex ${JSON.stringify(v)} does not compile`;
    }
  }
  return undefined;
}

const price = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0;

function pricesProblem(p: unknown): string | undefined {
  if (!isObject(p)) return 'prices is not an object';
  for (const [key, v] of Object.entries(p)) {
    if (v === null || price(v)) continue;
    if (
      isObject(v) &&
      price(v.base) &&
      Array.isArray(v.tiers) &&
      v.tiers.every((t) => isObject(t) && Number.isInteger(t.start) && (t.start as number) >= 0 && price(t.price))
    ) {
      continue;
    }
    return `price ${key} is not a non-negative number or {base, tiers}`;
  }
  return undefined;
}

function constraintProblem(c: unknown): string | undefined {
  if (c === undefined || c === null) return undefined;
  if (!isObject(c)) return 'constraint is not an object';
  if (typeof c.start_date === 'string' && !Number.isNaN(Date.parse(c.start_date))) return undefined;
  if (typeof c.start_time === 'string' && typeof c.end_time === 'string') return undefined;
  return `constraint ${JSON.stringify(c)} has neither a start_date nor start_time/end_time`;
}

function modelProblem(m: unknown): string | undefined {
  if (!isObject(m) || typeof m.id !== 'string') return 'a model has no string id';
  const where = `model ${m.id}`;
  const mp = matchProblem(m.match);
  if (mp) return `${where}: match ${mp}`;
  if (Array.isArray(m.prices)) {
    if (m.prices.length === 0) return `${where}: prices is an empty list`;
    for (const c of m.prices) {
      if (!isObject(c)) return `${where}: a conditional price is not an object`;
      const p = pricesProblem(c.prices) ?? constraintProblem(c.constraint);
      if (p) return `${where}: ${p}`;
    }
  } else {
    const p = pricesProblem(m.prices);
    if (p) return `${where}: ${p}`;
  }
  if (m.price_variants !== undefined && m.price_variants !== null) {
    if (!Array.isArray(m.price_variants)) return `${where}: price_variants is not a list`;
    for (const v of m.price_variants) {
      if (!isObject(v) || !isObject(v.when) || Object.keys(v.when).length === 0) {
        return `${where}: a price variant has no "when"`;
      }
      if (!Object.values(v.when).every((x) => typeof x === 'string'))
        return `${where}: a variant's "when" is not strings`;
      const p = pricesProblem(v.prices) ?? constraintProblem(v.constraint);
      if (p) return `${where}: variant ${JSON.stringify(v.when)}: ${p}`;
    }
  }
  return undefined;
}

/**
 * Why a document may not be used, or undefined when it may. It must be a list of providers, each with an id
 * and valid models, and must not have lost most of what the bundled data has (at least half of its providers
 * and of its models): a truncated or emptied document would otherwise silently unprice most calls.
 */
export function validateDocument(doc: unknown, baseline: { providers: number; models: number }): string | undefined {
  if (!Array.isArray(doc)) return 'the document is not a list of providers';
  let models = 0;
  for (const p of doc) {
    if (!isObject(p) || typeof p.id !== 'string') return 'a provider has no string id';
    if (!Array.isArray(p.models)) return `provider ${p.id} has no models list`;
    for (const key of ['model_match', 'provider_match'] as const) {
      if (p[key] !== undefined && p[key] !== null) {
        const mp = matchProblem(p[key]);
        if (mp) return `provider ${p.id}: ${key} ${mp}`;
      }
    }
    for (const m of p.models) {
      const problem = modelProblem(m);
      if (problem) return `provider ${p.id}: ${problem}`;
    }
    models += p.models.length;
  }
  if (doc.length < baseline.providers / 2 || models < baseline.models / 2) {
    return `it has ${doc.length} providers and ${models} models, less than half of the bundled ${baseline.providers} and ${baseline.models}`;
  }
  return undefined;
}
