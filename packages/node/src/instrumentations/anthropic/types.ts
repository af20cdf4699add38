import type { LlmInstrumentationConfig } from '../shared/llm-instrumentation.js';

/** AnthropicInstrumentation options: the runtime, and the standard instrumentation options. */
export type AnthropicInstrumentationConfig = LlmInstrumentationConfig;
