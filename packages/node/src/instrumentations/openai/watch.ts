import { type AttributeValue, type Context, context } from '@opentelemetry/api';
import { withAttribution } from '../../attribution/scope.js';
import type { LlmCallOutcome, LlmCallStart, LlmTelemetry } from '../../core/llm-call.js';
import { startLlmCall } from '../../core/llm-call.js';
import type { Warnings } from '../../core/warn.js';
import { isApiPromise, observeApiPromise } from '../shared/stainless.js';
import { providerFor, type ServerInfo } from './provider.js';
import type { OpenAIInstrumentationConfig } from './types.js';

/**
 * Methods that are no model call themselves but tell us about one billed elsewhere or later (batches and their
 * result files, background responses). A watch reads what the method returned, never starts a span for the
 * method, and may record deferred calls (`recordDeferred`) from what it read.
 */

type Method = (this: unknown, ...args: unknown[]) => unknown;

/** What a watch gets from the instrumentation. */
export interface WatchHost {
  telemetry(): Required<LlmTelemetry>;
  config(): OpenAIInstrumentationConfig;
}

export interface Watch<State = unknown> {
  /** Where the method lives on the OpenAI class (e.g. ['Batches']) and its name. */
  path: string[];
  method: string;
  /** Before the call: what to keep for its result; undefined leaves the call alone. */
  before(host: WatchHost, self: unknown, args: unknown[]): State | undefined;
  /** Reads the result; returns what the caller gets (the result itself, or the SDK's own promise type). */
  after(host: WatchHost, result: unknown, state: State): unknown;
}

/** The method wrapped by `watch`; a failure of ours is logged, never the caller's. */
export function watched<State>(watch: Watch<State>, host: WatchHost, original: Method): Method {
  return function watchedMethod(this: unknown, ...args: unknown[]) {
    let state: State | undefined;
    try {
      state = watch.before(host, this, args);
    } catch (error) {
      internalError(host, `openai ${watch.method} (before the call)`, error);
    }
    const result = original.apply(this, args);
    if (state === undefined) return result;
    try {
      return watch.after(host, result, state);
    } catch (error) {
      internalError(host, `openai ${watch.method} (observing the result)`, error);
      return result;
    }
  };
}

/** Logs a failure of ours; never throws, even when the telemetry itself cannot be had. */
function internalError(host: WatchHost, what: string, error: unknown): void {
  try {
    host.telemetry().runtime.warnings.internalError(what, error);
  } catch {
    // nothing left to report to
  }
}

type Layered = Method & { __original?: Method; __wrapped?: boolean; __unwrap?: () => void; __llmcostWatch?: true };

function define(target: object, name: string, value: unknown): void {
  Object.defineProperty(target, name, { configurable: true, enumerable: false, writable: true, value });
}

/**
 * Wraps `owner[watch.method]` over whatever is there (Responses.create also has the call skeleton's wrapper, which
 * OTel's `_wrap` would replace), marked as a shimmer wrapper: `isWrapped` sees it and its `__unwrap` restores the
 * function it wrapped. Patching again is a no-op.
 */
export function layerWatch(owner: Record<string, unknown>, watch: Watch, host: WatchHost): void {
  const current = owner[watch.method] as Layered;
  if (Object.hasOwn(owner, watch.method) && current.__llmcostWatch) return;
  const wrapper = watched(watch, host, current) as Layered;
  define(wrapper, '__original', current);
  define(wrapper, '__wrapped', true);
  define(wrapper, '__llmcostWatch', true);
  define(wrapper, '__unwrap', () => {
    if (owner[watch.method] === wrapper) define(owner, watch.method, current);
  });
  define(owner, watch.method, wrapper);
}

/** Removes the watch's wrapper (before the call skeleton removes its own). */
export function unlayerWatch(owner: Record<string, unknown>, watch: Watch): void {
  const current = owner[watch.method] as Layered | undefined;
  if (Object.hasOwn(owner, watch.method) && current?.__llmcostWatch) current.__unwrap?.();
}

/** Hands `data` of an APIPromise to `onData` when the caller consumes it; the caller gets the same promise type. */
export function watchResult(result: unknown, warnings: Warnings, onData: (data: unknown) => void): unknown {
  if (!isApiPromise(result)) return result;
  return observeApiPromise(
    result,
    {
      onResult(data) {
        try {
          onData(data);
        } catch (error) {
          warnings.internalError('openai (reading a result)', error);
        }
        return data;
      },
      onError() {},
      onRawResponse() {},
    },
    warnings,
  );
}

/**
 * Hands what a list's PagePromise resolves to (its first page) to `onData`, when the caller awaits or iterates it.
 * Only the promise's own `then` is wrapped (openai 7 binds it per PagePromise), so the caller keeps the PagePromise
 * (auto-pagination) and `asResponse()`.
 */
export function watchParsed(result: unknown, warnings: Warnings, onData: (data: unknown) => void): unknown {
  const then = (result as Promise<unknown> | undefined)?.then;
  if (!isApiPromise(result) || typeof then !== 'function') return result;
  const read = (data: unknown) => {
    try {
      onData(data);
    } catch (error) {
      warnings.internalError('openai (reading a list)', error);
    }
  };
  Object.defineProperty(result, 'then', {
    configurable: true,
    writable: true,
    value: function (this: unknown, onFulfilled?: (v: unknown) => unknown, onRejected?: (e: unknown) => unknown) {
      return then.call(
        this,
        (data: unknown) => {
          read(data);
          return onFulfilled ? onFulfilled(data) : data;
        },
        onRejected,
      );
    },
  });
  return result;
}

/** The provider and server of the client a resource method was called on. */
export function serverOfClient(host: WatchHost, self: unknown): ServerInfo {
  const client = (self as { _client?: { baseURL?: unknown } } | undefined)?._client;
  return providerFor(client?.baseURL, host.config().providers);
}

/**
 * Records a call the provider ran earlier or elsewhere (`deferred`: no duration metric), in `ctx` (the context of
 * the method that brought its usage) with `attribution` winning over that context's.
 */
export function recordDeferred(
  host: WatchHost,
  ctx: Context,
  attribution: Record<string, AttributeValue> | undefined,
  start: LlmCallStart,
  outcome: LlmCallOutcome,
): void {
  const telemetry = host.telemetry();
  const run = () => startLlmCall(telemetry, { ...start, deferred: true }).succeed(outcome);
  try {
    context.with(ctx, () =>
      attribution && Object.keys(attribution).length ? withAttribution(attribution, run) : run(),
    );
  } catch (error) {
    // Strict attribution throws before a request is sent; here the request is long done: only warn.
    telemetry.runtime.warnings.internalError(`openai ${start.operation} (deferred)`, error);
  }
}
