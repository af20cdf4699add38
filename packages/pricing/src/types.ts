/**
 * Provider-neutral token usage of one call, in the semantics of the OpenTelemetry GenAI conventions.
 * Every subset count is INCLUDED in its total: convert provider payloads before calling (see DESIGN,
 * "Token accounting pitfalls"), e.g. Anthropic input = input_tokens + cache_read + cache_creation.
 */
export interface TokenUsage {
  /** All input tokens, including cache reads and cache writes. */
  inputTokens: number;
  /** Part of inputTokens read from the prompt cache. */
  cacheReadTokens?: number;
  /** Part of inputTokens written to the prompt cache (all TTLs). */
  cacheWriteTokens?: number;
  /** Part of cacheWriteTokens written with a 1 hour TTL (Anthropic); the rest is priced as 5 minute writes. */
  cacheWrite1hTokens?: number;
  /** All output tokens, including reasoning tokens. */
  outputTokens: number;
  /** Part of outputTokens spent on reasoning; priced apart only where the price data has a reasoning price. */
  reasoningTokens?: number;
}

export interface PriceRequest {
  /** OpenTelemetry `gen_ai.provider.name` (e.g. `openai`, `anthropic`, `aws.bedrock`) or a genai-prices provider id. */
  provider?: string;
  /** The model that served the call (`gen_ai.response.model`); tried first. */
  model?: string;
  /** The model that was asked for (`gen_ai.request.model`); tried when `model` does not match. */
  requestModel?: string;
  usage: TokenUsage;
  /** When the call completed; selects dated prices. Defaults to now. */
  time?: Date;
  /** A cost the provider reported for this call (e.g. OpenRouter `usage.cost`), in USD: it wins. */
  providerReportedCost?: number;
}

export type CostSource = 'pricing_data' | 'override' | 'provider_reported';

export type UnpricedReason = 'unknown_model' | 'no_model' | 'invalid_usage' | 'unsupported_usage';

export interface PricedResult {
  priced: true;
  /** Total USD, rounded to 1e-10. */
  cost: number;
  /** USD for input tokens (incl. cache reads and writes), rounded to 1e-10. */
  inputCost: number;
  /** USD for output tokens, rounded to 1e-10. */
  outputCost: number;
  /** USD saved by cache reads against the uncached input price (0 when none or unknown). */
  cacheSavings: number;
  source: CostSource;
  /** genai-prices provider id (or override provider) that matched. */
  pricingProvider: string;
  /** Model id in the price data that matched. */
  pricingModel: string;
  /** e.g. `genai-prices@0.1.8`, or `override:<file>` for user prices. */
  priceDataVersion: string;
}

export interface UnpricedResult {
  priced: false;
  reason: UnpricedReason;
  /** Human readable: names the model and provider that were tried and what to do. */
  message: string;
  priceDataVersion: string;
}

export type PriceResult = PricedResult | UnpricedResult;
