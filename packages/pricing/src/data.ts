import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import unitsFile from '../data/units.json' with { type: 'json' };

export interface Unit {
  usageKey: string;
  priceKey: string;
  per: number;
  dimensions: Readonly<Record<string, string>>;
}

/** genai-prices' unit table (usage key -> price key, dimensions, per), extracted from the pinned package. */
export const UNITS: ReadonlyMap<string, Unit> = new Map(
  Object.entries(
    unitsFile.units as Record<string, { dimensions: Record<string, string>; per: number; price_key?: string }>,
  ).map(([usageKey, u]) => [
    usageKey,
    { usageKey, priceKey: u.price_key ?? usageKey, per: u.per, dimensions: u.dimensions },
  ]),
);

export const UNITS_BY_PRICE_KEY: ReadonlyMap<string, Unit> = new Map([...UNITS.values()].map((u) => [u.priceKey, u]));

function installedGenaiPricesVersion(): string {
  // The package exports no ./package.json; it sits one folder above its entry point.
  const require = createRequire(import.meta.url);
  const entry = require.resolve('@pydantic/genai-prices');
  return JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')).version;
}

/** Which price data prices a call, e.g. `genai-prices@0.1.8`; recorded on every priced span. */
export const PRICE_DATA_VERSION = `genai-prices@${installedGenaiPricesVersion()}`;

if (unitsFile.source !== `@pydantic/${PRICE_DATA_VERSION}`) {
  throw new Error(
    `@otel-llm-cost/pricing: data/units.json was extracted from ${unitsFile.source} but ${PRICE_DATA_VERSION} is installed; ` +
      'run `npm run data -w @otel-llm-cost/pricing`',
  );
}
