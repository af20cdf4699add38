import type { LlmCallOutcome } from '../../core/llm-call.js';
import type { OpenAIUsageWire, RequestBody } from './types.js';
import { reportedCost, toTokenUsage } from './usage.js';

/** images.generate: token-priced image models (gpt-image-1) report input/output tokens; others report none. */

export function imagesAttributes(body: RequestBody): Record<string, string | number | undefined> {
  return {
    'gen_ai.request.image.count': typeof body.n === 'number' ? body.n : undefined,
    'gen_ai.request.image.size': typeof body.size === 'string' ? body.size : undefined,
  };
}

interface ImagesWire {
  usage?: OpenAIUsageWire | null;
  type?: string;
}

export function imagesOutcome(resp: ImagesWire): LlmCallOutcome {
  return { usage: toTokenUsage(resp?.usage), providerReportedCost: reportedCost(resp?.usage) };
}

/** Streamed image generation: the completed event carries the usage. */
export class ImagesStreamState {
  private usage: OpenAIUsageWire | undefined;

  onEvent(event: ImagesWire): void {
    if (event?.usage) this.usage = event.usage;
  }

  outcome(partial: boolean): LlmCallOutcome {
    return {
      usage: toTokenUsage(this.usage),
      providerReportedCost: reportedCost(this.usage),
      partial: partial || undefined,
    };
  }
}
