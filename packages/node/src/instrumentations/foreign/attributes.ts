import type { AttributeValue } from '@opentelemetry/api';
import type { PriceContext, TokenUsage } from '@otel-llm-cost/pricing';
import { ATTR, DIALECTS } from '../../core/names.js';
import { tierContext } from '../anthropic/usage.js';
import { servedTier } from '../openai/usage.js';

/**
 * Reads what a gen_ai span made by another instrumentation says about its call: the GenAI semantic
 * conventions (latest and older names), the Anthropic SDK's own span (1.x / 0.134+), OpenLLMetry
 * (@traceloop), OpenInference (`llm.*`) and the Vercel AI SDK's `ai.*` spans, under the names of the contract's
 * `dialects` (packages/contract/telemetry.yaml), which the collector processor reads too. Which spans are
 * model calls is decided by the shared table (model-calls.ts).
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

const VERCEL_PROVIDERS: Readonly<Record<string, string>> = DIALECTS.vercel_providers;
const PROVIDER_NAMES: Readonly<Record<string, string>> = DIALECTS.provider_names;
/** vercel_providers keys, longest first, so `google.vertex` wins over a shorter key. */
const VERCEL_KEYS = Object.keys(VERCEL_PROVIDERS).sort((x, y) => y.length - x.length);

/** Older or vendor-specific provider names -> semconv names (the contract's rule; the collector applies it too). */
export function normalizeProvider(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  const lower = raw.trim().toLowerCase();
  if (!lower) return undefined;
  // Vercel: `openai.chat`, `anthropic.messages`, `google.vertex.chat`, ...
  for (const key of VERCEL_KEYS) {
    if (lower.startsWith(key) && (lower.length === key.length || lower[key.length] === '.'))
      return VERCEL_PROVIDERS[key];
  }
  const named = PROVIDER_NAMES[lower];
  if (named) return named;
  const dot = lower.indexOf('.');
  // `openai.chat` -> `openai`, but keep semconv names with a dot (`aws.bedrock`, `gcp.gemini`, `azure.ai.openai`).
  if (dot > 0 && !DIALECTS.dotted_provider_prefixes.some((p) => lower.startsWith(p))) return lower.slice(0, dot);
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

/** The (input, output) totals of the first instrumentation family whose names the span carries. */
function totals(attrs: Attrs): { input?: number; output?: number } | undefined {
  for (const pair of DIALECTS.totals) {
    const input = num(attrs[pair.input]);
    const output = num(attrs[pair.output]);
    if (input !== undefined || output !== undefined) return { input, output };
  }
  return undefined;
}

/** True when the span carries an input or output token count under any name read here. */
export function hasUsage(attrs: Attrs): boolean {
  return totals(attrs) !== undefined;
}

/** True when the span carries token usage or a cost (then a span that is no model call is marked so). */
export function carriesUsageOrCost(attrs: Attrs): boolean {
  return hasUsage(attrs) || DIALECTS.cost.some((k) => attrs[k] !== undefined);
}

/**
 * The cost (USD) the provider reported, as instrumentations record it: the semconv proposal's
 * `gen_ai.usage.cost.amount` with `gen_ai.usage.cost.source` = `provider` (in USD), else OpenInference's
 * `llm.cost.total` (e.g. the litellm instrumentor, from OpenRouter's usage.cost) when above 0.
 */
export function reportedCost(attrs: Attrs): number | undefined {
  const currency = attrs[DIALECTS.reported_cost_currency];
  if (
    attrs[DIALECTS.reported_cost_source] === 'provider' &&
    (currency === undefined || (typeof currency === 'string' && currency.toUpperCase() === 'USD'))
  ) {
    const amount = num(attrs[DIALECTS.reported_cost_amount]);
    if (amount !== undefined) return amount;
  }
  const total = num(attrs[DIALECTS.reported_cost_total]);
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

function firstString(attrs: Attrs, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const v = str(attrs[key]);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** The modality parts of usage and the names each is read under (each part of its total). */
const MODALITY_PARTS: readonly (readonly [keyof TokenUsage, readonly string[]])[] = [
  ['inputAudioTokens', DIALECTS.audio_input],
  ['inputImageTokens', DIALECTS.image_input],
  ['inputVideoTokens', DIALECTS.video_input],
  ['cacheReadAudioTokens', DIALECTS.cache_read_audio],
  ['outputAudioTokens', DIALECTS.audio_output],
  ['outputImageTokens', DIALECTS.image_output],
];

export function readForeignCall(attrs: Attrs): ForeignCall {
  const provider = normalizeProvider(firstString(attrs, DIALECTS.provider) ?? str(attrs[DIALECTS.vercel_provider]));
  const operation = str(attrs[ATTR.OPERATION]) ?? vercelOperation(attrs) ?? otherOperation(attrs);
  const requestModel = firstString(attrs, DIALECTS.request_model);
  const responseModel = firstString(attrs, DIALECTS.response_model);

  const streaming = attrs[DIALECTS.stream_flag] === true || /\.doStream$/.test(str(attrs['ai.operationId']) ?? '');
  const base: ForeignCall = {
    provider,
    operation,
    requestModel,
    responseModel,
    streaming,
    timeToFirstChunk: num(attrs[DIALECTS.time_to_first_chunk]),
    context: readPriceContext(attrs),
    providerReportedCost: reportedCost(attrs),
  };
  const total = totals(attrs);
  if (!total) return base;

  let { input, output } = total;
  let partial = false;
  if (output === undefined) {
    output = 0;
    partial = operation !== 'embeddings';
  }
  input ??= 0;
  const cacheRead = first(attrs, DIALECTS.cache_read);
  const cacheWrite1h = first(attrs, DIALECTS.cache_write_1h);
  // @anthropic-ai/sdk's own spans may carry only the per-TTL split of the cache writes.
  const cacheWrite5m = num(attrs[DIALECTS.cache_write_5m]);
  const cacheWrite =
    first(attrs, DIALECTS.cache_write) || (cacheWrite5m !== undefined ? cacheWrite5m + (cacheWrite1h ?? 0) : undefined);
  const reasoning = first(attrs, DIALECTS.reasoning);
  // Semconv input tokens include cache reads and writes. Some instrumentations copy Anthropic's
  // input_tokens (which excludes them) as they are: when the cache counts do not fit, add them.
  const cached = (cacheRead ?? 0) + (cacheWrite ?? 0);
  if (cached > input) input += cached;
  // Likewise Google's candidate count excludes thoughts: reasoning above output was not part of it.
  if (reasoning && reasoning > output) output += reasoning;

  const usage: TokenUsage = { inputTokens: input, outputTokens: output };
  if (cacheRead) usage.cacheReadTokens = cacheRead;
  if (cacheWrite) usage.cacheWriteTokens = cacheWrite;
  if (cacheWrite && cacheWrite1h) usage.cacheWrite1hTokens = Math.min(cacheWrite1h, cacheWrite);
  if (reasoning) usage.reasoningTokens = reasoning;
  for (const [field, keys] of MODALITY_PARTS) {
    const n = first(attrs, keys);
    if (n) usage[field] = n;
  }
  // Server-tool searches (our instrumentation sets them on @anthropic-ai/sdk's own span), billed per search.
  const searches = num(attrs[ATTR.WEB_SEARCHES]);
  if (searches) usage.webSearches = searches;
  return { ...base, usage, partial: partial || undefined };
}
