import type { InstrumentationConfig } from '@opentelemetry/instrumentation';

export interface OpenAIInstrumentationConfig extends InstrumentationConfig {
  /**
   * Ask for usage on streamed chat completions (`stream_options.include_usage: true`) unless the caller set it.
   * The extra usage-only chunk is not passed on to callers who did not ask for it. Default true.
   */
  streamUsage?: boolean;
  /**
   * Provider (gen_ai.provider.name) per base URL, for hosts the built-in table does not know (proxies,
   * gateways, local servers). Keys are a base-URL prefix (`http://127.0.0.1:8080/v1`) or a host (`llm.internal`).
   */
  providers?: Record<string, string>;
}

/** The parts of the OpenAI wire format we read. Loose on purpose: fields differ across SDK versions 4..7. */
export interface OpenAIUsageWire {
  prompt_tokens?: number;
  completion_tokens?: number;
  input_tokens?: number;
  output_tokens?: number;
  total_tokens?: number;
  prompt_tokens_details?: { cached_tokens?: number | null } | null;
  completion_tokens_details?: { reasoning_tokens?: number | null } | null;
  input_tokens_details?: { cached_tokens?: number | null } | null;
  output_tokens_details?: { reasoning_tokens?: number | null } | null;
  /** OpenRouter (and some gateways): the provider-reported cost in USD. */
  cost?: number;
}

export interface ChatCompletionWire {
  id?: string;
  model?: string;
  choices?: { finish_reason?: string | null; message?: unknown; delta?: unknown }[];
  usage?: OpenAIUsageWire | null;
}

export interface ResponseWire {
  id?: string;
  model?: string;
  status?: string;
  incomplete_details?: { reason?: string } | null;
  output?: unknown;
  usage?: OpenAIUsageWire | null;
}

export interface ResponseStreamEventWire {
  type?: string;
  response?: ResponseWire;
}

export interface EmbeddingsWire {
  model?: string;
  usage?: OpenAIUsageWire | null;
}

// biome-ignore lint/suspicious/noExplicitAny: request bodies are whatever the caller passed
export type RequestBody = Record<string, any>;
