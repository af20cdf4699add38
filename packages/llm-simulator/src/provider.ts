import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Ledger } from './billing/ledger.ts';
import type { RecordedRequest, ScriptedReply, SimUsage } from './types.ts';

export interface RouteContext {
  request: RecordedRequest;
  reply: ScriptedReply;
  res: ServerResponse;
  req: IncomingMessage;
  /** A fresh id with the given prefix, unique per simulator. */
  nextId(prefix: string): string;
  /** The provider's billing side: a served call is recorded here (see billing/ledger.ts). */
  ledger: Ledger;
  /** The `{name}` segments of the matched route pattern (e.g. `GET /batches/{id}` gives `params.id`). */
  params: Record<string, string>;
  /** The query string of the request. */
  query: URLSearchParams;
  /**
   * State kept across requests of one simulator (batches, files, background responses), keyed by the provider
   * file's own ids; cleared by reset().
   */
  state: Map<string, unknown>;
}

/** One provider's wire format: which paths it serves and how it writes replies and errors. */
export interface ProviderWireFormat {
  name: string;
  /**
   * Routes served: `[METHOD ]suffix`, the method POST when left out (`'GET /batches/{id}'`, `'/chat/completions'`).
   * The suffix is matched against the end of the request path, so any base path prefix works; a `{name}` segment
   * matches one path segment and lands in `ctx.params.name`.
   */
  routes: Record<string, (ctx: RouteContext) => Promise<void> | void>;
  sendError(ctx: RouteContext, status: number): void;
}

/** The usage a reply asks for, every count filled in (defaults: 12 input and 5 output tokens, no cache, no reasoning, all text). */
export function usageOf(reply: Pick<ScriptedReply, 'usage'>): Required<SimUsage> {
  return {
    inputTokens: 12,
    cachedTokens: 0,
    cacheWriteTokens: 0,
    cacheWrite1hTokens: 0,
    outputTokens: 5,
    reasoningTokens: 0,
    inputAudioTokens: 0,
    inputImageTokens: 0,
    inputVideoTokens: 0,
    cachedAudioTokens: 0,
    outputAudioTokens: 0,
    outputImageTokens: 0,
    ...reply.usage,
  };
}
