import { type LlmTelemetry, startLlmCall } from '../../core/llm-call.js';
import type { Warnings } from '../../core/warn.js';
import { BoundedMap } from '../shared/bounded.js';
import type { ServerInfo } from '../shared/client.js';
import { isApiPromise } from '../shared/stainless.js';
import { watchItems } from './items.js';
import { type AnthropicMessageWire, messageOutcome, tierContext } from './usage.js';

/**
 * Message Batches results (`messages.batches.results(id)`, also `beta.messages.batches`): a JSONL stream of
 * `{ custom_id, result }`. Each `succeeded` result is one billed call that Anthropic ran earlier: it gets one
 * deferred `chat` span (no duration metric), priced from its Message's usage at the batch price
 * (`processing: batch`), when the caller reads it. `errored`, `canceled` and `expired` results are not billed:
 * no span. Creating and retrieving a batch bills nothing (no span of ours; SDK 1.x traces those calls itself,
 * as spans that are no model call).
 *
 * Counted once per process: results can be downloaded again, so (batch id, custom_id) pairs already priced are
 * remembered (the newest 10,000). Not deduplicated across processes: two processes (or one after a restart)
 * that both read the same batch's results both price them.
 */

/** The priced (batch id, custom_id) pairs, the newest 10,000. */
const seen = new BoundedMap<string, true>(10_000);

interface BatchResultLine {
  custom_id?: unknown;
  result?: { type?: unknown; message?: AnthropicMessageWire } | null;
}

export interface BatchSource extends ServerInfo {
  provider: string;
  batchId: string;
}

/** Ends one deferred span for a succeeded result not seen before; nothing for any other line. */
export function recordBatchResult(telemetry: LlmTelemetry, source: BatchSource, line: BatchResultLine): void {
  const message = line?.result?.type === 'succeeded' ? line.result.message : undefined;
  if (!message || typeof message !== 'object' || typeof line.custom_id !== 'string') return;
  if (!seen.firstTime(`${source.batchId}\u0000${line.custom_id}`, true)) return;
  const outcome = messageOutcome(message);
  const call = startLlmCall(telemetry, {
    provider: source.provider,
    operation: 'chat',
    requestModel: typeof message.model === 'string' ? message.model : undefined,
    serverAddress: source.serverAddress,
    serverPort: source.serverPort,
    deferred: true,
    attributes: {
      'anthropic.message.batch.id': source.batchId,
      'anthropic.message.batch.custom_id': line.custom_id,
    },
  });
  // A batch result is billed at the batch price whatever else its usage says.
  call.succeed({ ...outcome, priceContext: { ...outcome.priceContext, ...tierContext('batch') } });
}

/**
 * Watches the results decoder that `results()` resolves to (a promise; the caller gets it unchanged) and
 * records each line as the caller reads it.
 */
export function observeBatchResults(
  result: unknown,
  telemetry: LlmTelemetry,
  source: BatchSource,
  warnings: Warnings,
): void {
  // results() is an async method: a plain promise. An APIPromise would be parsed by then(): leave it alone.
  if (!result || typeof (result as Promise<unknown>).then !== 'function' || isApiPromise(result)) return;
  (result as Promise<unknown>).then(
    (decoder) => {
      try {
        if (decoder && typeof decoder === 'object' && Symbol.asyncIterator in decoder)
          watchItems<BatchResultLine>(
            decoder,
            Symbol.asyncIterator,
            (line) => recordBatchResult(telemetry, source, line),
            warnings,
          );
      } catch (error) {
        warnings.internalError('anthropic messages.batches.results (result)', error);
      }
    },
    () => {
      // The caller sees the rejection on the promise it holds; nothing was billed.
    },
  );
}
