import type { TokenUsage } from '@otel-llm-cost/pricing';
import type { OpenAIUsageWire } from './types.js';

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * OpenAI usage -> provider-neutral usage. prompt/input tokens already include cached tokens and
 * completion/output tokens already include reasoning tokens, so subsets are copied, never added.
 */
export function toTokenUsage(u: OpenAIUsageWire | null | undefined): TokenUsage | undefined {
  if (!u || typeof u !== 'object') return undefined;
  const input = num(u.prompt_tokens) ?? num(u.input_tokens);
  const output = num(u.completion_tokens) ?? num(u.output_tokens) ?? (input !== undefined ? 0 : undefined);
  if (input === undefined || output === undefined) return undefined;
  const usage: TokenUsage = { inputTokens: input, outputTokens: output };
  const cached = num(u.prompt_tokens_details?.cached_tokens) ?? num(u.input_tokens_details?.cached_tokens);
  const reasoning =
    num(u.completion_tokens_details?.reasoning_tokens) ?? num(u.output_tokens_details?.reasoning_tokens);
  if (cached) usage.cacheReadTokens = cached;
  if (reasoning) usage.reasoningTokens = reasoning;
  return usage;
}

/** OpenRouter-style `usage.cost` (USD), when present. */
export function reportedCost(u: OpenAIUsageWire | null | undefined): number | undefined {
  return num(u?.cost);
}
