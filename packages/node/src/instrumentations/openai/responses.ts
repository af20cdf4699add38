import type { LlmCallOutcome } from '../../core/llm-call.js';
import type { CallStreamState } from '../shared/stream.js';
import type { ResponseStreamEventWire, ResponseWire } from './types.js';
import { reportedCost, servedTier, tierOutcome, toTokenUsage } from './usage.js';
import { withWebSearches } from './web-search.js';

/** Responses API: response and stream-event mapping. */

function finishReason(resp: ResponseWire): string[] | undefined {
  switch (resp?.status) {
    case 'completed':
      return ['stop'];
    case 'incomplete':
      return [resp.incomplete_details?.reason ?? 'incomplete'];
    case 'failed':
      return ['error'];
    default:
      return undefined;
  }
}

export function responseOutcome(resp: ResponseWire): LlmCallOutcome {
  return {
    responseModel: resp?.model,
    responseId: resp?.id,
    finishReasons: finishReason(resp),
    usage: withWebSearches(toTokenUsage(resp?.usage), resp?.output),
    providerReportedCost: reportedCost(resp?.usage),
    ...tierOutcome(resp?.service_tier),
    outputContent: resp?.output,
  };
}

const FINAL_EVENTS = new Set(['response.completed', 'response.incomplete', 'response.failed']);

export class ResponseStreamState implements CallStreamState<ResponseStreamEventWire> {
  private latest: ResponseWire | undefined;
  /** The served tier (response.completed); response.created / in_progress echo the requested `auto`. */
  private tier: string | undefined;
  private final = false;

  onItem(event: ResponseStreamEventWire): void {
    if (!event || typeof event !== 'object' || !event.response) return;
    this.latest = event.response;
    this.tier = servedTier(event.response.service_tier) ?? this.tier;
    if (event.type && FINAL_EVENTS.has(event.type)) this.final = true;
  }

  outcome(partial: boolean): LlmCallOutcome {
    const outcome = this.latest ? responseOutcome({ ...this.latest, service_tier: this.tier }) : {};
    return { ...outcome, partial: partial || !this.final || undefined };
  }
}
