import type { TokenUsage } from '@otel-llm-cost/pricing';
import type { LlmCallOutcome } from '../../core/llm-call.js';
import type { CallStreamState } from '../shared/stream.js';
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
  data?: unknown[] | null;
}

/**
 * Image models' usage: `input_tokens_details` splits the input into text and image tokens (toTokenUsage), and
 * the output is the generated image: `output_tokens_details.image_tokens` where the response has that breakdown
 * (ImagesResponse.Usage.output_tokens_details in openai 7), else all of `output_tokens` (gpt-image-1: "the number of image tokens in the output image").
 */
function imageUsage(u: OpenAIUsageWire | null | undefined): TokenUsage | undefined {
  const usage = toTokenUsage(u);
  if (usage && usage.outputImageTokens === undefined && !u?.output_tokens_details && usage.outputTokens > 0) {
    usage.outputImageTokens = usage.outputTokens;
  }
  return usage;
}

/**
 * The images returned are billed per image by models priced so (dall-e-2, dall-e-3, which report no usage):
 * their count is the usage then, which no price covers (`unsupported_usage`, never 0). Token-priced models
 * (gpt-image-1) are priced by their tokens; the count goes on the span too.
 */
export function imagesOutcome(resp: ImagesWire): LlmCallOutcome {
  const images = Array.isArray(resp?.data) ? resp.data.length : 0;
  const usage = imageUsage(resp?.usage) ?? (images > 0 ? { inputTokens: 0, outputTokens: 0 } : undefined);
  if (usage && images > 0) usage.images = images;
  return { usage, providerReportedCost: reportedCost(resp?.usage) };
}

/** Streamed image generation: the completed event carries the usage. */
export class ImagesStreamState implements CallStreamState<ImagesWire> {
  private usage: OpenAIUsageWire | undefined;

  onItem(event: ImagesWire): void {
    if (event?.usage) this.usage = event.usage;
  }

  outcome(partial: boolean): LlmCallOutcome {
    return {
      usage: imageUsage(this.usage),
      providerReportedCost: reportedCost(this.usage),
      partial: partial || undefined,
    };
  }
}
