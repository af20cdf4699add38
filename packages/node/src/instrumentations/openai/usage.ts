import type { PriceContext, TokenUsage } from '@otel-llm-cost/pricing';
import type { LlmCallOutcome } from '../../core/llm-call.js';
import { ATTR } from '../../core/names.js';
import type { OpenAIUsageWire } from './types.js';

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
/** A positive count, capped at `max` (a part can never exceed its total). */
const part = (v: unknown, max: number): number | undefined => {
  const n = num(v);
  return n !== undefined && n > 0 ? Math.min(n, max) : undefined;
};

/**
 * OpenAI usage -> provider-neutral usage. prompt/input tokens already include cached tokens and
 * completion/output tokens already include reasoning tokens, so subsets are copied, never added. The same
 * holds for the modality parts: `prompt_tokens_details.audio_tokens` / `image_tokens` are part of
 * prompt_tokens, `completion_tokens_details.audio_tokens` part of completion_tokens (Responses API and images:
 * `input_tokens_details` / `output_tokens_details`).
 */
export function toTokenUsage(u: OpenAIUsageWire | null | undefined): TokenUsage | undefined {
  if (!u || typeof u !== 'object') return undefined;
  const input = num(u.prompt_tokens) ?? num(u.input_tokens);
  const output = num(u.completion_tokens) ?? num(u.output_tokens) ?? (input !== undefined ? 0 : undefined);
  if (input === undefined || output === undefined) return undefined;
  const usage: TokenUsage = { inputTokens: input, outputTokens: output };
  const inDetails = u.prompt_tokens_details ?? u.input_tokens_details;
  const outDetails = u.completion_tokens_details ?? u.output_tokens_details;
  const cached = num(u.prompt_tokens_details?.cached_tokens) ?? num(u.input_tokens_details?.cached_tokens);
  const reasoning =
    num(u.completion_tokens_details?.reasoning_tokens) ?? num(u.output_tokens_details?.reasoning_tokens);
  if (cached) usage.cacheReadTokens = cached;
  if (reasoning) usage.reasoningTokens = reasoning;
  // Prompt tokens written to the cache (openai 7: prompt_tokens_details / input_tokens_details.cache_write_tokens),
  // part of the prompt; models such as gpt-6.1-sol price them apart ($2.50/M against $2 uncached).
  const written = part(inDetails?.cache_write_tokens, input - (cached ?? 0));
  if (written) usage.cacheWriteTokens = written;

  const audioIn = part(inDetails?.audio_tokens, input);
  const imageIn = part(inDetails?.image_tokens, input);
  if (audioIn) usage.inputAudioTokens = audioIn;
  if (imageIn) usage.inputImageTokens = imageIn;
  const cachedAudio = part(inDetails?.cached_tokens_details?.audio_tokens, Math.min(cached ?? 0, audioIn ?? 0));
  if (cachedAudio) usage.cacheReadAudioTokens = cachedAudio;
  const audioOut = part(outDetails?.audio_tokens, output);
  const imageOut = part(outDetails?.image_tokens, output);
  if (audioOut) usage.outputAudioTokens = audioOut;
  if (imageOut) usage.outputImageTokens = imageOut;
  return usage;
}

/** OpenRouter-style `usage.cost` (USD), when present. */
export function reportedCost(u: OpenAIUsageWire | null | undefined): number | undefined {
  return num(u?.cost);
}

/**
 * The tier a response says served the request, or undefined. `auto` is a request value (the Responses API
 * echoes it in `response.created` before the served tier is known): it is never what was billed.
 */
export function servedTier(tier: unknown): string | undefined {
  return typeof tier === 'string' && tier !== '' && tier !== 'auto' ? tier : undefined;
}

/**
 * The served tier as price context and as the semconv span attribute. The served value is what is billed:
 * a request for `auto` that came back `priority` is priced at priority.
 */
export function tierOutcome(tier: unknown): TierOutcome {
  const served = servedTier(tier);
  if (!served) return NO_TIER;
  let outcome = TIER_OUTCOMES.get(served);
  if (!outcome) {
    const priceContext: PriceContext = Object.freeze({ service_tier: served });
    outcome = Object.freeze({
      priceContext,
      attributes: Object.freeze({ [ATTR.OPENAI_RESPONSE_SERVICE_TIER]: served }),
    });
    if (TIER_OUTCOMES.size < 64) TIER_OUTCOMES.set(served, outcome); // a handful of tiers; never unbounded
  }
  return outcome;
}

type TierOutcome = Pick<LlmCallOutcome, 'priceContext' | 'attributes'>;

/** Built once per tier and shared by every call (frozen: nobody may change another call's outcome). */
const TIER_OUTCOMES = new Map<string, TierOutcome>();
const NO_TIER: TierOutcome = Object.freeze({});
