import { type AttributeValue, type Context, context } from '@opentelemetry/api';
import { attributionForContext } from '../../attribution/resolve.js';
import { BoundedMap } from '../shared/bounded.js';
import { isStream } from '../shared/stainless.js';
import type { ServerInfo } from './provider.js';
import { responseOutcome } from './responses.js';
import type { RequestBody, ResponseStreamEventWire, ResponseWire } from './types.js';
import { recordDeferred, serverOfClient, type Watch, type WatchHost, watchResult } from './watch.js';

/**
 * Responses in background mode: `responses.create({ background: true })` answers `queued` (or `in_progress`)
 * without usage, which is no call to count yet (the create is passed through without a span). The response is
 * priced when its usage arrives: a `responses.retrieve(id)` that finds it completed (incomplete, failed or
 * cancelled with usage), or a stream (the create's own, or a resumed `retrieve(id, { stream: true })` /
 * `responses.stream({ response_id })`) that reaches its final event. It is recorded as a deferred call with the
 * attribution the create ran under (the retrieve's context fills in the rest).
 *
 * Counted once per process: a response id is priced the first time its usage is seen (a bounded memo). Another
 * process that retrieves the same response prices it again: nothing is shared across processes.
 */

interface Created {
  attribution: Record<string, AttributeValue>;
  requestModel?: string;
}

const MAX_RESPONSES = 10_000;
/** Background responses created in this process: id -> what the create knew. */
const created = new BoundedMap<string, Created>(MAX_RESPONSES);
/** Response ids already priced. */
const priced = new BoundedMap<string, true>(MAX_RESPONSES);

const DONE = new Set(['completed', 'incomplete', 'failed', 'cancelled']);
const FINAL_EVENTS = new Set(['response.completed', 'response.incomplete', 'response.failed']);

interface Observed {
  ctx: Context;
  server: ServerInfo;
  /** Set on a create: its attribution and model, kept for the response id it gets. */
  create?: Created;
}

/** A response: remembered when it is still running (a create), priced once when done with usage. */
function onResponse(host: WatchHost, seen: Observed, resp: ResponseWire | undefined): void {
  const id = resp?.id;
  if (!resp || typeof id !== 'string') return;
  if (seen.create && !created.has(id)) created.set(id, seen.create);
  if (!resp.usage || !DONE.has(resp.status ?? '')) return;
  // A response created without background mode was priced by its create (here or in another process).
  if ((resp as { background?: unknown }).background !== true && !created.has(id)) return;
  if (!priced.firstTime(id, true)) return;
  const origin = created.get(id);
  recordDeferred(
    host,
    seen.ctx,
    origin?.attribution,
    {
      provider: seen.server.provider,
      operation: 'chat',
      requestModel: origin?.requestModel ?? resp.model,
      serverAddress: seen.server.serverAddress,
      serverPort: seen.server.serverPort,
    },
    responseOutcome(resp),
  );
}

/**
 * Reads the events of a Stainless Stream as the caller iterates it (the stream is otherwise untouched). Only the
 * events are read: a stream left before its final event prices nothing, a later retrieve still can.
 */
function tapStream(host: WatchHost, seen: Observed, stream: object): void {
  const target = stream as { iterator: () => AsyncIterator<unknown> };
  const original = target.iterator;
  target.iterator = function (this: unknown) {
    const it = original.call(this);
    const next = it.next;
    it.next = async (...args: [] | [unknown]) => {
      const result = await next.apply(it, args);
      try {
        const event = result.value as ResponseStreamEventWire | undefined;
        if (!result.done && event?.response) {
          // response.created tells the id (for the create's attribution); the final event the usage.
          const final = typeof event.type === 'string' && FINAL_EVENTS.has(event.type);
          if (final || seen.create) onResponse(host, seen, final ? event.response : { ...event.response, usage: null });
        }
      } catch (error) {
        host.telemetry().runtime.warnings.internalError('openai responses (background stream event)', error);
      }
      return result;
    };
    return it;
  };
}

function observe(host: WatchHost, result: unknown, seen: Observed): unknown {
  return watchResult(result, host.telemetry().runtime.warnings, (data) => {
    if (isStream(data)) tapStream(host, seen, data);
    else onResponse(host, seen, data as ResponseWire);
  });
}

/** Responses.create with `background: true` (the LLM-call skeleton passes those through, see instrumentation.ts). */
const BACKGROUND_CREATE: Watch<Observed> = {
  path: ['Responses'],
  method: 'create',
  before(host, self, args) {
    const body = args[0] as RequestBody | undefined;
    if (!isBackground(body)) return undefined;
    const ctx = context.active();
    return {
      ctx,
      server: serverOfClient(host, self),
      create: {
        attribution: attributionForContext(ctx, host.telemetry().runtime),
        requestModel: typeof body?.model === 'string' ? body.model : undefined,
      },
    };
  },
  after: (host, result, seen) => observe(host, result, seen),
};

/** Responses.retrieve (plain or stream: true): prices a background response once it is done. */
const RETRIEVE: Watch<Observed> = {
  path: ['Responses'],
  method: 'retrieve',
  before: (host, self) => ({ ctx: context.active(), server: serverOfClient(host, self) }),
  after: (host, result, seen) => observe(host, result, seen),
};

/** A create in background mode: no usage now, priced later by the watches here. */
export function isBackground(body: RequestBody | undefined): boolean {
  return body?.background === true;
}

export const BACKGROUND_WATCHES: Watch[] = [BACKGROUND_CREATE, RETRIEVE];
