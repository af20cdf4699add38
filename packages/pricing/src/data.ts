/**
 * The price data bundled with this package: genai-prices' data document (data/genai-prices.json, the same
 * format as the live document genai-prices publishes), its unit table and which release it is. Written by
 * `npm run data` (scripts/data.mjs) from the newest genai-prices release; never edited by hand.
 */
import { readFileSync } from 'node:fs';
import metaFile from '../data/genai-prices.meta.json' with { type: 'json' };
import unitsFile from '../data/units.json' with { type: 'json' };
import type { PriceDocument } from './document.js';

export interface Unit {
  usageKey: string;
  priceKey: string;
  per: number;
  dimensions: Readonly<Record<string, string>>;
}

/** genai-prices' unit table (usage key -> price key, dimensions, per), from the same release as the data. */
export const UNITS: ReadonlyMap<string, Unit> = new Map(
  Object.entries(
    unitsFile.units as Record<string, { dimensions: Record<string, string>; per: number; price_key?: string }>,
  ).map(([usageKey, u]) => [
    usageKey,
    { usageKey, priceKey: u.price_key ?? usageKey, per: u.per, dimensions: u.dimensions },
  ]),
);

export const UNITS_BY_PRICE_KEY: ReadonlyMap<string, Unit> = new Map([...UNITS.values()].map((u) => [u.priceKey, u]));

/** Which price data prices a call, e.g. `genai-prices@0.2.3`; recorded on every priced span. */
export const PRICE_DATA_VERSION: string = metaFile.version;

/** Provider and model counts of the bundled release: a live document with far fewer is rejected. */
export const BUNDLED_COUNTS = { providers: metaFile.providers, models: metaFile.models } as const;

let bundled: PriceDocument | undefined;

/** The bundled document, parsed on first use (~1 MB of JSON; the package ships it as data/genai-prices.json). */
export function bundledDocument(): PriceDocument {
  bundled ??= JSON.parse(readFileSync(new URL('../data/genai-prices.json', import.meta.url), 'utf8')) as PriceDocument;
  return bundled;
}
