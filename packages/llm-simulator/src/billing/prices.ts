/**
 * The simulated providers' own price list: what the simulator BILLS for the calls it served. Hand-entered,
 * deliberately independent of @otel-llm-cost/pricing (never import it here: the bill must not be computed by
 * the pricer it is checked against).
 *
 * USD per 1M tokens. Values as genai-prices 0.2.3 holds them (packages/pricing/data/genai-prices.json), which
 * took them from the providers' pages:
 * - OpenAI: https://developers.openai.com/api/docs/pricing (standard, priority, flex and batch tables; the
 *   priority/flex/batch rates were verified there on 2026-10-12 / 2026-10-14). The Batch table publishes no
 *   cached-input rate, so batch cached input keeps the standard rate.
 *   Fine-tuned gpt-4o-mini inference: $0.30 input, $0.15 cached input, $1.20 output (the fine-tuning table of
 *   the same page).
 * - Anthropic: https://platform.claude.com/docs/en/about-claude/pricing#model-pricing and #prompt-caching
 *   (cache write 5m = 1.25x input, 1h = 2x input; Sonnet 5.5 cache hits 0.05x input; batch = 50%).
 *
 * Not modeled: long-context rates (gpt-6.1-sol prompts over 272K input tokens cost 2x input / 1.5x output),
 * audio and image token rates (audio tokens are billed at the text rates here), tool and storage fees.
 */

export interface ModelPrice {
  /** Uncached input tokens. */
  input: number;
  /** Input tokens read from the prompt cache. */
  cachedInput: number;
  /** Anthropic cache writes with the 5 minute TTL (OpenAI: cache writes, where a model bills them). */
  cacheWrite5m?: number;
  /** Anthropic cache writes with the 1 hour TTL. */
  cacheWrite1h?: number;
  output: number;
}

export type BillingProvider = 'openai' | 'anthropic';

/** One model's prices: the default (standard) tier, and the served tiers whose price differs. */
export interface ModelPrices {
  default: ModelPrice;
  /** By served tier in the provider's words (OpenAI `priority`, `flex`; both: `batch` for Batch API jobs). */
  tiers?: Record<string, ModelPrice>;
}

const gpt4o: ModelPrices = {
  default: { input: 2.5, cachedInput: 1.25, output: 10 },
  tiers: {
    priority: { input: 4.25, cachedInput: 2.125, output: 17 },
    batch: { input: 1.25, cachedInput: 1.25, output: 5 },
  },
};

const gpt4oMini: ModelPrices = {
  default: { input: 0.15, cachedInput: 0.075, output: 0.6 },
  tiers: {
    priority: { input: 0.25, cachedInput: 0.125, output: 1 },
    batch: { input: 0.075, cachedInput: 0.075, output: 0.3 },
  },
};

/** Keyed by the model as the response names it (a dated snapshot falls back to its undated name). */
export const PRICE_LIST: Record<BillingProvider, Record<string, ModelPrices>> = {
  openai: {
    'gpt-6.1-sol': {
      default: { input: 2, cachedInput: 0.1, cacheWrite5m: 2.5, output: 10 },
      tiers: {
        priority: { input: 4, cachedInput: 0.2, cacheWrite5m: 5, output: 20 },
        flex: { input: 1, cachedInput: 0.05, cacheWrite5m: 1.25, output: 5 },
        batch: { input: 1, cachedInput: 0.05, cacheWrite5m: 1.25, output: 5 },
      },
    },
    'gpt-4o': gpt4o,
    'gpt-4o-2024-08-06': gpt4o,
    'gpt-4o-2024-11-20': gpt4o,
    'gpt-4o-mini': gpt4oMini,
    'gpt-4o-mini-2024-07-18': gpt4oMini,
    'text-embedding-3-small': { default: { input: 0.02, cachedInput: 0.02, output: 0 } },
    'ft:gpt-4o-mini:shop::review-triage': { default: { input: 0.3, cachedInput: 0.15, output: 1.2 } },
  },
  anthropic: {
    'claude-sonnet-5-5': {
      default: { input: 2, cachedInput: 0.1, cacheWrite5m: 2.5, cacheWrite1h: 4, output: 10 },
      tiers: { batch: { input: 1, cachedInput: 0.05, cacheWrite5m: 1.25, cacheWrite1h: 2, output: 5 } },
    },
  },
};

/** The list's entry for a served model: exact, else without a date suffix (`-20250514`, `-2024-08-06`). */
export function listedPrices(
  list: Record<BillingProvider, Record<string, ModelPrices>>,
  provider: BillingProvider,
  model: string,
): ModelPrices | undefined {
  const models = list[provider];
  return models[model] ?? models[model.replace(/-(\d{8}|\d{4}-\d{2}-\d{2})$/, '')];
}

/** The price of one tier: the tier's own where listed, else the default (standard) price. */
export function tierPrice(prices: ModelPrices, tier: string): ModelPrice {
  return prices.tiers?.[tier] ?? prices.default;
}
