import type { LlmInstrumentationConfig } from '../shared/llm-instrumentation.js';

export interface OpenAIInstrumentationConfig extends LlmInstrumentationConfig {
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

/**
 * The parts of the OpenAI wire format we read. Loose on purpose: fields differ across SDK versions 4..7.
 * Checked against openai 7.57 `resources/completions.d.ts` (CompletionUsage), `resources/responses/responses.d.ts`
 * (ResponseUsage, Response.service_tier) and `resources/images.d.ts` (ImagesResponse.Usage).
 */
export interface OpenAIUsageWire {
  prompt_tokens?: number;
  completion_tokens?: number;
  input_tokens?: number;
  output_tokens?: number;
  total_tokens?: number;
  /** Chat: audio/image/text parts of prompt_tokens (included in it); cached audio only where reported. */
  prompt_tokens_details?: InputDetailsWire | null;
  /** Chat: reasoning and audio parts of completion_tokens (included in it). */
  completion_tokens_details?: OutputDetailsWire | null;
  /** Responses API and images: cached tokens; images also image/text parts of input_tokens. */
  input_tokens_details?: InputDetailsWire | null;
  /** Responses API: reasoning; images (gpt-image-1.5 and later): image/text parts of output_tokens. */
  output_tokens_details?: OutputDetailsWire | null;
  /** OpenRouter (and some gateways): the provider-reported cost in USD. */
  cost?: number;
}

export interface InputDetailsWire {
  cached_tokens?: number | null;
  /** openai 7: prompt tokens written to the cache (part of the prompt). */
  cache_write_tokens?: number | null;
  audio_tokens?: number | null;
  image_tokens?: number | null;
  text_tokens?: number | null;
  /** Realtime-style breakdown of cached_tokens, when present. */
  cached_tokens_details?: { audio_tokens?: number | null; image_tokens?: number | null } | null;
}

export interface OutputDetailsWire {
  reasoning_tokens?: number | null;
  audio_tokens?: number | null;
  image_tokens?: number | null;
  text_tokens?: number | null;
}

export interface ChatCompletionWire {
  id?: string;
  model?: string;
  /** The tier that served the request (`default`, `priority`, `flex`, `scale`); every stream chunk repeats it. */
  service_tier?: string | null;
  choices?: { finish_reason?: string | null; message?: unknown; delta?: unknown }[];
  usage?: OpenAIUsageWire | null;
}

export interface ResponseWire {
  id?: string;
  model?: string;
  status?: string;
  /**
   * The tier that served the request. In a stream, `response.created` / `in_progress` echo the request (`auto`),
   * `response.completed` carries the served tier.
   */
  service_tier?: string | null;
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
