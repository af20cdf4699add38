import type { AttributeValue } from '@opentelemetry/api';
import type { PriceContext, TokenUsage } from '@otel-llm-cost/pricing';
import { ATTR } from '../../core/names.js';
import { tierContext } from '../anthropic/usage.js';
import { servedTier } from '../openai/usage.js';

/**
 * Reads what a gen_ai span made by another instrumentation says about its call: the GenAI semantic
 * conventions (latest and older names), the Anthropic SDK's own span (1.x / 0.134+), OpenLLMetry
 * (@traceloop) and the Vercel AI SDK's `ai.*` spans.
 */

type Attrs = Readonly<Record<string, AttributeValue | undefined>>;

const num = (v: AttributeValue | undefined): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;
const str = (v: AttributeValue | undefined): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

function first(attrs: Attrs, keys: readonly string[]): number | undefined {
  for (const key of keys) {
    const v = num(attrs[key]);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** Vercel AI SDK provider ids (`ai.model.provider`, also in its gen_ai.system) -> semconv provider names. */
const VERCEL_PROVIDERS: Record<string, string> = {
  'amazon-bedrock': 'aws.bedrock',
  'google.generative-ai': 'gcp.gemini',
  'google.vertex': 'gcp.vertex_ai',
  'google.vertex.chat': 'gcp.vertex_ai',
  'google-vertex': 'gcp.vertex_ai',
  azure: 'azure.ai.openai',
  mistral: 'mistral_ai',
  xai: 'x_ai',
};

/** Older or vendor-specific provider names -> semconv names the pricing core knows. */
export function normalizeProvider(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const lower = raw.trim().toLowerCase();
  if (VERCEL_PROVIDERS[lower]) return VERCEL_PROVIDERS[lower];
  // Vercel: `openai.chat`, `openai.responses`, `anthropic.messages`, `google.vertex.chat`, ...
  for (const [prefix, provider] of Object.entries(VERCEL_PROVIDERS)) {
    if (lower.startsWith(`${prefix}.`)) return provider;
  }
  if (lower === 'vertex ai' || lower === 'vertexai') return 'gcp.vertex_ai';
  if (lower === 'aws' || lower === 'bedrock' || lower === 'aws_bedrock') return 'aws.bedrock';
  if (lower === 'gemini' || lower === 'google' || lower === 'google_genai') return 'gcp.gemini';
  const dot = lower.indexOf('.');
  // `openai.chat` -> `openai`, but keep semconv names with a dot (`aws.bedrock`, `gcp.gemini`, `azure.ai.openai`).
  if (dot > 0 && !/^(aws|gcp|azure|az)\./.test(lower)) return lower.slice(0, dot);
  return lower;
}

/** Vercel AI SDK: the spans of one provider call (`ai.generateText.doGenerate`, ...); the outer `ai.*` spans repeat their usage. */
function vercelOperation(attrs: Attrs): { isProviderCall: boolean; operation?: string } | undefined {
  const id = str(attrs['ai.operationId']);
  if (!id) return undefined;
  if (/\.doEmbed$/.test(id)) return { isProviderCall: true, operation: 'embeddings' };
  if (/\.(doGenerate|doStream)$/.test(id)) return { isProviderCall: true, operation: 'chat' };
  return { isProviderCall: false };
}

export interface ForeignCall {
  provider?: string;
  operation?: string;
  requestModel?: string;
  responseModel?: string;
  usage?: TokenUsage;
  /** Price context (served service tier, batch) from the span's attributes. */
  context?: PriceContext;
  /** Output tokens were not reported (e.g. a stream read only up to message_start): cost covers input only. */
  partial?: boolean;
  streaming: boolean;
  /** Seconds to the first chunk, when the instrumentation recorded it. */
  timeToFirstChunk?: number;
}

/** gen_ai.operation.name values of one model call. */
const MODEL_OPERATIONS = new Set(['chat', 'text_completion', 'generate_content', 'embeddings']);
/** Operations that wrap model calls (their usage repeats their children's) or are no model call at all. */
const NOT_MODEL_CALLS = new Set(['execute_tool', 'invoke_agent', 'create_agent', 'agent_step', 'invoke_workflow']);

const USAGE_KEYS = [
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.output_tokens',
  'gen_ai.usage.prompt_tokens',
  'gen_ai.usage.completion_tokens',
];

/**
 * True for spans that describe one model call of some instrumentation (the candidates to price): a model
 * operation (chat, text_completion, generate_content, embeddings), or another gen_ai span with token usage
 * that is not an agent/tool/step span. Other spans of self-tracing SDKs (e.g. @anthropic-ai/sdk
 * `anthropic.messages.count_tokens`, `anthropic.models.list`) carry gen_ai.provider.name but are not billed
 * model calls, so they are neither priced nor counted as unpriced.
 */
export function isLlmCallSpan(attrs: Attrs): boolean {
  const vercel = vercelOperation(attrs);
  if (vercel) return vercel.isProviderCall;
  const op = str(attrs['gen_ai.operation.name']);
  if (op && NOT_MODEL_CALLS.has(op)) return false;
  const hasUsage = USAGE_KEYS.some((key) => num(attrs[key]) !== undefined);
  // A model operation without usage is still a call (then counted as unpriced); any other gen_ai span needs usage.
  if (op && MODEL_OPERATIONS.has(op)) return true;
  const hasProvider = attrs['gen_ai.system'] !== undefined || attrs['gen_ai.provider.name'] !== undefined;
  return (op !== undefined || hasProvider) && hasUsage;
}

/**
 * The price context a span's attributes give: the semconv `openai.response.service_tier` (never `auto`),
 * @anthropic-ai/sdk's `anthropic.response.service_tier` (`batch` -> `processing: batch`), and
 * `llmcost.price.context.<key>` attributes, which win (the collector processor reads the same).
 */
export function readPriceContext(attrs: Attrs): PriceContext | undefined {
  const context: Record<string, string> = {};
  const openaiTier = servedTier(attrs[ATTR.OPENAI_RESPONSE_SERVICE_TIER]);
  if (openaiTier) context.service_tier = openaiTier;
  Object.assign(context, tierContext(str(attrs[ATTR.ANTHROPIC_RESPONSE_SERVICE_TIER])));
  for (const [key, value] of Object.entries(attrs)) {
    const v = str(value);
    if (v && key.startsWith(ATTR.PRICE_CONTEXT_PREFIX) && key.length > ATTR.PRICE_CONTEXT_PREFIX.length) {
      context[key.slice(ATTR.PRICE_CONTEXT_PREFIX.length)] = v;
    }
  }
  return Object.keys(context).length ? context : undefined;
}

export function readForeignCall(attrs: Attrs): ForeignCall {
  const vercel = vercelOperation(attrs);
  const provider = normalizeProvider(
    str(attrs['gen_ai.provider.name']) ?? str(attrs['gen_ai.system']) ?? str(attrs['ai.model.provider']),
  );
  const operation = str(attrs['gen_ai.operation.name']) ?? vercel?.operation;
  const requestModel = str(attrs['gen_ai.request.model']) ?? str(attrs['ai.model.id']);
  const responseModel = str(attrs['gen_ai.response.model']) ?? str(attrs['ai.response.model']);

  let input = first(attrs, [
    'gen_ai.usage.input_tokens',
    'gen_ai.usage.prompt_tokens',
    'ai.usage.inputTokens',
    'ai.usage.promptTokens',
  ]);
  let output = first(attrs, [
    'gen_ai.usage.output_tokens',
    'gen_ai.usage.completion_tokens',
    'ai.usage.outputTokens',
    'ai.usage.completionTokens',
  ]);
  const cacheRead = first(attrs, [
    'gen_ai.usage.cache_read.input_tokens',
    'gen_ai.usage.cache_read_input_tokens',
    'ai.usage.inputTokenDetails.cacheReadTokens',
    'ai.usage.cachedInputTokens',
  ]);
  const cacheWrite = first(attrs, [
    'gen_ai.usage.cache_creation.input_tokens',
    // @anthropic-ai/sdk's own span
    'gen_ai.usage.cache_write.input_tokens',
    'gen_ai.usage.cache_creation_input_tokens',
    'ai.usage.inputTokenDetails.cacheWriteTokens',
  ]);
  const cacheWrite1h = first(attrs, [
    'anthropic.usage.cache_creation.ephemeral_1h_input_tokens',
    'llmcost.usage.cache_creation_1h.input_tokens',
  ]);
  const reasoning = first(attrs, [
    'gen_ai.usage.reasoning.output_tokens',
    'ai.usage.outputTokenDetails.reasoningTokens',
    'ai.usage.reasoningTokens',
  ]);

  const streaming = attrs['gen_ai.request.stream'] === true || /\.doStream$/.test(str(attrs['ai.operationId']) ?? '');
  const ttfc = num(attrs['gen_ai.response.time_to_first_chunk']);
  const base: ForeignCall = {
    provider,
    operation,
    requestModel,
    responseModel,
    streaming,
    timeToFirstChunk: ttfc,
    context: readPriceContext(attrs),
  };
  if (input === undefined && output === undefined) return base;

  let partial = false;
  if (output === undefined) {
    output = 0;
    partial = operation !== 'embeddings';
  }
  input ??= 0;
  // Semconv input tokens include cache reads and writes. Some instrumentations copy Anthropic's
  // input_tokens (which excludes them) as they are: when the cache counts do not fit, add them.
  const cached = (cacheRead ?? 0) + (cacheWrite ?? 0);
  if (cached > input) input += cached;

  const usage: TokenUsage = { inputTokens: input, outputTokens: output };
  if (cacheRead) usage.cacheReadTokens = cacheRead;
  if (cacheWrite) usage.cacheWriteTokens = cacheWrite;
  if (cacheWrite && cacheWrite1h) usage.cacheWrite1hTokens = Math.min(cacheWrite1h, cacheWrite);
  if (reasoning) usage.reasoningTokens = Math.min(reasoning, output);
  return { ...base, usage, partial: partial || undefined };
}
