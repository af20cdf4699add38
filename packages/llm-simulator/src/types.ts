/** Provider-neutral token counts a scripted reply asks for; each provider file maps them to its wire format. */
export interface SimUsage {
  /** All input tokens, cached ones included (OpenAI `prompt_tokens` semantics). */
  inputTokens?: number;
  /** Part of inputTokens served from the prompt cache. */
  cachedTokens?: number;
  /** Part of inputTokens written to the prompt cache, all TTLs (Anthropic, Bedrock). */
  cacheWriteTokens?: number;
  /** Part of cacheWriteTokens written with a 1 hour TTL (Anthropic, Bedrock). */
  cacheWrite1hTokens?: number;
  /** All output tokens, reasoning included (OpenAI `completion_tokens` semantics). */
  outputTokens?: number;
  /** Part of outputTokens spent on reasoning. */
  reasoningTokens?: number;
  /** Part of inputTokens that is audio (cached audio included). OpenAI: also derived when the request sends input_audio. */
  inputAudioTokens?: number;
  /** Part of inputTokens that is images. */
  inputImageTokens?: number;
  /** Part of inputTokens that is video (Gemini). */
  inputVideoTokens?: number;
  /** Part of cachedTokens (and of inputAudioTokens) that is audio. */
  cachedAudioTokens?: number;
  /** Part of outputTokens that is audio. OpenAI: all of it by default when the request asks for audio output. */
  outputAudioTokens?: number;
  /** Part of outputTokens that is images (image models). */
  outputImageTokens?: number;
}

export interface SimToolCall {
  name: string;
  arguments: string;
}

/** What the next matching request gets. Every field is optional; defaults derive from the request. */
export interface ScriptedReply {
  /** Only requests whose path ends with this are matched (e.g. `/chat/completions`); default: any. */
  path?: string;
  /** HTTP status; >= 400 sends a provider error body. */
  status?: number;
  /** Extra response headers, e.g. `{ 'retry-after-ms': '1' }` for 429s. */
  headers?: Record<string, string>;
  /** Error message for status >= 400. */
  errorMessage?: string;
  /** `model` in the response (default: the requested model). */
  model?: string;
  usage?: SimUsage;
  /** Send no usage block at all, even when asked for. */
  omitUsage?: boolean;
  /**
   * The service tier the response reports as served, in the provider's words (OpenAI `service_tier`: default,
   * priority, flex, scale; Anthropic `usage.service_tier`: standard, priority, batch; Gemini
   * `usageMetadata.serviceTier`; Vertex `usageMetadata.trafficType` via `trafficType`). Default: derived from the
   * request (see README).
   */
  serviceTier?: string;
  /** Vertex AI `usageMetadata.trafficType` (e.g. ON_DEMAND_PRIORITY); sent only when set. */
  trafficType?: string;
  /** OpenRouter-style provider-reported cost, sent as `usage.cost` (USD). */
  cost?: number;
  /** Assistant text; streamed as one chunk per element when an array. */
  content?: string | string[];
  toolCalls?: SimToolCall[];
  finishReason?: string;
  /** Streams only: send this many content chunks, then keep the connection open until the client goes away. */
  hangAfterChunks?: number;
  /** Streams only: send this many content chunks, then destroy the connection (a network failure mid-stream). */
  destroyAfterChunks?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /**
   * JSON bodies parsed; multipart/form-data bodies (audio uploads, image edits) as an object of their fields,
   * each file part as a MultipartFile (a repeated field as an array); other bodies as text.
   */
  // biome-ignore lint/suspicious/noExplicitAny: request bodies are arbitrary JSON
  body: any;
}

/** A file part of a multipart/form-data request body. */
export interface MultipartFile {
  filename: string;
  contentType: string | undefined;
  data: Buffer;
}

/** Decides the reply for a request when no queued script matches. */
export type ReplyHandler = (request: RecordedRequest) => ScriptedReply | undefined;
