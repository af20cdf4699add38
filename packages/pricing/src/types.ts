/**
 * Provider-neutral token usage of one call, in the semantics of the OpenTelemetry GenAI conventions.
 * Every subset count is INCLUDED in its total: convert provider payloads before calling (see docs/providers.md,
 * token accounting), e.g. Anthropic input = input_tokens + cache_read + cache_creation.
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
  /**
   * Modality parts, priced at their own prices where the price data has them (else as text). Each is part of
   * its total: audio/image/video input tokens of inputTokens, cached audio of both cacheReadTokens and
   * inputAudioTokens, audio/image output tokens of outputTokens.
   */
  inputAudioTokens?: number;
  inputImageTokens?: number;
  inputVideoTokens?: number;
  cacheReadAudioTokens?: number;
  outputAudioTokens?: number;
  outputImageTokens?: number;
  /**
   * Usage that is not tokens, priced where the price data has a price per that unit (whisper-1 per audio hour,
   * tts-1 per million characters, web search fees per thousand searches). A call whose usage the model's prices
   * cover in no unit is unpriced (`unsupported_usage`), never 0. Token counts stay required: 0 when none.
   */
  /** Seconds of audio sent (a transcription's input audio): genai-prices `input_audio_seconds`. */
  inputAudioSeconds?: number;
  /** Seconds of audio generated: genai-prices `output_audio_seconds`. */
  outputAudioSeconds?: number;
  /** Characters of text input (text to speech): genai-prices `input_characters`. */
  inputCharacters?: number;
  /** Web searches run by a provider's built-in search tool: genai-prices `web_searches`. */
  webSearches?: number;
  /**
   * Usage that providers bill but genai-prices has no unit for, so that no price data or override can price
   * it: the call is `unsupported_usage` and the span carries the count. Images generated (Imagen, DALL·E
   * per image), seconds of video generated (Veo, Nova Reel), cached-content storage in token-hours (Gemini).
   */
  images?: number;
  outputVideoSeconds?: number;
  cacheStorageTokenHours?: number;
}

/**
 * Request context that selects price variants (genai-prices `price_context`), matched exactly and
 * case-sensitively on a variant's `when`. Keys in use: `service_tier` (the tier the provider SERVED:
 * `priority`, `flex`, `default`, `fast`; never the requested `auto`), `processing` (`batch` for Batch API
 * results), `speed`, `route`, `search_type`.
 */
export type PriceContext = Readonly<Record<string, string>>;

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
  /** Selects price variants (service tier, batch); see PriceContext. */
  context?: PriceContext;
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
  /**
   * The price variants that changed a price, as their `when` (`service_tier=priority`, `processing=batch`;
   * several joined by `,`); absent when the standard prices applied.
   */
  variant?: string;
  /**
   * Which data priced it: `genai-prices@0.2.3` (the bundled release), `live@2026-12-01T16:00:00.000Z` (a
   * live document, fetched at that time), `override:<file>` for user prices, or `provider_reported`.
   */
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
