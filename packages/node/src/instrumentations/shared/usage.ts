import type { AttributeValue } from '@opentelemetry/api';
import type { TokenUsage } from '@otel-llm-cost/pricing';
import { ATTR } from '../../core/names.js';

/** Reading what clients report: token counts and the request's sampling parameters. */

/** A token count: a finite number >= 0, else undefined. */
export const count = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined;

/**
 * Usage of a dialect whose input count EXCLUDES cache reads and writes (Anthropic Messages, Bedrock Converse):
 * all input = input + read + write; `write1h` is the part of the writes with the 1-hour TTL (priced apart).
 */
export function cacheExclusiveUsage(
  input: number | undefined,
  output: number | undefined,
  read = 0,
  write = 0,
  write1h = 0,
): TokenUsage {
  const usage: TokenUsage = { inputTokens: (input ?? 0) + read + write, outputTokens: output ?? 0 };
  if (read) usage.cacheReadTokens = read;
  if (write) usage.cacheWriteTokens = write;
  if (write && write1h) usage.cacheWrite1hTokens = Math.min(write1h, write);
  return usage;
}

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/** gen_ai.request.max_tokens / temperature / top_p (numbers only); callers add their client's extras. */
export function samplingAttributes(
  maxTokens: unknown,
  temperature: unknown,
  topP: unknown,
): Record<string, AttributeValue | undefined> {
  return {
    [ATTR.REQUEST_MAX_TOKENS]: num(maxTokens),
    [ATTR.REQUEST_TEMPERATURE]: num(temperature),
    [ATTR.REQUEST_TOP_P]: num(topP),
  };
}
