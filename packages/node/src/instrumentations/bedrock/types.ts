import type { LlmInstrumentationConfig } from '../shared/llm-instrumentation.js';

/** BedrockInstrumentation options: the runtime, and the standard instrumentation options. */
export type BedrockInstrumentationConfig = LlmInstrumentationConfig;
