import type { LlmCallOutcome, LlmCallStart } from '../../core/llm-call.js';
import { count } from '../shared/usage.js';
import { type Input, modelIdOf } from './usage.js';

/**
 * StartAsyncInvoke: an asynchronous job (Nova Reel and Luma Ray videos, TwelveLabs Marengo embeddings) whose
 * output lands in S3. The span is the start call, its id the invocation ARN. A video job is billed per second
 * of video, which genai-prices has no unit for: its usage is the seconds asked for (`outputVideoSeconds`), so
 * it is unpriced `unsupported_usage` with the count on the span, never 0. A job that names no duration (an
 * embedding job) reports no usage at all: unpriced `no_usage`. It is `deferred`: the provider runs the job
 * elsewhere, later, so its duration would time the submission, not the generation.
 * GetAsyncInvoke / ListAsyncInvokes only read a job's state: not billed, no span.
 */

/** Nova Reel `modelInput.videoGenerationConfig.durationSeconds`: the seconds of video asked for (the billed unit). */
function videoSeconds(input: Input): number | undefined {
  return count(input?.modelInput?.videoGenerationConfig?.durationSeconds);
}

export function asyncInvokeStart(input: Input): LlmCallStart {
  const model = modelIdOf(input?.modelId);
  return {
    provider: 'aws.bedrock',
    operation: /embed/i.test(model ?? '') ? 'embeddings' : 'video_generation',
    requestModel: model,
    inputContent: input?.modelInput,
    deferred: true,
  };
}

export function asyncInvokeOutcome(
  out: { invocationArn?: unknown },
  model: string | undefined,
  input: Input,
): LlmCallOutcome {
  const seconds = videoSeconds(input);
  return {
    responseModel: model,
    responseId: typeof out?.invocationArn === 'string' ? out.invocationArn : undefined,
    usage: seconds !== undefined ? { inputTokens: 0, outputTokens: 0, outputVideoSeconds: seconds } : undefined,
  };
}
