import type { LlmInstrumentationConfig } from '../shared/llm-instrumentation.js';

/** GoogleGenAIInstrumentation options: the runtime, and the standard instrumentation options. */
export type GoogleGenAIInstrumentationConfig = LlmInstrumentationConfig;
