import { findProvider } from '@pydantic/genai-prices';
import aliasFile from '../data/provider-aliases.json' with { type: 'json' };

const ALIASES: Readonly<Record<string, string>> = aliasFile.aliases;

/**
 * The genai-prices provider id for an OpenTelemetry `gen_ai.provider.name` (or an older `gen_ai.system`
 * value, or a genai-prices id itself); undefined when the name is not known.
 */
export function resolveProviderId(name: string | undefined): string | undefined {
  if (!name) return undefined;
  const key = name.trim().toLowerCase();
  const alias = ALIASES[key];
  if (alias) return alias;
  return findProvider({ providerId: key })?.id;
}
