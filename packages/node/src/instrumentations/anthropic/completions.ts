import type { AttributeValue } from '@opentelemetry/api';
import type { LlmCallOutcome } from '../../core/llm-call.js';
import type { CallStreamState } from '../shared/stream.js';
import { samplingAttributes } from '../shared/usage.js';
import type { RequestBody } from './usage.js';

/**
 * The legacy Text Completions API (`completions.create`, `POST /v1/complete`; the SDK dropped it in 1.x):
 * operation `text_completion`. Its wire format reports no usage at all (a Completion is id, model, completion,
 * stop_reason; a stream is `completion` events), so such a call is unpriced `no_usage`, never 0.
 */

export interface CompletionWire {
  id?: string;
  model?: string;
  completion?: string;
  stop_reason?: string | null;
}

export function completionRequestAttributes(body: RequestBody): Record<string, AttributeValue | undefined> {
  const attributes = samplingAttributes(body.max_tokens_to_sample, body.temperature, body.top_p);
  attributes['gen_ai.request.top_k'] = typeof body.top_k === 'number' ? body.top_k : undefined;
  attributes['gen_ai.request.stream'] = body.stream === true ? true : undefined;
  return attributes;
}

export function completionOutcome(c: CompletionWire): LlmCallOutcome {
  return {
    responseModel: c?.model,
    responseId: c?.id,
    finishReasons: typeof c?.stop_reason === 'string' ? [c.stop_reason] : undefined,
    outputContent: c?.completion,
  };
}

/** Accumulates a Text Completions stream: each `completion` event has the next text; the last, the stop reason. */
export class CompletionStreamState implements CallStreamState<CompletionWire & { type?: string }> {
  private readonly seen: CompletionWire = { completion: '' };

  isContent(event: { type?: string }): boolean {
    return event?.type === 'completion';
  }

  onItem(event: CompletionWire & { type?: string }): void {
    if (event?.type !== 'completion') return;
    this.seen.id ??= event.id;
    this.seen.model ??= event.model;
    if (typeof event.completion === 'string') this.seen.completion += event.completion;
    if (event.stop_reason) this.seen.stop_reason = event.stop_reason;
  }

  outcome(abandoned: boolean): LlmCallOutcome {
    return { ...completionOutcome(this.seen), partial: abandoned || undefined };
  }
}
