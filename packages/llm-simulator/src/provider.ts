import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RecordedRequest, ScriptedReply } from './types.ts';

export interface RouteContext {
  request: RecordedRequest;
  reply: ScriptedReply;
  res: ServerResponse;
  req: IncomingMessage;
  /** A fresh id with the given prefix, unique per simulator. */
  nextId(prefix: string): string;
}

/** One provider's wire format: which paths it serves and how it writes replies and errors. */
export interface ProviderWireFormat {
  name: string;
  /** Path suffixes served (matched against the end of the request path, so any base path prefix works). */
  routes: Record<string, (ctx: RouteContext) => Promise<void> | void>;
  sendError(ctx: RouteContext, status: number): void;
}
