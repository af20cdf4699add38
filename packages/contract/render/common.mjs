// What every renderer shares: where the contract is, how to name a constant, how to quote and format a value.

export const SOURCE = 'packages/contract/telemetry.yaml';
export const COMMAND = 'node packages/contract/generate.mjs';

/** Lookups by id into the contract's attributes and labels. */
export function indexes(contract) {
  return {
    attrById: new Map(contract.attributes.map((a) => [a.id, a])),
    labelById: new Map(contract.labels.map((l) => [l.id, l])),
  };
}

/** CACHE_READ_TOKENS -> CacheReadTokens (Go identifiers). */
export const pascal = (id) =>
  id
    .toLowerCase()
    .split('_')
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
/** REQUEST_COST -> requestCost (the dashboards' keys). */
export const camel = (id) => pascal(id).replace(/^./, (c) => c.toLowerCase());
/** A double-quoted string (Go, JSON, YAML). */
export const q = (s) => JSON.stringify(s);
/** A single-quoted TypeScript string (the repository's biome style) for names without quotes or backslashes. */
export const sq = (s) => `'${s}'`;
/** A bucket bound as the docs and YAML write it: 1e-6 rather than 0.000001. */
export const bound = (n) => (n > 0 && n < 0.001 ? n.toExponential() : String(n));
