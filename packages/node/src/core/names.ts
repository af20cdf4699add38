/** Attribute and metric names of the telemetry contract (docs/telemetry.md). One place, so nothing drifts. */

export const ATTR = {
  PROVIDER: 'gen_ai.provider.name',
  OPERATION: 'gen_ai.operation.name',
  REQUEST_MODEL: 'gen_ai.request.model',
  RESPONSE_MODEL: 'gen_ai.response.model',
  RESPONSE_ID: 'gen_ai.response.id',
  FINISH_REASONS: 'gen_ai.response.finish_reasons',
  INPUT_TOKENS: 'gen_ai.usage.input_tokens',
  OUTPUT_TOKENS: 'gen_ai.usage.output_tokens',
  CACHE_READ_TOKENS: 'gen_ai.usage.cache_read.input_tokens',
  CACHE_CREATION_TOKENS: 'gen_ai.usage.cache_creation.input_tokens',
  REASONING_TOKENS: 'gen_ai.usage.reasoning.output_tokens',
  COST: 'gen_ai.usage.cost',
  TOKEN_TYPE: 'gen_ai.token.type',
  ERROR_TYPE: 'error.type',
  SERVER_ADDRESS: 'server.address',
  SERVER_PORT: 'server.port',
  REQUEST_MAX_TOKENS: 'gen_ai.request.max_tokens',
  REQUEST_TEMPERATURE: 'gen_ai.request.temperature',
  REQUEST_TOP_P: 'gen_ai.request.top_p',
  INPUT_MESSAGES: 'gen_ai.input.messages',
  OUTPUT_MESSAGES: 'gen_ai.output.messages',
  ENVIRONMENT: 'deployment.environment.name',
  HTTP_ROUTE: 'http.route',
  COST_INPUT: 'llmcost.cost.input',
  COST_OUTPUT: 'llmcost.cost.output',
  COST_SOURCE: 'llmcost.cost.source',
  COST_CACHE_SAVINGS: 'llmcost.cost.cache_savings',
  COST_PARTIAL: 'llmcost.cost.partial',
  PRICE_DATA_VERSION: 'llmcost.price_data.version',
  PRICING_PROVIDER: 'llmcost.pricing.provider',
  PRICING_MODEL: 'llmcost.pricing.model',
  UNPRICED: 'llmcost.unpriced',
  UNPRICED_REASON: 'llmcost.unpriced.reason',
  CACHE_CREATION_1H_TOKENS: 'llmcost.usage.cache_creation_1h.input_tokens',
  // Modality parts of the semconv totals (each INCLUDED in gen_ai.usage.input_tokens / output_tokens).
  AUDIO_INPUT_TOKENS: 'llmcost.usage.audio.input_tokens',
  IMAGE_INPUT_TOKENS: 'llmcost.usage.image.input_tokens',
  VIDEO_INPUT_TOKENS: 'llmcost.usage.video.input_tokens',
  CACHE_READ_AUDIO_TOKENS: 'llmcost.usage.cache_read_audio.input_tokens',
  AUDIO_OUTPUT_TOKENS: 'llmcost.usage.audio.output_tokens',
  IMAGE_OUTPUT_TOKENS: 'llmcost.usage.image.output_tokens',
  /** Semconv: the service tier OpenAI (or an OpenAI-compatible API) says it served the request with. */
  OPENAI_RESPONSE_SERVICE_TIER: 'openai.response.service_tier',
  /** Written by @anthropic-ai/sdk 1.x on its own span (usage.service_tier: standard, priority, batch). */
  ANTHROPIC_RESPONSE_SERVICE_TIER: 'anthropic.response.service_tier',
  /** Prefix of the price context used (one attribute per key: `llmcost.price.context.service_tier`, ...). */
  PRICE_CONTEXT_PREFIX: 'llmcost.price.context.',
  /** The price variant that priced the call (`service_tier=priority`, `processing=batch`), only when one did. */
  PRICE_VARIANT: 'llmcost.price.variant',
  PRICED_BY: 'llmcost.priced_by',
  /** false on a span with usage or a cost that is no model call (agent, workflow, framework span over the call). */
  MODEL_CALL: 'llmcost.model_call',
  /** Why the cost a span arrived with was replaced: `zero` (another tool's 0) or `override` (collector). */
  COST_REPLACED: 'llmcost.cost.replaced',
  SDK_METRICS: 'llmcost.sdk.metrics',
  LLMCOST_TOKEN_TYPE: 'llmcost.token_type',
  DIMENSION: 'llmcost.dimension',
} as const;

export const METRIC = {
  COST: 'llmcost.cost',
  REQUEST_COST: 'llmcost.request.cost',
  UNPRICED: 'llmcost.unpriced.requests',
  TOKENS: 'llmcost.tokens',
  CACHE_SAVINGS: 'llmcost.cache.savings',
  ATTRIBUTION_MISSING: 'llmcost.attribution.missing',
  TOKEN_USAGE: 'gen_ai.client.token.usage',
  DURATION: 'gen_ai.client.operation.duration',
  TIME_TO_FIRST_CHUNK: 'gen_ai.client.operation.time_to_first_chunk',
} as const;

/** USD buckets for the per-request cost histogram (docs/telemetry.md). */
export const REQUEST_COST_BUCKETS = [1e-6, 5e-6, 1e-5, 5e-5, 1e-4, 5e-4, 1e-3, 5e-3, 0.01, 0.05, 0.1, 0.5, 1, 5, 10];
/** GenAI semconv advice for gen_ai.client.token.usage. */
export const TOKEN_BUCKETS = [
  1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864,
];
/** GenAI semconv advice for gen_ai.client.operation.duration (seconds). */
export const DURATION_BUCKETS = [
  0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
];
/** Seconds; streams' first chunk usually arrives well under the total duration. */
export const TTFC_BUCKETS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

export const OVERFLOW_VALUE = '__overflow__';
export const PACKAGE_NAME = '@otel-llm-cost/node';
export const PACKAGE_VERSION = '0.1.0';
