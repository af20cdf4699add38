/**
 * Which provider and model of a price document a call names: genai-prices' lookup (its Python
 * `DataSnapshot.find_provider_model`, `find_provider`, `find_provider_by_id` and `Provider.find_model`), step
 * for step, so that a name resolves here exactly as in the reference implementation.
 */
import type { ModelJson, PriceDocument, ProviderJson } from './document.js';
import { matches } from './match.js';

export interface Found {
  provider: ProviderJson;
  model: ModelJson;
  /** The model is the provider's own, not one of a fallback provider's (whose price variants do not apply). */
  own: boolean;
}

const COMPACT_DATE = /(-)(20\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=-|:|$)/g;

/** `-20251211` -> `-2025-12-11` where it is a real date (LiteLLM and OpenRouter send compact dates). */
export function normalizeCompactDates(ref: string): string {
  return ref.replace(COMPACT_DATE, (all, dash: string, y: string, m: string, d: string) => {
    const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
    return date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d) ? `${dash}${y}-${m}-${d}` : all;
  });
}

export class PriceData {
  private readonly byId = new Map<string, ProviderJson>();

  constructor(
    readonly providers: PriceDocument,
    /** e.g. `genai-prices@0.2.3`, or `live@2026-12-01T16:00:00.000Z`. */
    readonly version: string,
  ) {
    for (const p of providers) if (!this.byId.has(p.id)) this.byId.set(p.id, p);
  }

  /** A provider whose id is the name, else whose provider_match matches it. */
  findProviderById(name: string): ProviderJson | undefined {
    const id = name.trim().toLowerCase();
    const exact = this.byId.get(id);
    if (exact) return exact;
    return this.providers.find((p) => p.provider_match && matches(p.provider_match, id));
  }

  private findProvider(ref: string, providerId: string | undefined): ProviderJson | undefined {
    if (providerId !== undefined) {
      const p = this.findProviderById(providerId);
      if (p || providerId.toLowerCase() !== 'litellm') return p;
    }
    return this.providers.find((p) => p.model_match && matches(p.model_match, ref));
  }

  private matchModel(provider: ProviderJson, ref: string, withFallback: boolean): Found | undefined {
    const own = provider.models.find((m) => matches(m.match, ref));
    if (own) return { provider, model: own, own: true };
    if (!withFallback) return undefined;
    for (const id of provider.fallback_model_providers ?? []) {
      const fallback = this.byId.get(id);
      const found = fallback && this.matchModel(fallback, ref, false);
      if (found) return { provider, model: found.model, own: false };
    }
    return undefined;
  }

  /** The provider and model that genai-prices would price `modelRef` with (providerId: a genai-prices id). */
  find(modelRef: string, providerId: string | undefined): Found | undefined {
    let ref = modelRef.toLowerCase();
    let pid = providerId;
    if (pid && pid.toLowerCase() === 'litellm' && ref.includes('/')) {
      const slash = ref.indexOf('/');
      const prefix = ref.slice(0, slash);
      if (prefix && this.findProviderById(prefix)) {
        pid = prefix;
        ref = ref.slice(slash + 1);
      }
    }
    const provider = this.findProvider(ref, pid);
    if (!provider) return undefined;
    const found = this.matchModel(provider, ref, true);
    if (found) return found;
    const normalized = normalizeCompactDates(ref);
    return normalized !== ref ? this.matchModel(provider, normalized, true) : undefined;
  }
}
