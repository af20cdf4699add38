import aliasFile from '../data/provider-aliases.json' with { type: 'json' };
import { bundledDocument, PRICE_DATA_VERSION } from './data.js';
import { PriceData } from './lookup.js';

const ALIASES: Readonly<Record<string, string>> = aliasFile.aliases;

let bundled: PriceData | undefined;

/** The bundled price data as a lookup (built on first use). */
export function bundledData(): PriceData {
  bundled ??= new PriceData(bundledDocument(), PRICE_DATA_VERSION);
  return bundled;
}

/**
 * The genai-prices provider id for an OpenTelemetry `gen_ai.provider.name` (or an older `gen_ai.system`
 * value, or a genai-prices id itself); undefined when the name is not known.
 */
export function resolveProviderId(name: string | undefined, data: PriceData = bundledData()): string | undefined {
  if (!name) return undefined;
  const key = name.trim().toLowerCase();
  const alias = ALIASES[key];
  if (alias) return alias;
  return data.findProviderById(key)?.id;
}
