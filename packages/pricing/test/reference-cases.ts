/**
 * Reads vectors computed by genai-prices' reference implementation (scripts/reference/build_vectors.py) and
 * prices each case with our pricer: the committed vectors (test/vectors.test.ts) and the full differential
 * (scripts/differential.mjs) share it.
 */
import { readFileSync } from 'node:fs';
import { createPricer, type PriceResult, type TokenUsage } from '../src/index.js';
import { GENAI_USAGE_KEYS, UNIT_USAGE_KEYS } from '../src/pricer.js';

export interface ReferenceCase {
  name: string;
  input: {
    provider?: string;
    model: string;
    usage: Record<string, number>;
    time: string;
    context?: Record<string, string>;
  };
  expected:
    | {
        priced: true;
        cost: number;
        input_cost: number;
        output_cost: number;
        cache_savings: number;
        pricing_provider: string;
        pricing_model: string;
        variant?: string;
      }
    | { priced: false; reason: string };
}

export interface ReferenceFile {
  source: string;
  version: string;
  count: number;
  cases: ReferenceCase[];
}

/** genai-prices usage key -> TokenUsage field. */
const FIELDS: Record<string, keyof TokenUsage> = Object.fromEntries(
  Object.entries({ ...GENAI_USAGE_KEYS, ...UNIT_USAGE_KEYS }).map(([field, key]) => [key, field as keyof TokenUsage]),
);

export function readReference(path: string): ReferenceFile {
  return JSON.parse(readFileSync(path, 'utf8'));
}

export function toTokenUsage(usage: Record<string, number>): TokenUsage {
  const u: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  for (const [key, value] of Object.entries(usage)) {
    // toGenaiUsage derives audio_seconds as the total of the input and output seconds.
    if (key === 'audio_seconds') continue;
    const field = FIELDS[key];
    if (!field) throw new Error(`vector usage key ${key} has no TokenUsage field`);
    u[field] = value;
  }
  return u;
}

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-10 + 1e-12 * Math.abs(b);

/** What differs between our answer and the reference's (empty: they agree to 1e-10 USD). */
export function difference(c: ReferenceCase, r: PriceResult): string | undefined {
  const e = c.expected;
  if (!e.priced) {
    if (r.priced)
      return `reference: unpriced (${e.reason}); ours: ${r.cost} from ${r.pricingProvider}/${r.pricingModel}`;
    return r.reason === e.reason ? undefined : `reference: ${e.reason}; ours: ${r.reason} (${r.message})`;
  }
  if (!r.priced) return `reference: ${e.cost}; ours: unpriced ${r.reason} (${r.message})`;
  const problems: string[] = [];
  if (!close(r.cost, e.cost)) problems.push(`cost ${r.cost} != ${e.cost}`);
  if (!close(r.inputCost, e.input_cost)) problems.push(`input ${r.inputCost} != ${e.input_cost}`);
  if (!close(r.outputCost, e.output_cost)) problems.push(`output ${r.outputCost} != ${e.output_cost}`);
  if (!close(r.cacheSavings, e.cache_savings)) problems.push(`savings ${r.cacheSavings} != ${e.cache_savings}`);
  if (r.pricingProvider !== e.pricing_provider) problems.push(`provider ${r.pricingProvider} != ${e.pricing_provider}`);
  if (r.pricingModel !== e.pricing_model) problems.push(`model ${r.pricingModel} != ${e.pricing_model}`);
  if ((r.variant ?? '') !== (e.variant ?? '')) problems.push(`variant ${r.variant} != ${e.variant}`);
  return problems.length ? problems.join('; ') : undefined;
}

/** Prices every case; returns the disagreements (name: what differs). */
export function compare(file: ReferenceFile): string[] {
  const pricer = createPricer();
  const out: string[] = [];
  for (const c of file.cases) {
    const r = pricer.price({
      provider: c.input.provider,
      model: c.input.model,
      usage: toTokenUsage(c.input.usage),
      time: new Date(c.input.time),
      context: c.input.context,
    });
    const d = difference(c, r);
    if (d) out.push(`${c.name}: ${d}`);
  }
  return out;
}
