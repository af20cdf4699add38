import type { LlmCallOutcome } from '../../core/llm-call.js';
import type { EmbeddingsWire, RequestBody } from './types.js';
import { reportedCost, toTokenUsage } from './usage.js';

/** gen_ai.embeddings.dimension.count; undefined when the request does not set it (no object per call). */
export function embeddingsAttributes(body: RequestBody): Record<string, number> | undefined {
  return typeof body.dimensions === 'number' ? { 'gen_ai.embeddings.dimension.count': body.dimensions } : undefined;
}

export function embeddingsOutcome(resp: EmbeddingsWire): LlmCallOutcome {
  const usage = toTokenUsage(resp?.usage ? { ...resp.usage, completion_tokens: 0 } : undefined);
  return { responseModel: resp?.model, usage, providerReportedCost: reportedCost(resp?.usage) };
}
