import type { LlmCall } from '../../core/llm-call.js';
import { type ApiPromiseObserver, isApiPromise, observeApiPromise } from './stainless.js';

/**
 * Ending a call from what a client method returned. Nothing here changes what the caller gets, or when:
 * the observer records the resolved data (and may take over a stream); a rejection ends the call as failed.
 */

/**
 * What a client does with one call's result: one object per call (its fields are the call's state), so that
 * observing a call allocates no closures. `onResult` records the resolved data and returns it unchanged.
 */
export abstract class CallResultObserver implements ApiPromiseObserver<unknown> {
  constructor(readonly call: LlmCall) {}

  abstract onResult(data: unknown): unknown;

  /** How warnings name this result (`openai chat (result)`); built only when something goes wrong. */
  abstract label(): string;

  onError(error: unknown): void {
    this.call.fail(error);
  }

  onRawResponse(): void {
    this.call.succeed({});
  }
}

/**
 * For Stainless clients (openai, @anthropic-ai/sdk): an APIPromise is handed back as an APIPromise (lazy
 * parsing kept); a plain promise is handed back as it is; a value is passed through the observer.
 */
export function observeCallResult(result: unknown, observer: CallResultObserver): unknown {
  if (isApiPromise(result)) return observeApiPromise(result, observer, observer.call.runtime.warnings);
  if (result && typeof (result as Promise<unknown>).then === 'function') {
    (result as Promise<unknown>).then(
      (data) => {
        try {
          observer.onResult(data);
        } catch (error) {
          observer.call.runtime.warnings.internalError(observer.label(), error);
        }
      },
      (error: unknown) => observer.onError(error),
    );
    return result;
  }
  return observer.onResult(result);
}

/** observeCallResult with the result read by a function. */
class FunctionResultObserver extends CallResultObserver {
  constructor(
    call: LlmCall,
    private readonly onData: (data: unknown) => unknown,
    private readonly what: string,
  ) {
    super(call);
  }

  onResult(data: unknown): unknown {
    return this.onData(data);
  }

  label(): string {
    return this.what;
  }
}

/** observeCallResult, reading the result with `onData` (`what` names it in warnings). */
export function observeResult(
  result: unknown,
  call: LlmCall,
  onData: (data: unknown) => unknown,
  what: string,
): unknown {
  return observeCallResult(result, new FunctionResultObserver(call, onData, what));
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
