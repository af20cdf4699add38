import type { AttributeValue } from '@opentelemetry/api';
import type { PriceContext, TokenUsage } from '@otel-llm-cost/pricing';
import type { LlmCallOutcome } from '../../core/llm-call.js';
import type { CallStreamState } from '../shared/stream.js';
import { count as num, samplingAttributes } from '../shared/usage.js';

/** One entry of a per-modality breakdown (@google/genai ModalityTokenCount). */
export interface ModalityTokenCountWire {
  /** MediaModality: TEXT, IMAGE, VIDEO, AUDIO, DOCUMENT (MODALITY_UNSPECIFIED). */
  modality?: string;
  tokenCount?: number;
}

/**
 * The parts of the Gemini / Vertex AI wire format (as @google/genai returns it) that we read; checked against
 * @google/genai 3.1 `dist/genai.d.ts` (GenerateContentResponseUsageMetadata, ModalityTokenCount, TrafficType).
 */
export interface GeminiUsageWire {
  promptTokenCount?: number;
  candidatesTokenCount?: number;
  cachedContentTokenCount?: number;
  thoughtsTokenCount?: number;
  toolUsePromptTokenCount?: number;
  totalTokenCount?: number;
  /** Per-modality parts of promptTokenCount (cached content included). */
  promptTokensDetails?: ModalityTokenCountWire[];
  /** Per-modality parts of cachedContentTokenCount. */
  cacheTokensDetails?: ModalityTokenCountWire[];
  /** Per-modality parts of candidatesTokenCount. */
  candidatesTokensDetails?: ModalityTokenCountWire[];
  /** Per-modality parts of toolUsePromptTokenCount. */
  toolUsePromptTokensDetails?: ModalityTokenCountWire[];
  /** Vertex AI only: ON_DEMAND, ON_DEMAND_PRIORITY, ON_DEMAND_FLEX, PROVISIONED_THROUGHPUT, ... */
  trafficType?: string;
  /** Gemini API (the SDK types it on the Live API's usage; read here where a response carries it): flex, standard, priority. */
  serviceTier?: string;
}

export interface GeminiResponseWire {
  candidates?: { finishReason?: string; content?: unknown }[];
  usageMetadata?: GeminiUsageWire;
  modelVersion?: string;
  responseId?: string;
}

export interface EmbedResponseWire {
  usageMetadata?: GeminiUsageWire;
}

/**
 * Gemini usage -> provider-neutral usage. `promptTokenCount` already includes `cachedContentTokenCount`;
 * tool-use prompt tokens are counted apart and billed as input. `candidatesTokenCount` EXCLUDES
 * `thoughtsTokenCount`, and both are billed as output: output = candidates + thoughts, reasoning = thoughts.
 */
export function toTokenUsage(u: GeminiUsageWire | undefined): TokenUsage | undefined {
  if (!u || typeof u !== 'object') return undefined;
  const prompt = num(u.promptTokenCount);
  const candidates = num(u.candidatesTokenCount);
  const thoughts = num(u.thoughtsTokenCount) ?? 0;
  if (prompt === undefined && candidates === undefined && !thoughts) return undefined;
  const usage: TokenUsage = {
    inputTokens: (prompt ?? 0) + (num(u.toolUsePromptTokenCount) ?? 0),
    outputTokens: (candidates ?? 0) + thoughts,
  };
  const cached = num(u.cachedContentTokenCount);
  if (cached) usage.cacheReadTokens = Math.min(cached, usage.inputTokens);
  if (thoughts) usage.reasoningTokens = thoughts;

  // Modality parts (each part of its total): prompt + tool-use prompt details are input, cache details the
  // cached part of the input, candidates details the output (thoughts are text).
  const input = (m: string) => modality(u.promptTokensDetails, m) + modality(u.toolUsePromptTokensDetails, m);
  const set = (key: keyof TokenUsage, count: number, max: number) => {
    if (count > 0) usage[key] = Math.min(count, max);
  };
  set('inputAudioTokens', input('AUDIO'), usage.inputTokens);
  set('inputImageTokens', input('IMAGE'), usage.inputTokens);
  set('inputVideoTokens', input('VIDEO'), usage.inputTokens);
  set(
    'cacheReadAudioTokens',
    modality(u.cacheTokensDetails, 'AUDIO'),
    Math.min(usage.cacheReadTokens ?? 0, usage.inputAudioTokens ?? 0),
  );
  set('outputAudioTokens', modality(u.candidatesTokensDetails, 'AUDIO'), usage.outputTokens);
  set('outputImageTokens', modality(u.candidatesTokensDetails, 'IMAGE'), usage.outputTokens);
  return usage;
}

/** Sum of the token counts of one modality in a breakdown list. */
function modality(details: ModalityTokenCountWire[] | undefined, name: string): number {
  if (!Array.isArray(details)) return 0;
  let total = 0;
  for (const d of details) {
    if (typeof d?.modality === 'string' && d.modality.toUpperCase() === name) total += num(d.tokenCount) ?? 0;
  }
  return total;
}

/** Vertex AI traffic types that are a price tier of on-demand (pay-as-you-go) traffic. */
const TRAFFIC_TIERS: Record<string, string> = { ON_DEMAND_PRIORITY: 'priority', ON_DEMAND_FLEX: 'flex' };

/**
 * The served tier as price context, only where the response reports one: Gemini API `serviceTier` (`flex`,
 * `priority`, `standard`), Vertex AI `trafficType` (ON_DEMAND_PRIORITY -> priority, ON_DEMAND_FLEX -> flex).
 */
export function priceContext(u: GeminiUsageWire | undefined): PriceContext | undefined {
  const tier = typeof u?.serviceTier === 'string' ? u.serviceTier.toLowerCase() : undefined;
  if (tier && tier !== 'unspecified' && tier !== 'service_tier_unspecified') return { service_tier: tier };
  const traffic = typeof u?.trafficType === 'string' ? TRAFFIC_TIERS[u.trafficType] : undefined;
  return traffic ? { service_tier: traffic } : undefined;
}

/** `models/gemini-2.5-pro`, `publishers/google/models/gemini-2.5-pro`, `google/gemini-2.5-pro` -> `gemini-2.5-pro`. */
export function modelName(model: unknown): string | undefined {
  if (typeof model !== 'string' || model === '') return undefined;
  const i = model.lastIndexOf('models/');
  if (i >= 0) return model.slice(i + 'models/'.length);
  const slash = model.lastIndexOf('/');
  return slash >= 0 ? model.slice(slash + 1) : model;
}

// biome-ignore lint/suspicious/noExplicitAny: request parameters are whatever the caller passed
export type Params = Record<string, any>;

export function requestAttributes(params: Params): Record<string, AttributeValue | undefined> {
  const config = params?.config ?? {};
  const attributes = samplingAttributes(config.maxOutputTokens, config.temperature, config.topP);
  attributes['gen_ai.request.top_k'] = typeof config.topK === 'number' ? config.topK : undefined;
  return attributes;
}

function finishReasons(resp: GeminiResponseWire): string[] | undefined {
  if (!Array.isArray(resp?.candidates)) return undefined;
  const reasons = resp.candidates.map((c) => c?.finishReason).filter((r): r is string => typeof r === 'string');
  return reasons.length ? reasons : undefined;
}

export function generateOutcome(resp: GeminiResponseWire): LlmCallOutcome {
  return {
    responseModel: resp?.modelVersion,
    responseId: resp?.responseId,
    finishReasons: finishReasons(resp),
    usage: toTokenUsage(resp?.usageMetadata),
    priceContext: priceContext(resp?.usageMetadata),
    outputContent: Array.isArray(resp?.candidates) ? resp.candidates.map((c) => c?.content) : undefined,
  };
}

export function embedOutcome(resp: EmbedResponseWire): LlmCallOutcome {
  const prompt = num(resp?.usageMetadata?.promptTokenCount);
  return { usage: prompt !== undefined ? { inputTokens: prompt, outputTokens: 0 } : undefined };
}

/** Stream chunks carry the usage so far (the last one the final usage) and the finish reason at the end. */
export class GenerateStreamState implements CallStreamState<GeminiResponseWire> {
  private model: string | undefined;
  private id: string | undefined;
  private usage: GeminiUsageWire | undefined;
  private reasons: string[] | undefined;

  onItem(chunk: GeminiResponseWire): void {
    if (!chunk || typeof chunk !== 'object') return;
    this.model ??= chunk.modelVersion;
    this.id ??= chunk.responseId;
    if (chunk.usageMetadata) this.usage = chunk.usageMetadata;
    const reasons = finishReasons(chunk);
    if (reasons) this.reasons = reasons;
  }

  outcome(abandoned: boolean): LlmCallOutcome {
    return {
      responseModel: this.model,
      responseId: this.id,
      finishReasons: this.reasons,
      usage: toTokenUsage(this.usage),
      priceContext: priceContext(this.usage),
      partial: abandoned || !this.reasons || undefined,
    };
  }
}
