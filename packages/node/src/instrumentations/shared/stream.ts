import type { LlmCall, LlmCallOutcome } from '../../core/llm-call.js';

/**
 * The one observer of streamed results, for every client: it wraps the stream's async iterator in place
 * (the caller keeps the SDK's own objects), feeds each item to a client's stream state, and ends the call
 * when the stream completes, fails, or is left early (break, return, abort) with what was seen so far.
 */

/** What a client knows about one stream: how to read an item, and the outcome so far. */
export interface CallStreamState<Item = unknown> {
  /** Each item the caller receives (and each one kept from it, see `hide`). */
  onItem(item: Item): void;
  /** The outcome so far; `partial`: the stream did not run to its end. */
  outcome(partial: boolean): LlmCallOutcome;
  /** True for an item that carries content (the first one marks time to first chunk); absent: every item. */
  isContent?(item: Item): boolean;
  /** True to keep an item from the caller (e.g. a usage-only chunk the caller never asked for). */
  hide?(item: Item): boolean;
}

/** A Stainless Stream's abort controller: an abort error, or an aborted controller at the end, means the caller left. */
export interface Abortable {
  controller?: AbortController;
}

type Ending = 'complete' | 'abandoned' | 'error';

interface MutableIterator<Item> {
  next(...args: [] | [unknown]): Promise<IteratorResult<Item>>;
  return?(value?: unknown): Promise<IteratorResult<Item>>;
  throw?(error?: unknown): Promise<IteratorResult<Item>>;
}

function isAbortError(error: unknown): boolean {
  const e = error as { name?: unknown; constructor?: { name?: unknown } } | null;
  return e?.name === 'AbortError' || e?.constructor?.name === 'APIUserAbortError';
}

/**
 * One stream's observation. Per item it allocates nothing but the promise next() must return (chained to the
 * SDK's, so an item can be hidden before the caller sees it): the handlers are bound once per stream, and the
 * resolution takes as many ticks as the async wrapper it replaces (the SDK's promise, then ours).
 */
class StreamObservation<Item> {
  private ended = false;
  /** The first content item was seen (time to first chunk is marked once). */
  private started = false;
  private it!: MutableIterator<Item>;
  private next!: MutableIterator<Item>['next'];
  /** next()'s argument, passed again when a hidden item is skipped (for-await passes none). */
  private hasArg = false;
  private arg: unknown;

  private readonly onNext = (result: IteratorResult<Item>): IteratorResult<Item> | Promise<IteratorResult<Item>> => {
    if (result.done) {
      this.done();
      return result;
    }
    return this.item(result.value) ? this.pull() : result;
  };

  private readonly onFail = (error: unknown): never => {
    this.failed(error);
    throw error;
  };

  constructor(
    private readonly call: LlmCall,
    private readonly state: CallStreamState<Item>,
    private readonly abortable: Abortable | undefined,
  ) {}

  end(how: Ending, error?: unknown): void {
    if (this.ended) return;
    this.ended = true;
    try {
      if (how === 'error') this.call.fail(error, this.state.outcome(true));
      else this.call.succeed(this.state.outcome(how === 'abandoned'));
    } catch (e) {
      this.call.runtime.warnings.internalError('ending a stream observation', e);
    }
  }

  failed(error: unknown): void {
    // A Stainless SDK aborts its controller on any failure, so only an abort error means the caller aborted.
    this.end(this.abortable && isAbortError(error) ? 'abandoned' : 'error', error);
  }

  done(): void {
    this.end(this.abortable?.controller?.signal?.aborted === true ? 'abandoned' : 'complete');
  }

  /** Records an item; true when the caller must not see it. */
  item(item: Item): boolean {
    try {
      if (!this.started && this.state.isContent?.(item) !== false) {
        this.started = true;
        this.call.firstChunk();
      }
      this.state.onItem(item);
      return this.state.hide?.(item) === true;
    } catch (e) {
      this.call.runtime.warnings.internalError('observing a stream item', e);
      return false;
    }
  }

  /** The SDK's next(), chained to our handlers; a synchronous throw becomes a rejection, as from an async next. */
  pull(): Promise<IteratorResult<Item>> {
    let result: Promise<IteratorResult<Item>>;
    try {
      result = this.hasArg ? this.next.call(this.it, this.arg) : this.next.call(this.it);
    } catch (error) {
      this.failed(error);
      return Promise.reject(error);
    }
    return Promise.resolve(result).then(this.onNext, this.onFail);
  }

  /** Wraps next / return / throw of `it` in place. */
  patch(it: MutableIterator<Item>): void {
    this.it = it;
    this.next = it.next;
    const ret = it.return;
    const thr = it.throw;
    const observation = this;
    it.next = function (this: unknown, value?: unknown) {
      // biome-ignore lint/complexity/noArguments: next() and next(undefined) are passed on as they came, without a rest array per item
      observation.hasArg = arguments.length > 0;
      observation.arg = value;
      return observation.pull();
    };
    it.return = async (value?: unknown) => {
      this.end('abandoned');
      if (typeof ret === 'function') return ret.call(it, value);
      return { done: true, value: value as Item };
    };
    it.throw = async (error?: unknown) => {
      this.end('error', error);
      if (typeof thr === 'function') return thr.call(it, error);
      throw error;
    };
  }
}

/** Observes an async iterator (e.g. an async generator the SDK returned) in place, ending `call` with it. */
export function observeIterator<Item>(
  iterator: AsyncIterator<Item>,
  call: LlmCall,
  state: CallStreamState<Item>,
  abortable?: Abortable,
): void {
  new StreamObservation(call, state, abortable).patch(iterator as MutableIterator<Item>);
}

/**
 * Observes the first iterator that `source[method]()` hands out (a Stainless Stream's `iterator`, an event
 * stream's `Symbol.asyncIterator`), leaving the source object as it is otherwise.
 */
export function observeIterable<Item>(
  source: object,
  method: 'iterator' | typeof Symbol.asyncIterator,
  call: LlmCall,
  state: CallStreamState<Item>,
  abortable?: Abortable,
): void {
  const target = source as Record<typeof method, (...args: unknown[]) => AsyncIterator<Item>>;
  const original = target[method];
  let observed = false;
  target[method] = function (this: unknown, ...args: unknown[]) {
    const it = original.apply(this, args);
    if (observed || !it || typeof it.next !== 'function') return it;
    observed = true;
    observeIterator(it, call, state, abortable);
    return it;
  };
}
