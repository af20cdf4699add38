export { LlmCostSpanProcessor, type LlmCostSpanProcessorOptions } from './attribution/processor.js';
export { type Attribution, getAttribution, withAttribution } from './attribution/scope.js';
export { AttributionError } from './attribution/strict.js';
export type { BudgetsOption } from './budgets/config.js';
export type { BudgetEnforcementOptions, BudgetsMode } from './budgets/enforcer.js';
export { BudgetExceededError, type BudgetRefusalReason } from './budgets/error.js';
export { type Budget, BudgetConfigError } from './budgets/schema.js';
export {
  LlmCall,
  type LlmCallOutcome,
  type LlmCallStart,
  type LlmTelemetry,
  startLlmCall,
} from './core/llm-call.js';
export type { MarkupConfig, MarkupRule } from './core/markup.js';
export { LlmCostMetricProducer, type LlmCostMetricProducerOptions } from './core/metric-producer.js';
export { createLlmMetrics, type LlmMetrics, type LlmSeries } from './core/metrics.js';
export { ATTR, METRIC, REQUEST_COST_BUCKETS } from './core/names.js';
export {
  type AttributionOptions,
  DEFAULT_ATTRIBUTE_KEYS,
  type Dimension,
  type LlmCostOptions,
  type MetricsOptions,
  type PricingOptions,
  type StrictOptions,
} from './core/options.js';
export { createLlmCostRuntime, LlmCostRuntime } from './core/runtime.js';
export {
  AnthropicInstrumentation,
  type AnthropicInstrumentationConfig,
} from './instrumentations/anthropic/instrumentation.js';
export {
  BedrockInstrumentation,
  type BedrockInstrumentationConfig,
} from './instrumentations/bedrock/instrumentation.js';
export { type ForeignSpanProcessorOptions, LlmCostForeignSpanProcessor } from './instrumentations/foreign/processor.js';
export {
  GoogleGenAIInstrumentation,
  type GoogleGenAIInstrumentationConfig,
} from './instrumentations/google-genai/instrumentation.js';
export { OpenAIInstrumentation } from './instrumentations/openai/instrumentation.js';
export type { OpenAIInstrumentationConfig } from './instrumentations/openai/types.js';
export type { LlmInstrumentationConfig } from './instrumentations/shared/llm-instrumentation.js';
export type { RateLimitOptions } from './limits/rate-limit-options.js';
export { RateLimitedError } from './limits/rate-limited-error.js';
export type { ProviderInitOptions } from './sdk/client-instrumentations.js';
export { HOOKED_PACKAGES, registerEsmHook } from './sdk/esm-hook.js';
export { type InitOptions, init, type LlmCostHandle } from './sdk/init.js';
