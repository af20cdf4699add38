import type { AttributeValue } from '@opentelemetry/api';
import type { PriceContext, TokenUsage } from '@otel-llm-cost/pricing';
import { ATTR } from '../../core/names.js';
import { tierContext } from '../anthropic/usage.js';
import { servedTier } from '../openai/usage.js';

/**
 * Reads what a gen_ai span made by another instrumentation says about its call: the GenAI semantic
 * conventions (latest and older names), the Anthropic SDK's own span (1.x / 0.134+), OpenLLMetry
 * (@traceloop), OpenInference (`llm.*`) and the Vercel AI SDK's `ai.*` spans. Which spans are model calls
 * is decided by the shared table (model-calls.ts).
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

/** The operation of a Vercel AI SDK provider-call span (`ai.generateText.doGenerate`, `ai.embed.doEmbed`, ...). */
function vercelOperation(attrs: Attrs): string | undefined {
  const id = str(attrs['ai.operationId']);
  if (!id) return undefined;
  if (/\.doEmbed$/.test(id)) return 'embeddings';
  if (/\.(doGenerate|doStream)$/.test(id)) return 'chat';
  return undefined;
}

/** The operation an OpenInference span kind or an OpenLLMetry llm.request.type stands for. */
function otherOperation(attrs: Attrs): string | undefined {
  const kind = str(attrs['openinference.span.kind']);
  if (kind === 'EMBEDDING') return 'embeddings';
  if (kind === 'LLM') return 'chat';
  const type = str(attrs['llm.request.type']);
  if (type === 'embedding') return 'embeddings';
  if (type === 'completion') return 'text_completion';
  if (type === 'chat') return 'chat';
  return undefined;
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
  /** The cost the provider reported (OpenRouter usage.cost, as instrumentations record it): it wins. */
  providerReportedCost?: number;
}

/** Input / output token totals under every name read here (GenAI semconv, older semconv and OpenLLMetry, OpenInference, Vercel AI SDK). */
const INPUT_KEYS = [
  'gen_ai.usage.input_tokens',
  'gen_ai.usage.prompt_tokens',
  'llm.token_count.prompt',
  'llm.usage.prompt_tokens',
  'ai.usage.inputTokens',
  'ai.usage.promptTokens',
];
const OUTPUT_KEYS = [
  'gen_ai.usage.output_tokens',
  'gen_ai.usage.completion_tokens',
  'llm.token_count.completion',
  'llm.usage.completion_tokens',
  'ai.usage.outputTokens',
  'ai.usage.completionTokens',
];
/** Costs other tools or providers write. */
const COST_KEYS = ['gen_ai.usage.cost', 'llm.cost.total', 'gen_ai.usage.cost.amount'];

/** True when the span carries an input or output token count under any name read here. */
export function hasUsage(attrs: Attrs): boolean {
  return first(attrs, INPUT_KEYS) !== undefined || first(attrs, OUTPUT_KEYS) !== undefined;
}

/** True when the span carries token usage or a cost (then a span that is no model call is marked so). */
export function carriesUsageOrCost(attrs: Attrs): boolean {
  return hasUsage(attrs) || COST_KEYS.some((k) => attrs[k] !== undefined);
}

/**
 * The cost (USD) the provider reported, as instrumentations record it: the semconv proposal's
 * `gen_ai.usage.cost.amount` with `gen_ai.usage.cost.source` = `provider` (in USD), else OpenInference's
 * `llm.cost.total` (e.g. the litellm instrumentor, from OpenRouter's usage.cost) when above 0.
 */
export function reportedCost(attrs: Attrs): number | undefined {
  const currency = attrs['gen_ai.usage.cost.currency'];
  if (
    attrs['gen_ai.usage.cost.source'] === 'provider' &&
    (currency === undefined || (typeof currency === 'string' && currency.toUpperCase() === 'USD'))
  ) {
    const amount = num(attrs['gen_ai.usage.cost.amount']);
    if (amount !== undefined) return amount;
  }
  const total = num(attrs['llm.cost.total']);
  return total !== undefined && total > 0 ? total : undefined;
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
  const provider = normalizeProvider(
    str(attrs['gen_ai.provider.name']) ??
      str(attrs['gen_ai.system']) ??
      str(attrs['llm.provider']) ??
      str(attrs['llm.system']) ??
      str(attrs['ai.model.provider']),
  );
  const operation = str(attrs['gen_ai.operation.name']) ?? vercelOperation(attrs) ?? otherOperation(attrs);
  // OpenInference: llm.model_name (embeddings: embedding.model_name).
  const requestModel =
    str(attrs['gen_ai.request.model']) ??
    str(attrs['llm.model_name']) ??
    str(attrs['embedding.model_name']) ??
    str(attrs['ai.model.id']);
  const responseModel = str(attrs['gen_ai.response.model']) ?? str(attrs['ai.response.model']);

  let input = first(attrs, INPUT_KEYS);
  let output = first(attrs, OUTPUT_KEYS);
  const cacheRead = first(attrs, [
    'gen_ai.usage.cache_read.input_tokens',
    'gen_ai.usage.cache_read_input_tokens',
    'llm.token_count.prompt_details.cache_read',
    'ai.usage.inputTokenDetails.cacheReadTokens',
    'ai.usage.cachedInputTokens',
  ]);
  const cacheWrite = first(attrs, [
    'gen_ai.usage.cache_creation.input_tokens',
    // @anthropic-ai/sdk's own span
    'gen_ai.usage.cache_write.input_tokens',
    'gen_ai.usage.cache_creation_input_tokens',
    'llm.token_count.prompt_details.cache_write',
    'ai.usage.inputTokenDetails.cacheWriteTokens',
  ]);
  const cacheWrite1h = first(attrs, [
    'anthropic.usage.cache_creation.ephemeral_1h_input_tokens',
    'llmcost.usage.cache_creation_1h.input_tokens',
  ]);
  const reasoning = first(attrs, [
    'gen_ai.usage.reasoning.output_tokens',
    'gen_ai.usage.reasoning_tokens',
    'llm.usage.reasoning_tokens',
    'llm.token_count.completion_details.reasoning',
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
    providerReportedCost: reportedCost(attrs),
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
