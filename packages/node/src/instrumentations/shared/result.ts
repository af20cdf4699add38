import type { LlmCall } from '../../core/llm-call.js';
import { isApiPromise, observeApiPromise } from './stainless.js';

/**
 * Ending a call from what a client method returned. Nothing here changes what the caller gets, or when:
 * `onData` records the resolved data (and may take over a stream); a rejection ends the call as failed.
 */

/**
 * For Stainless clients (openai, @anthropic-ai/sdk): an APIPromise is handed back as an APIPromise (lazy
 * parsing kept); a plain promise is handed back as it is; a value is passed through onData.
 */
export function observeResult(
  result: unknown,
  call: LlmCall,
  onData: (data: unknown) => unknown,
  what: string,
): unknown {
  if (isApiPromise(result)) {
    return observeApiPromise(
      result,
      {
        onResult: onData,
        onError: (error) => call.fail(error),
        onRawResponse: () => call.succeed({}),
      },
      call.runtime.warnings,
    );
  }
  if (result && typeof (result as Promise<unknown>).then === 'function') {
    (result as Promise<unknown>).then(
      (data) => {
        try {
          onData(data);
        } catch (error) {
          call.runtime.warnings.internalError(what, error);
        }
      },
      (error: unknown) => call.fail(error),
    );
    return result;
  }
  return onData(result);
}

/** For clients whose methods return a plain promise (@google/genai, the AWS SDK): the caller gets the chained promise. */
export function observePromise(
  result: Promise<unknown>,
  call: LlmCall,
  onData: (data: unknown) => void,
  what: string,
): Promise<unknown> {
  return result.then(
    (data) => {
      try {
        onData(data);
      } catch (error) {
        call.runtime.warnings.internalError(what, error);
      }
      return data;
    },
    (error: unknown) => {
      call.fail(error);
      throw error;
    },
  );
}
