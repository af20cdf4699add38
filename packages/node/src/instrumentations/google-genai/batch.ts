import { type LlmCallStart, type LlmTelemetry, startLlmCall } from '../../core/llm-call.js';
import { BoundedMap } from '../shared/bounded.js';
import { GENAI_ATTR } from './jobs.js';
import { type GeminiResponseWire, generateOutcome, modelName } from './usage.js';

/**
 * Gemini API Batch results (batches.get of a job built from inlined requests): each
 * `dest.inlinedResponses[i].response` is one generateContent request the provider ran in the batch, billed at
 * the batch price. Each becomes one deferred span (no duration metric), priced with `processing: batch`.
 */

/** The parts of @google/genai 3.1 `BatchJob` that we read. */
export interface BatchJobWire {
  name?: string;
  model?: string;
  dest?: {
    fileName?: string;
    inlinedResponses?: { response?: GeminiResponseWire; error?: unknown }[];
  };
}

/**
 * Results already recorded, as `batch name#index`: a job polled again (or fetched by several callers) is
 * priced once per process. Bounded: the oldest entries go first. Not deduplicated across processes or
 * restarts: two processes that fetch the same finished job both record its results.
 */
const seen = new BoundedMap<string, true>(10_000);

/**
 * Records the results of `job` not recorded before, one deferred span each, in the active context (the caller
 * of batches.get). A result with an error and no usage was not billed and is skipped. Results in a file
 * (`dest.fileName`, read with files.download) are not seen here.
 */
export function recordBatchResults(
  telemetry: LlmTelemetry,
  job: BatchJobWire,
  start: Pick<LlmCallStart, 'provider' | 'serverAddress' | 'serverPort'>,
): void {
  const responses = job?.dest?.inlinedResponses;
  if (typeof job?.name !== 'string' || !Array.isArray(responses)) return;
  responses.forEach((item, index) => {
    const response = item?.response;
    const key = `${job.name}#${index}`;
    if (!response?.usageMetadata || seen.has(key)) return;
    const call = startLlmCall(telemetry, {
      ...start,
      operation: 'generate_content',
      requestModel: modelName(job.model),
      deferred: true,
      attributes: { [GENAI_ATTR.BATCH_NAME]: job.name, [GENAI_ATTR.BATCH_INDEX]: index },
    });
    seen.set(key, true);
    const outcome = generateOutcome(response);
    call.succeed({ ...outcome, priceContext: { ...outcome.priceContext, processing: 'batch' } });
  });
}
